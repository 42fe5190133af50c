using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The GPU file: snapshots of its source (kernels included), that it compiles, and the NG0301 fallback.</summary>
public sealed class GpuEmitterTests
{
    /// <summary>Dropout after a GELU layer: its backward ends with the producer's derivative, read from the saved pre-activation.</summary>
    public const string DroppedMlp = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
        [Input(20)]
        public partial class DroppedMlp
        {
            [Dense(16, Activation.GELU)] public partial Dense Hidden { get; }
            [Dropout(0.3)]               public partial Dropout Drop { get; }
            [Dense(4)]                   public partial Dense Output { get; }
        }
        """;

    /// <summary>A bidirectional LSTM returning every step into a GRU returning the last: the recurrent step kernels and host loops.</summary>
    public const string RecurrentClassifier = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 8)]
        [Input(6, 4)]
        public partial class RecurrentClassifier
        {
            [LSTM(5, ReturnSequences = true, Bidirectional = true)] public partial LSTM Lstm { get; }
            [GRU(3)]                                                public partial GRU Gru { get; }
            [Dense(2)]                                              public partial Dense Output { get; }
        }
        """;

    [Theory]
    [InlineData(nameof(TestNetworks.MnistMlp), "Samples.MnistMlp.Gpu.g.cs")]
    [InlineData(nameof(TestNetworks.NestedRegressor), "Models.Regressor.Gpu.g.cs")]
    [InlineData(nameof(TestNetworks.FlattenedImage), "Samples.FlattenedImage.Gpu.g.cs")]
    [InlineData(nameof(ConvTestNetworks.MnistCnn), "Samples.MnistCnn.Gpu.g.cs")]
    [InlineData(nameof(DroppedMlp), "Samples.DroppedMlp.Gpu.g.cs")]
    [InlineData(nameof(TestNetworks.RegularisedClassifier), "Samples.RegularisedClassifier.Gpu.g.cs")]
    [InlineData(nameof(GraphTestNetworks.ResidualNet), "Samples.Graphs.ResidualNet.Gpu.g.cs")]
    [InlineData(nameof(GraphTestNetworks.TiedNet), "Samples.Graphs.TiedNet.Gpu.g.cs")]
    [InlineData(nameof(RecurrentClassifier), "Samples.RecurrentClassifier.Gpu.g.cs")]
    public void GpuSourceMatchesSnapshot(string network, string hintName)
    {
        var source = (string)(typeof(TestNetworks).GetField(network) ?? typeof(ConvTestNetworks).GetField(network) ?? typeof(GraphTestNetworks).GetField(network) ?? typeof(GpuEmitterTests).GetField(network))!.GetValue(null)!;
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(hintName, run.Sources.Keys);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(network + ".Gpu", run.Sources[hintName]);
    }

    [Fact]
    public void KernelSourceHoldsOnlyTheKernelsTheNetworkUses()
    {
        var gpu = GeneratorHarness.Run(TestNetworks.MnistMlp).Sources["Samples.MnistMlp.Gpu.g.cs"];

        Assert.Contains("KERNEL void bias_relu(", gpu);
        Assert.Contains("KERNEL void backward_relu(", gpu);
        Assert.Contains("KERNEL void softmax_cross_entropy(", gpu);
        Assert.DoesNotContain("KERNEL void bias_gelu(", gpu);
        Assert.DoesNotContain("KERNEL void mean_squared_error(", gpu);
        Assert.DoesNotContain("KERNEL void conv_forward_relu(", gpu);
        Assert.DoesNotContain("KERNEL void max_pool(", gpu);
        Assert.DoesNotContain("KERNEL void dropout_forward(", gpu);
        Assert.DoesNotContain("KERNEL void add_forward(", gpu);
        Assert.DoesNotContain("KERNEL void concat_forward(", gpu);
        Assert.DoesNotContain("KERNEL void accumulate(", gpu);

        var cnn = GeneratorHarness.Run(ConvTestNetworks.MnistCnn).Sources["Samples.MnistCnn.Gpu.g.cs"];
        Assert.Contains("KERNEL void conv_forward_relu(", cnn);
        Assert.Contains("KERNEL void conv_weight_gradient(", cnn);
        Assert.Contains("KERNEL void max_pool_backward(", cnn);
        Assert.DoesNotContain("KERNEL void conv_forward_gelu(", cnn);
        Assert.DoesNotContain("KERNEL void avg_pool(", cnn);
        Assert.DoesNotContain("KERNEL void global_average_pool(", cnn);

        var dropped = GeneratorHarness.Run(DroppedMlp).Sources["Samples.DroppedMlp.Gpu.g.cs"];
        Assert.Contains("KERNEL void dropout_forward(", dropped);
        Assert.Contains("KERNEL void dropout_backward(", dropped);
        Assert.DoesNotContain("KERNEL void batch_norm_statistics(", dropped);

        var normalised = GeneratorHarness.Run(TestNetworks.RegularisedClassifier).Sources["Samples.RegularisedClassifier.Gpu.g.cs"];
        Assert.Contains("KERNEL void batch_norm_statistics(", normalised);
        Assert.Contains("KERNEL void batch_norm_none(", normalised);
        Assert.Contains("KERNEL void batch_norm_inference_relu(", normalised);
        Assert.DoesNotContain("KERNEL void batch_norm_gelu(", normalised);

        // Add and Concat bring their kernels, and a tensor read twice the gradient sum's.
        var residual = GeneratorHarness.Run(GraphTestNetworks.ResidualNet).Sources["Samples.Graphs.ResidualNet.Gpu.g.cs"];
        Assert.Contains("KERNEL void add_forward(", residual);
        Assert.Contains("KERNEL void add_backward(", residual);
        Assert.Contains("KERNEL void concat_forward(", residual);
        Assert.Contains("KERNEL void concat_backward(", residual);
        Assert.Contains("KERNEL void accumulate(", residual);
        Assert.DoesNotContain("KERNEL void dropout_forward(", residual);
        Assert.DoesNotContain("KERNEL void lstm_forward_step(", residual);

        // Each recurrent cell brings its own step kernels.
        var recurrent = GeneratorHarness.Run(RecurrentClassifier).Sources["Samples.RecurrentClassifier.Gpu.g.cs"];
        Assert.Contains("KERNEL void lstm_forward_step(", recurrent);
        Assert.Contains("KERNEL void lstm_backward_step(", recurrent);
        Assert.Contains("KERNEL void gru_backward_step(", recurrent);
        Assert.DoesNotContain("KERNEL void rnn_tanh_forward_step(", recurrent);
    }

    [Fact]
    public void SoftmaxBranchIntoAnAddReportsNG0301AtThatBranch()
    {
        // The one graph a device cannot run: a Softmax on a branch has no row-wise device kernel.
        var parsed = Markup.Parse("""
            using NetGen;

            namespace Samples;

            [Network(Loss = Loss.MeanSquaredError)]
            [Input(6)]
            public partial class Mixture
            {
                [Dense(4, Activation.ReLU)] public partial Dense Hidden { get; }
                [[|Dense(4, Activation.Softmax)|]] public partial Dense Weights { get; }
                [Dense(4, Activation.Tanh, Input = nameof(Hidden))] public partial Dense Values { get; }
                [Add(nameof(Weights), nameof(Values))] public partial Add Mixed { get; }
                [Dense(2)] public partial Dense Output { get; }
            }
            """);
        var run = GeneratorHarness.Run(parsed.Source);

        Assert.Empty(run.Exceptions);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0301", diagnostic.Id);
        Assert.Equal("Layer 'Weights' (Dense with Softmax) has no GPU kernels yet, so 'Mixture' gets no GPU path (no ToDevice); it trains on the CPU as before", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(parsed.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(new[] { "Samples.Mixture.g.cs" }, run.Sources.Keys.ToArray());
        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void LayerWithoutGpuKernelsReportsNG0301AndGetsNoGpuFile()
    {
        var parsed = Markup.Parse("""
            using NetGen;

            namespace Samples;

            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            [Input(16)]
            public partial class Gated
            {
                [[|Dense(8, Activation.Softmax)|]] public partial Dense Gate { get; }
                [Dense(3)] public partial Dense Output { get; }
            }
            """);
        var run = GeneratorHarness.Run(parsed.Source);

        Assert.Empty(run.Exceptions);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0301", diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Equal("Layer 'Gate' (Dense with Softmax) has no GPU kernels yet, so 'Gated' gets no GPU path (no ToDevice); it trains on the CPU as before", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(parsed.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(Diagnostics.DiagnosticDescriptors.DocumentationBaseUrl + "NG0301.md", diagnostic.Descriptor.HelpLinkUri);
        Assert.Equal(new[] { "Samples.Gated.g.cs" }, run.Sources.Keys.ToArray());
        Assert.Empty(run.CompilationProblems);
    }
}
