using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Onnx;

namespace NetGen.Import;

/// <summary>Everything the C# file says: the model it came from, the class, its input and output, and the layers in order.</summary>
internal sealed record Declaration(
    string SourceName,
    ModelProto Model,
    string Namespace,
    string ClassName,
    NetworkInput Input,
    string Output,
    IReadOnlyList<ImportedLayer> Layers,
    ImportContext Context);

/// <summary>
/// Writes an imported network as an ordinary NetGen declaration: one attributed partial property
/// per layer, each under a comment naming the ONNX nodes and initializers it stands for.
/// </summary>
internal static class DeclarationWriter
{
    public static string Write(Declaration declaration)
    {
        var layers = declaration.Layers;
        var last = layers[^1];
        var classifier = last.Kind == LayerKind.Dense && last.Activation is Activation.Softmax or Activation.None && int.Parse(last.Positional[0], CultureInfo.InvariantCulture) >= 2;
        var text = new StringBuilder();
        var model = declaration.Model;
        var opset = string.Join(", ", model.OpsetImport.Select(o => (o.Domain.Length == 0 ? "opset " : o.Domain + " ") + o.Version.ToString(CultureInfo.InvariantCulture)));
        text.AppendLine(OneLine($"// Imported by `netgen import` from {declaration.SourceName} (producer {Or(model.ProducerName, "unknown")}, ONNX IR {model.IrVersion}, {opset})."));
        text.AppendLine(OneLine($"// Its weights are in {System.IO.Path.GetFileNameWithoutExtension(declaration.SourceName)}.safetensors, under the state_dict names of these layers (Checkpoint.Load)."));
        text.AppendLine("// This file is yours: cut the network after any layer, add a head, mark layers [Frozen]; the generator shape-checks the result.");
        text.AppendLine("using NetGen;");
        if (declaration.Namespace.Length > 0)
        {
            text.AppendLine();
            text.AppendLine($"namespace {declaration.Namespace};");
        }

        text.AppendLine();
        text.AppendLine("/// <summary>");
        text.AppendLine($"/// The network of {Escape(declaration.SourceName)}: input <c>{Escape(declaration.Input.Name)}</c> [{Dimensions(declaration.Input.Shape)}] per sample,");
        text.AppendLine($"/// output <c>{Escape(declaration.Output)}</c>, {layers.Count} layers from {model.Graph.Node.Count} ONNX nodes.");
        text.AppendLine("/// </summary>");
        // A feature extractor has no classes to score: mean squared error is the loss that fits any output shape.
        text.AppendLine(classifier ? "[Network(Loss = Loss.SoftmaxCrossEntropy)]" : "[Network(Loss = Loss.MeanSquaredError)]");
        text.AppendLine($"[Input({Dimensions(declaration.Input.Shape)})]");
        text.AppendLine($"public partial class {declaration.ClassName}");
        text.AppendLine("{");
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (i > 0)
            {
                text.AppendLine();
            }

            text.AppendLine($"    // {OneLine(string.Join(" + ", layer.Nodes) + Weights(layer))}");
            var arguments = string.Join(", ", Arguments(layer, i == 0 ? null : layers[i - 1], declaration.Context));
            var attribute = arguments.Length == 0 ? layer.Kind.ToString() : $"{layer.Kind}({arguments})";
            text.AppendLine($"    [{attribute}] public partial {layer.Kind} {layer.PropertyName} {{ get; }}");
        }

        text.AppendLine("}");
        return text.ToString();
    }

    private static IEnumerable<string> Arguments(ImportedLayer layer, ImportedLayer? previous, ImportContext context)
    {
        var reads = layer.Reads.Select(r => context.ProducerOf(r)).ToList();
        var merges = layer.Kind is LayerKind.Add or LayerKind.Concat;
        if (merges)
        {
            foreach (var branch in reads)
            {
                yield return branch is null ? "LayerAttribute.NetworkInput" : $"nameof({branch.PropertyName})";
            }
        }

        foreach (var argument in layer.Positional)
        {
            yield return argument;
        }

        if (layer.Activation != Activation.None)
        {
            yield return $"Activation.{layer.Activation}";
        }

        foreach (var argument in layer.Named)
        {
            yield return argument;
        }

        // A layer reads the one declared before it unless told otherwise.
        if (!merges && reads[0] != previous)
        {
            yield return reads[0] is null ? "Input = LayerAttribute.NetworkInput" : $"Input = nameof({reads[0]!.PropertyName})";
        }
    }

    private static string Weights(ImportedLayer layer) =>
        layer.Weights.Count == 0 ? string.Empty : ": " + string.Join(", ", layer.Weights.Select(w => $"{w.Suffix} = {w.OnnxName} [{Dimensions(w.Shape)}]"));

    private static string Dimensions(IEnumerable<int> shape) => string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    /// <summary>ONNX names are any strings: a line break in one would end the comment and leave the rest as code.</summary>
    private static string OneLine(string text) => new([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);

    private static string Or(string text, string fallback) => text.Length > 0 ? text : fallback;

    private static string Escape(string text) => OneLine(text).Replace("&", "&amp;", System.StringComparison.Ordinal).Replace("<", "&lt;", System.StringComparison.Ordinal).Replace(">", "&gt;", System.StringComparison.Ordinal);
}
