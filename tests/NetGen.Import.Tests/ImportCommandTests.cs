using System;
using System.Diagnostics;
using System.IO;
using Google.Protobuf;
using NetGen.Checkpoints;
using Xunit;

namespace NetGen.Import.Tests;

/// <summary>The <c>netgen import</c> command: the files it writes, and its exit codes and messages for bad input.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netgen-import-command-").FullName;

    [Fact]
    public void WritesTheDeclarationAndItsWeights()
    {
        var model = Path.Combine(directory, "dense.onnx");
        File.WriteAllBytes(model, ImportedOperatorTests.DenseGraph().ToByteArray());

        var (exitCode, output, _) = Run("import", model, "--class", "DenseGraph", "--namespace", "My.Models", "--output", Path.Combine(directory, "out"));

        Assert.Equal(0, exitCode);
        Assert.Contains("(3 tensors)", output, StringComparison.Ordinal);
        var expected = OnnxImporter.Import(model, "DenseGraph", "My.Models");
        Assert.Equal(expected.Source, File.ReadAllText(Path.Combine(directory, "out", "DenseGraph.cs")));
        Assert.Equal("dense.onnx", Checkpoint.ReadMetadata(Path.Combine(directory, "out", "dense.safetensors"))["netgen.imported_from"]);
    }

    [Fact]
    public void AModelItCannotImportExitsWithOneAndTheError()
    {
        var model = Path.Combine(directory, "bad.onnx");
        File.WriteAllBytes(model, [0xFF, 0xFF, 0xFF, 0x07]);

        var (exitCode, _, errors) = Run("import", model, "--class", "Bad");

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"{model}: '{model}' is not an ONNX model: ", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--class must be a C# identifier, not '1x'.", "import", "m.onnx", "--class", "1x")]
    [InlineData("--class must be a C# identifier, not ''.", "import", "m.onnx")]
    [InlineData("--namespace must be C# identifiers joined by dots, not 'A;B'.", "import", "m.onnx", "--class", "X", "--namespace", "A;B")]
    [InlineData("Unknown option '--name'.", "import", "m.onnx", "--name", "X")]
    [InlineData("--output needs a value.", "import", "m.onnx", "--class", "X", "--output")]
    [InlineData("usage: netgen import", "export", "m.onnx")]
    public void ABadCommandLineExitsWithTwoAndTheUsage(string message, params string[] arguments)
    {
        var (exitCode, _, errors) = Run(arguments);

        Assert.Equal(2, exitCode);
        Assert.StartsWith(message, errors, StringComparison.Ordinal);
        Assert.Contains("usage: netgen import <model.onnx> --class <ClassName>", errors, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static (int ExitCode, string Output, string Errors) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(OnnxImporter).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.Result);
    }
}
