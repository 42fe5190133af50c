namespace NetGen.Import.Translations;

/// <summary>
/// Relu, Softmax and Sigmoid: NetGen applies activations inside the layer before them, so these nodes fold
/// into their producer, which must take that activation, have none yet and be read by nothing else.
/// </summary>
internal static class ActivationTranslations
{
    public static ImportedLayer Relu(OnnxNode node, ImportContext context) => Fold(node, context, Activation.ReLU);

    /// <summary>Sigmoid, e.g. the probability output of a binary classifier (Chollet's convnet, exported by NetGen).</summary>
    public static ImportedLayer Sigmoid(OnnxNode node, ImportContext context) => Fold(node, context, Activation.Sigmoid);

    /// <summary>Softmax over the features of a Dense's output [batch, units]: axis 1, or −1 (opset 13's default), are the same axis there.</summary>
    public static ImportedLayer Softmax(OnnxNode node, ImportContext context)
    {
        var axis = node.Int("axis", context.Opset >= 13 ? -1 : 1);
        if (axis is not (1 or -1))
        {
            throw node.Error("axis", $"is {axis}; NetGen's Softmax runs over the features of a Dense layer (axis 1 or -1).");
        }

        return Fold(node, context, Activation.Softmax);
    }

    private static ImportedLayer Fold(OnnxNode node, ImportContext context, Activation activation)
    {
        var input = node.Inputs[0];
        var producer = context.ProducerOf(input)
            ?? throw node.Error(null, $"reads the network input '{input}'; NetGen applies {node.OperatorType} inside the layer before it, and there is none.");
        if (!producer.Accepts(activation))
        {
            throw node.Error(null, $"follows {producer.Kind} '{producer.Nodes[0]}', which takes no {activation} activation in NetGen ({(activation == Activation.Softmax ? "only Dense does" : "Conv2D, BatchNorm, Add and Dense do")}).");
        }

        if (producer.Activation != Activation.None)
        {
            throw node.Error(null, $"follows '{producer.Nodes[0]}', which already ends in {producer.Activation}; NetGen layers apply one activation.");
        }

        if (context.Consumers(input) != 1)
        {
            throw node.Error(null, $"reads '{input}', which {context.Consumers(input) - 1} other node(s) or the graph output also read; NetGen cannot keep a layer's value both before and after its activation.");
        }

        producer.Activation = activation;
        producer.Nodes.Add($"{node.Name} ({node.OperatorType})");
        return producer;
    }
}
