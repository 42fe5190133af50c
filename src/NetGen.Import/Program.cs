using System;
using System.IO;
using NetGen.Checkpoints;
using NetGen.Import;

// netgen import model.onnx --class ResNet18 [--namespace My.Models] [--output directory]
// writes ResNet18.cs (the declaration) and ResNet18.safetensors (its weights) into the output directory.
const string Usage = "usage: netgen import <model.onnx> --class <ClassName> [--namespace <Namespace>] [--output <directory>]";
if (args.Length < 2 || args[0] != "import")
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var model = args[1];
string? className = null;
var namespaceName = string.Empty;
var output = ".";
for (var i = 2; i < args.Length; i += 2)
{
    if (i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"{args[i]} needs a value.\n{Usage}");
        return 2;
    }

    switch (args[i])
    {
        case "--class":
            className = args[i + 1];
            break;
        case "--namespace":
            namespaceName = args[i + 1];
            break;
        case "--output":
            output = args[i + 1];
            break;
        default:
            Console.Error.WriteLine($"Unknown option '{args[i]}'.\n{Usage}");
            return 2;
    }
}

if (className is null || !CSharpNames.IsIdentifier(className))
{
    Console.Error.WriteLine($"--class must be a C# identifier, not '{className}'.\n{Usage}");
    return 2;
}

if (namespaceName.Length > 0 && !CSharpNames.IsNamespace(namespaceName))
{
    Console.Error.WriteLine($"--namespace must be C# identifiers joined by dots, not '{namespaceName}'.\n{Usage}");
    return 2;
}

try
{
    var result = OnnxImporter.Import(model, className, namespaceName);
    Directory.CreateDirectory(output);
    var source = Path.Combine(output, className + ".cs");
    var weights = Path.Combine(output, Path.GetFileNameWithoutExtension(model) + ".safetensors");
    File.WriteAllText(source, result.Source);
    SafetensorsWriter.Write(weights, result.Weights, result.Metadata);
    Console.WriteLine($"Wrote {source} and {weights} ({result.Weights.Count} tensors).");
    return 0;
}
catch (Exception error) when (error is OnnxImportException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{model}: {error.Message}");
    return 1;
}
