using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Writes a CPU network's <c>ExportOnnx(path)</c>: the inference graph as ONNX nodes (opset 13), decided
/// here at compile time from the plan and fed at run time to the runtime's <c>NetGen.Onnx.OnnxGraphWriter</c>
/// with the current weights as initializers under their state_dict names and a symbolic batch dimension.
/// Each layer kind translates its own op (<see cref="LayerKind.EmitOnnx"/>); activations, and the loss's
/// link on the output, follow as ONNX ops of their own. A network with a layer or option that has no
/// translation gets a method that throws naming the layer and the op, never a partial or wrong graph.
/// </summary>
internal static class OnnxExportEmitter
{
    /// <summary>The graph input's name.</summary>
    public const string InputName = "input";

    public static void Emit(SourceWriter writer, NetworkPlan plan)
    {
        var reason = Unsupported(plan);
        writer.Line("/// <summary>");
        writer.Line("/// Writes the network's inference graph (what <c>Forward</c> computes) to <paramref name=\"path\"/> as an ONNX model,");
        writer.Line("/// opset 13, with the current weights as initializers under their state_dict names and a symbolic batch dimension.");
        if (reason is not null)
        {
            // The reader of the generated file (and IntelliSense) learns that this network's export throws, and why.
            writer.Line($"/// This network cannot be exported ({reason.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")}): the call throws <see cref=\"global::System.NotSupportedException\"/>.");
        }

        writer.Line("/// </summary>");
        writer.Line("public void ExportOnnx(string path)");
        using (writer.Braces())
        {
            var body = new SourceWriter();
            if (reason is not null)
            {
                writer.Line($"throw new global::System.NotSupportedException(\"ONNX export of '{plan.Spec.Declaration.TypeName}': {reason}.\");");
                return;
            }

            var output = EmitGraph(body, plan);
            var last = plan.Layers[plan.Outputs.Count > 0 ? plan.Outputs[0].Node : plan.Layers.Count - 1];
            writer.Line($"var graph = new global::NetGen.Onnx.OnnxGraphWriter(name: \"{plan.Spec.Declaration.TypeName}\", input: \"{InputName}\", inputShape: [{string.Join(", ", plan.Layers[0].Input.Dimensions)}], output: \"{output}\", outputShape: [{string.Join(", ", last.Output.Dimensions)}]);");
            writer.Lines(body.ToString().TrimEnd('\n'));
            writer.Line("graph.Save(path);");
        }
    }

    /// <summary>Why the network cannot be exported (a layer and its op), or null when every part has a translation.</summary>
    private static string? Unsupported(NetworkPlan plan)
    {
        if (plan.Spec.HasNamedTensors)
        {
            return "named inputs and outputs are not exported yet";
        }

        for (var i = 0; i < plan.Layers.Count; i++)
        {
            var layer = plan.Layers[i];
            if (!LayerKinds.For(layer.Layer).EmitOnnx(new OnnxNodeContext(plan, i, string.Empty), new SourceWriter()))
            {
                return $"layer '{layer.Layer.PropertyName}' ({layer.Layer.KindName}) has no ONNX translation with these options";
            }

            if (Activations(plan, i).FirstOrDefault(a => OnnxOperator(a) is null) is var missing && missing != ActivationKind.None)
            {
                return $"layer '{layer.Layer.PropertyName}' ({layer.Layer.KindName}): activation {missing} has no ONNX operator in opset 13";
            }
        }

        return null;
    }

    /// <summary>Writes the initializers and nodes; returns the name of the graph's output.</summary>
    private static string EmitGraph(SourceWriter writer, NetworkPlan plan)
    {
        writer.Line("// Initializers: the weights as they are now, under their state_dict names.");
        foreach (var tensor in plan.OwnedParameters)
        {
            EmitInitializer(writer, "_parameters", tensor);
        }

        foreach (var tensor in plan.OwnedBuffers)
        {
            EmitInitializer(writer, "_buffers", tensor);
        }

        var output = InputName;
        for (var i = 0; i < plan.Layers.Count; i++)
        {
            var layer = plan.Layers[i];
            var activations = Activations(plan, i).ToList();
            var name = layer.Layer.StateName;
            writer.Line($"// {name}: {layer.Input.WithBatch} → {layer.Output.WithBatch}");
            LayerKinds.For(layer.Layer).EmitOnnx(new OnnxNodeContext(plan, i, activations.Count == 0 ? name : $"{name}.linear"), writer);
            var previous = $"{name}.linear";
            for (var a = 0; a < activations.Count; a++)
            {
                var result = a == activations.Count - 1 ? name : $"{name}.{activations[a].ToString().ToLowerInvariant()}";
                EmitActivation(writer, activations[a], name, previous, result);
                previous = result;
            }

            output = name;
        }

        return output;
    }

    /// <summary>The activations applied after the layer's op at inference: its own, then for the output layer the link the loss absorbed.</summary>
    private static IEnumerable<ActivationKind> Activations(NetworkPlan plan, int index)
    {
        if (plan.Layers[index].Activation != ActivationKind.None)
        {
            yield return plan.Layers[index].Activation;
        }

        if (index == plan.Layers.Count - 1 && plan.Loss.Link != ActivationKind.None)
        {
            yield return plan.Loss.Link;
        }
    }

    private static void EmitInitializer(SourceWriter writer, string region, ParameterTensor tensor) =>
        writer.Line($"graph.Initializer(name: \"{tensor.StateName}\", values: new global::System.ReadOnlySpan<float>({region}, Layout.{tensor.ConstantName}, {tensor.Shape.Size}), shape: [{string.Join(", ", tensor.Shape.Dimensions)}]);");

    /// <summary>The ONNX operator of an activation, or null when opset 13 has none (GELU's Gelu came in opset 20).</summary>
    private static string? OnnxOperator(ActivationKind kind) => kind switch
    {
        ActivationKind.None => "Identity",
        ActivationKind.ReLU => "Relu",
        ActivationKind.LeakyReLU => "LeakyRelu",
        ActivationKind.Sigmoid => "Sigmoid",
        ActivationKind.Tanh => "Tanh",
        ActivationKind.GELU => null,
        ActivationKind.Softmax => "Softmax",
        ActivationKind.ReLU6 => "Clip",
    };

    private static void EmitActivation(SourceWriter writer, ActivationKind kind, string layer, string input, string result)
    {
        var op = OnnxOperator(kind);
        var node = $"graph.Node(op: \"{op}\", name: \"{layer}.{op!.ToLowerInvariant()}\", inputs: [\"{input}\"], output: \"{result}\"";
        switch (kind)
        {
            case ActivationKind.LeakyReLU:
                writer.Line(node + ", floats: [(\"alpha\", 0.01f)]);");
                break;
            case ActivationKind.Softmax:
                // NetGen's softmax is over a sample's values, which ONNX Runtime reads as the last axis.
                writer.Line(node + ", ints: [(\"axis\", -1)]);");
                break;
            case ActivationKind.ReLU6:
                // Clip's bounds are inputs since opset 11.
                writer.Line($"graph.Initializer(name: \"{layer}.clip_min\", values: [0f], shape: []);");
                writer.Line($"graph.Initializer(name: \"{layer}.clip_max\", values: [6f], shape: []);");
                writer.Line($"graph.Node(op: \"Clip\", name: \"{layer}.clip\", inputs: [\"{input}\", \"{layer}.clip_min\", \"{layer}.clip_max\"], output: \"{result}\");");
                break;
            case ActivationKind.None:
            case ActivationKind.ReLU:
            case ActivationKind.Sigmoid:
            case ActivationKind.Tanh:
            case ActivationKind.GELU:
                writer.Line(node + ");");
                break;
        }
    }
}
