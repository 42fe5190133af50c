using System;
using System.IO;
using System.Linq;
using NetGen.Generator.Tests;
using NetGen.Generator.Tests.Infrastructure;
using Onnx;
using Xunit;

namespace NetGen.Import.Tests;

/// <summary>
/// A generated network's <c>ExportOnnx</c>: the exported model run in ONNX Runtime gives NetGen's own
/// <c>Forward</c> within 1e-5 relative, and importing it back (<c>netgen import</c>) gives the same outputs.
/// </summary>
public sealed class OnnxExportTests
{
    [Fact]
    public void ExportedMlpRunsInOnnxRuntimeAndImportsBack() => AssertRoundTrip(TestNetworks.MnistMlp, "Samples.MnistMlp", batch: 3);

    [Fact]
    public void ExportedMnistCnnRunsInOnnxRuntimeAndImportsBack() => AssertRoundTrip(ConvTestNetworks.MnistCnn, "Samples.MnistCnn", batch: 2);

    [Fact]
    public void ExportedCholletConvNetRunsInOnnxRuntimeAndImportsBack() =>
        AssertRoundTrip("using NetGen;\n" + File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "DogsVsCats", "CholletConvNet.cs")), "NetGen.Samples.DogsVsCats.CholletConvNet", batch: 2);

    // The residual network of the graph tests with ReLU for GELU (opset 13 has no Gelu) and without its Identity (which
    // the importer does not read back): BatchNorm, an identity skip read twice, a strided block with a 1×1 projection,
    // a Concat of two branches and a global pool.
    private const string ResidualNet = """
        using NetGen;

        namespace Samples.Graphs;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
        [Input(1, 8, 8)]
        public partial class ResidualNet
        {
            [Conv2D(4, 3, Padding = Padding.Same, Bias = false)]                public partial Conv2D Stem { get; }
            [BatchNorm(Activation.ReLU, Epsilon = 0.001)]                         public partial BatchNorm StemNorm { get; }
            [Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]             public partial Conv2D Block1Conv { get; }
            [Add(nameof(Block1Conv), nameof(StemNorm), Activation.ReLU)]        public partial Add Block1 { get; }
            [Conv2D(8, 3, Activation.ReLU, Stride = 2, Padding = Padding.Same)] public partial Conv2D Block2Conv { get; }
            [Conv2D(8, 1, Stride = 2, Input = nameof(Block1))]                   public partial Conv2D Block2Projection { get; }
            [Add(nameof(Block2Conv), nameof(Block2Projection))]                 public partial Add Block2 { get; }
            [Conv2D(4, 1, Activation.ReLU)]                                       public partial Conv2D Wide { get; }
            [Conv2D(4, 3, Padding = Padding.Same, Input = nameof(Block2))]      public partial Conv2D Narrow { get; }
            [Concat(nameof(Wide), nameof(Narrow))]                               public partial Concat Joined { get; }
            [GlobalAveragePool2D]                                                 public partial GlobalAveragePool2D Pool { get; }
            [Dense(3, Input = nameof(Pool))]                                      public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void ExportedResidualNetRunsInOnnxRuntimeAndImportsBack() => AssertRoundTrip(ResidualNet, "Samples.Graphs.ResidualNet", batch: 3);

    // What the four networks above leave out and the importer does not read back: asymmetric pads, a stride, average
    // pooling that does not count the padding, an Identity, and every activation opset 13 has, softmax on the output.
    private const string WindowsAndActivations = """
        using NetGen;

        namespace Samples.Export;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 9)]
        [Input(2, 9, 9)]
        public partial class WindowsAndActivations
        {
            [Conv2D(4, 3, Activation.LeakyReLU, Stride = 2, Pads = [1, 2, 0, 1])]  public partial Conv2D Stem { get; }
            [AvgPool2D(3, Stride = 1, PaddingSize = 1, CountIncludePad = false)] public partial AvgPool2D Blur { get; }
            [MaxPool2D(2, Pads = [1, 1, 0, 0])]                                   public partial MaxPool2D Pool { get; }
            [BatchNorm(Activation.ReLU6)]                                          public partial BatchNorm Norm { get; }
            [Identity]                                                             public partial Identity Same { get; }
            [Flatten]                                                              public partial Flatten Features { get; }
            [Dense(12, Activation.Tanh)]                                           public partial Dense Squash { get; }
            [Dense(6, Activation.Sigmoid)]                                         public partial Dense Gate { get; }
            [Dense(4, Activation.Softmax)]                                         public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void ExportedWindowsAndActivationsRunInOnnxRuntime() =>
        AssertRoundTrip(WindowsAndActivations, "Samples.Export.WindowsAndActivations", batch: 3, importBack: false);

    [Fact]
    public void ANetworkWithAnActivationOpset13LacksThrowsNamingLayerAndActivation()
    {
        var run = GeneratorHarness.Run(TestNetworks.BinaryClassifier);
        Assert.True(run.CompilationProblems.Count == 0, string.Join("\n", run.CompilationProblems));
        using var assembly = new LoadedAssembly(run.Compilation);
        var network = assembly.Create("Samples.Binary.BinaryClassifier");
        var error = Assert.Throws<System.Reflection.TargetInvocationException>(() => network.GetType().GetMethod("ExportOnnx")!.Invoke(network, ["unused.onnx"]));
        Assert.Equal("ONNX export of 'BinaryClassifier': layer 'Encoder' (Dense): activation GELU has no ONNX operator in opset 13.", Assert.IsType<NotSupportedException>(error.InnerException).Message);
    }

    private static void AssertRoundTrip(string declaration, string typeName, int batch, bool importBack = true)
    {
        var run = GeneratorHarness.Run(declaration);
        Assert.Empty(run.Exceptions);
        Assert.True(run.CompilationProblems.Count == 0, string.Join("\n", run.CompilationProblems));
        using var assembly = new LoadedAssembly(run.Compilation);
        var network = assembly.Create(typeName);
        // Biases start at zero: move every parameter a little so a bias exported in the wrong place shows.
        var parameters = network.Parameters;
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] += 0.01f * (float)Math.Sin(i * 0.7);
        }

        // Running statistics too (means from 0, variances from 1), so BatchNorm's inference form is checked.
        var buffers = network.Buffers;
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] += 0.05f * (float)Math.Sin((i * 1.3) + 0.4);
        }

        var inputs = ImportedNetwork.Inputs(network, batch);
        var outputs = new float[batch * network.OutputSize];
        network.Forward(inputs, outputs);

        var path = Path.Combine(Path.GetTempPath(), $"netgen-export-{Guid.NewGuid():N}.onnx");
        try
        {
            network.GetType().GetMethod("ExportOnnx")!.Invoke(network, [path]);
            var model = File.ReadAllBytes(path);
            OnnxRuntimeReference.AssertClose(OnnxRuntimeReference.Run(model, inputs, batch, [.. network.InputShape]), outputs, relative: 1e-5);

            if (importBack)
            {
                using var imported = new ImportedNetwork(ModelProto.Parser.ParseFrom(model), "Reimported");
                OnnxRuntimeReference.AssertClose(outputs, imported.Forward(inputs), relative: 1e-5);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
