using System;
using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Generator.Tests.Infrastructure;
using Onnx;
using Xunit;

namespace NetGen.Import.Tests;

/// <summary>An ONNX model imported, its declaration compiled by the NetGen generator in memory and its weights loaded: ready to compare with ONNX Runtime.</summary>
internal sealed class ImportedNetwork : IDisposable
{
    private readonly LoadedAssembly assembly;
    private readonly string weights = Path.Combine(Path.GetTempPath(), $"netgen-import-{Guid.NewGuid():N}.safetensors");

    public ImportedNetwork(ModelProto model, string className)
    {
        Result = OnnxImporter.Import(model, className + ".onnx", className, "Imported");
        var run = GeneratorHarness.Run(Result.Source);
        Assert.Empty(run.Exceptions);
        Assert.True(run.GeneratorDiagnostics.IsEmpty, Result.Source + "\n" + string.Join("\n", run.GeneratorDiagnostics));
        Assert.True(run.CompilationProblems.Count == 0, Result.Source + "\n" + string.Join("\n", run.CompilationProblems));
        assembly = new LoadedAssembly(run.Compilation);
        Network = assembly.Create("Imported." + className);
        SafetensorsWriter.Write(weights, Result.Weights, Result.Metadata);
        Checkpoint.Load(weights, Network);
    }

    public ImportResult Result { get; }

    public INetwork Network { get; }

    /// <summary>NetGen's inference outputs for a batch.</summary>
    public float[] Forward(float[] inputs)
    {
        var outputs = new float[inputs.Length / Network.InputSize * Network.OutputSize];
        Network.Forward(inputs, outputs);
        return outputs;
    }

    /// <summary>A batch of <paramref name="batch"/> inputs for <paramref name="network"/>, varied and reproducible.</summary>
    public static float[] Inputs(INetwork network, int batch) =>
        [.. Enumerable.Range(0, batch * network.InputSize).Select(i => (float)Math.Cos(i * 0.37) * 1.5f)];

    public void Dispose()
    {
        File.Delete(weights);
        assembly.Dispose();
    }
}
