using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using NetGen.Checkpoints;
using NetGen.Import.Translations;
using Onnx;

namespace NetGen.Import;

/// <summary>What an import produces: the declaration's C# source and the weights under the state_dict names its layers get.</summary>
/// <param name="Source">The C# file: a <c>[Network]</c> partial class in functional syntax.</param>
/// <param name="Weights">The tensors for <see cref="SafetensorsWriter"/>, loadable with <see cref="Checkpoint.Load"/>.</param>
/// <param name="Metadata">Where the weights came from, for the safetensors <c>__metadata__</c>.</param>
public sealed record ImportResult(string Source, IReadOnlyList<NamedTensor> Weights, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Turns an ONNX model into a NetGen declaration and its weights: one layer per node, activations
/// folded into the layer before them, the graph's wiring written as <c>Input = nameof(…)</c> and
/// <c>[Add]</c>/<c>[Concat]</c> arguments. The generator then shape-checks the result like any network.
/// </summary>
public static class OnnxImporter
{
    private static readonly Dictionary<string, Func<OnnxNode, ImportContext, ImportedLayer>> Translations = new(StringComparer.Ordinal)
    {
        ["Conv"] = ImageTranslations.Conv,
        ["MaxPool"] = ImageTranslations.MaxPool,
        ["AveragePool"] = ImageTranslations.AveragePool,
        ["GlobalAveragePool"] = ImageTranslations.GlobalAveragePool,
        ["Gemm"] = DenseTranslations.Gemm,
        ["MatMul"] = DenseTranslations.MatMul,
        ["BatchNormalization"] = GraphTranslations.BatchNormalization,
        ["Add"] = GraphTranslations.Add,
        ["Concat"] = GraphTranslations.Concat,
        ["Flatten"] = GraphTranslations.Flatten,
        ["Dropout"] = GraphTranslations.Dropout,
        ["Relu"] = ActivationTranslations.Relu,
        ["Softmax"] = ActivationTranslations.Softmax,
        ["Sigmoid"] = ActivationTranslations.Sigmoid,
    };

    /// <summary>Imports the model in <paramref name="path"/> as class <paramref name="className"/> in <paramref name="namespaceName"/>.</summary>
    public static ImportResult Import(string path, string className, string namespaceName)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new OnnxImportException($"'{path}' is not an ONNX model: {error.Message}");
        }

        return Import(model, Path.GetFileName(path), className, namespaceName);
    }

    /// <summary>Imports <paramref name="model"/>; <paramref name="sourceName"/> is what the header comment calls it.</summary>
    public static ImportResult Import(ModelProto model, string sourceName, string className, string namespaceName)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!CSharpNames.IsIdentifier(className))
        {
            throw new ArgumentException($"'{className}' is not a C# identifier.", nameof(className));
        }

        if (namespaceName.Length > 0 && !CSharpNames.IsNamespace(namespaceName))
        {
            throw new ArgumentException($"'{namespaceName}' is not a C# namespace (identifiers joined by dots).", nameof(namespaceName));
        }

        var graph = model.Graph ?? throw new OnnxImportException($"'{sourceName}' has no graph.");
        var opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var input = NetworkInput.Read(graph, initializers);
        if (graph.Output.Count != 1)
        {
            throw new OnnxImportException($"The graph has {graph.Output.Count} outputs ({string.Join(", ", graph.Output.Select(o => o.Name))}); a NetGen network has one.");
        }

        var output = graph.Output[0].Name;
        var nodes = NeededFor(output, [.. graph.Node.Select((n, i) => new OnnxNode(n, i))]);
        var context = new ImportContext(initializers, CountConsumers(nodes, output), input.Name, opset);
        var layers = new List<ImportedLayer>();
        foreach (var node in nodes)
        {
            if (node.Proto.Domain is not ("" or "ai.onnx"))
            {
                throw node.Error(null, $"is an operator of the domain '{node.Proto.Domain}'; the NetGen importer translates standard ONNX operators only.");
            }

            if (!Translations.TryGetValue(node.OperatorType, out var translate))
            {
                throw node.Error(null, $"is not supported by the NetGen importer (it translates {string.Join(", ", Translations.Keys)}).");
            }

            foreach (var read in node.Inputs.Where(i => i.Length > 0 && !context.IsConstant(i) && !context.IsProduced(i)))
            {
                throw node.Error(null, $"reads '{read}', which no earlier node produces; the graph must be in topological order.");
            }

            var layer = translate(node, context);
            node.RejectUnread();
            if (!layers.Contains(layer))
            {
                layers.Add(layer);
            }

            context.Produce(node.Outputs[0], layer);
        }

        // The output's producer is the last layer: every layer kept is one of its ancestors, so comes before it.
        if (!context.IsProduced(output) || context.ProducerOf(output) is null)
        {
            throw new OnnxImportException($"The graph output '{output}' is the network input itself, or no node produces it; there is no layer to import.");
        }

        LayerNames.Assign(layers, className);
        var weights = layers.SelectMany(l => l.Weights.Select(w => new NamedTensor($"{Generator.Parsing.StateNames.FromPropertyName(l.PropertyName)}.{w.Suffix}", w.Shape, w.Values))).ToList();
        var source = DeclarationWriter.Write(new Declaration(sourceName, model, namespaceName, className, input, output, layers, context));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["netgen.imported_from"] = sourceName,
            ["netgen.network"] = namespaceName.Length == 0 ? className : $"{namespaceName}.{className}",
        };
        return new ImportResult(source, weights, metadata);
    }

    /// <summary>How often each tensor is read by the nodes kept and the graph output.</summary>
    private static Dictionary<string, int> CountConsumers(List<OnnxNode> nodes, string output)
    {
        var consumers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in nodes.SelectMany(n => n.Inputs).Append(output).Where(n => n.Length > 0))
        {
            consumers[name] = consumers.GetValueOrDefault(name) + 1;
        }

        return consumers;
    }

    /// <summary>The nodes the output depends on, in the graph's (topological) order: a NetGen layer nothing reads is an error, so dead branches go.</summary>
    private static List<OnnxNode> NeededFor(string output, List<OnnxNode> nodes)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal) { output };
        var kept = new List<OnnxNode>();
        for (var i = nodes.Count - 1; i >= 0; i--)
        {
            if (nodes[i].Outputs.Any(needed.Contains))
            {
                kept.Add(nodes[i]);
                needed.UnionWith(nodes[i].Inputs);
            }
        }

        kept.Reverse();
        return kept;
    }
}
