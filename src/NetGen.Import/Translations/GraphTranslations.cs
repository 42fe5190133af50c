using System.Globalization;
using System.Linq;

namespace NetGen.Import.Translations;

/// <summary>BatchNormalization, Add, Concat, Flatten and Dropout.</summary>
internal static class GraphTranslations
{
    /// <summary>BatchNormalization(X, scale, B, mean, var) in inference form → <c>[BatchNorm]</c> with PyTorch's buffer names.</summary>
    public static ImportedLayer BatchNormalization(OnnxNode node, ImportContext context)
    {
        if (node.Int("spatial", 1) != 1)
        {
            throw node.Error("spatial", "is 0 (statistics per pixel); NetGen's BatchNorm keeps one mean and variance per channel (spatial 1).");
        }

        if (node.Int("training_mode", 0) != 0)
        {
            throw node.Error("training_mode", "is 1; the importer reads models saved for inference (training_mode 0).");
        }

        // Opset 1-6 flags that say nothing about the inference numbers.
        node.Int("is_test", 0);
        node.Ints("consumed_inputs");
        RequireUnread(node, context, 1, "the running statistics NetGen's BatchNorm updates internally");
        var layer = new ImportedLayer(node, LayerKind.BatchNorm, [node.Inputs[0]]);
        var epsilon = node.Float("epsilon", 1e-5f);
        if (epsilon != 1e-5f)
        {
            layer.Named.Add($"Epsilon = {epsilon.ToString("R", CultureInfo.InvariantCulture)}");
        }

        // ONNX's momentum weighs the old running value, PyTorch's and NetGen's the new batch statistic;
        // decimal arithmetic on the float's shortest digits keeps 1 − 0.9 at 0.1.
        var onnxMomentum = decimal.Parse(node.Float("momentum", 0.9f).ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (1 - onnxMomentum != 0.1m)
        {
            layer.Named.Add($"Momentum = {(1 - onnxMomentum).ToString(CultureInfo.InvariantCulture)}");
        }

        layer.Weights.Add(context.Weight(node, 1, "scale", "weight"));
        layer.Weights.Add(context.Weight(node, 2, "B", "bias"));
        layer.Weights.Add(context.Weight(node, 3, "mean", "running_mean"));
        layer.Weights.Add(context.Weight(node, 4, "var", "running_var"));
        return layer;
    }

    /// <summary>Add of two computed tensors → <c>[Add(a, b)]</c>; Add of a constant to a bias-less Dense → that Dense's bias.</summary>
    public static ImportedLayer Add(OnnxNode node, ImportContext context)
    {
        var constant = Enumerable.Range(0, 2).Where(i => context.IsConstant(node.Inputs[i])).ToList();
        if (constant.Count == 0)
        {
            return new ImportedLayer(node, LayerKind.Add, [node.Inputs[0], node.Inputs[1]]);
        }

        var computed = node.Inputs[1 - constant[0]];
        var dense = constant.Count == 1 ? context.ProducerOf(computed) : null;
        if (dense is not { Kind: LayerKind.Dense, Activation: Activation.None } || dense.Weights.Count != 1 || context.Consumers(computed) != 1)
        {
            throw node.Error(constant[0] == 0 ? "A" : "B", $"reads the constant '{node.Inputs[constant[0]]}'; NetGen's Add sums two computed tensors, and a constant is only taken as the bias of the MatMul or Gemm without bias just before it.");
        }

        var bias = context.Weight(node, constant[0], "bias", "bias");
        var units = dense.Weights[0].Shape[0];
        if (bias.Values.Length != units)
        {
            throw node.Error(constant[0] == 0 ? "A" : "B", $"adds a constant of shape {Window.Format(bias.Shape.Select(d => (long)d))} to a Dense of {units} units; only one bias per unit can be folded into it.");
        }

        DenseTranslations.AddBias(dense, bias);
        dense.Nodes.Add($"{node.Name} ({node.OperatorType})");
        return dense;
    }

    /// <summary>Concat along the channels (axis 1) → <c>[Concat(a, b, …)]</c>.</summary>
    public static ImportedLayer Concat(OnnxNode node, ImportContext context)
    {
        var axis = node.Int("axis", long.MinValue);
        if (axis != 1)
        {
            throw node.Error("axis", $"is {(axis == long.MinValue ? "missing" : axis.ToString(CultureInfo.InvariantCulture))}; NetGen's Concat joins channels or features (axis 1).");
        }

        foreach (var input in node.Inputs.Where(context.IsConstant))
        {
            throw node.Error("inputs", $"include the constant '{input}'; NetGen's Concat joins computed tensors.");
        }

        return new ImportedLayer(node, LayerKind.Concat, [.. node.Inputs]);
    }

    /// <summary>Flatten at axis 1 → <c>[Flatten]</c>.</summary>
    public static ImportedLayer Flatten(OnnxNode node, ImportContext context)
    {
        var axis = node.Int("axis", 1);
        if (axis != 1)
        {
            throw node.Error("axis", $"is {axis}; NetGen's Flatten keeps the batch axis and flattens the rest (axis 1).");
        }

        return new ImportedLayer(node, LayerKind.Flatten, [node.Inputs[0]]);
    }

    /// <summary>Dropout → <c>[Dropout(rate)]</c>: identity in inference, as ONNX Runtime runs it.</summary>
    public static ImportedLayer Dropout(OnnxNode node, ImportContext context)
    {
        // is_test (opset 1-6) and seed (12+) say nothing about inference, where Dropout passes its input through.
        node.Int("is_test", 0);
        node.Int("seed", 0);
        var rate = node.Float("ratio", 0.5f);
        if (ImportContext.Has(node, 1))
        {
            var ratio = context.Constant(node, 1, "ratio");
            rate = OnnxTensors.Floats(ratio, node).Single();
        }

        if (ImportContext.Has(node, 2))
        {
            var training = context.Constant(node, 2, "training_mode");
            if (training.Int32Data.Any(v => v != 0) || training.RawData.ToByteArray().Any(b => b != 0))
            {
                throw node.Error("training_mode", "is true; the importer reads models saved for inference.");
            }
        }

        RequireUnread(node, context, 1, "the mask, which NetGen's Dropout keeps to itself");
        var layer = new ImportedLayer(node, LayerKind.Dropout, [node.Inputs[0]]);
        layer.Positional.Add(rate.ToString("R", CultureInfo.InvariantCulture));
        return layer;
    }

    /// <summary>Fails when a node's outputs from <paramref name="first"/> on are read: NetGen layers have one output.</summary>
    private static void RequireUnread(OnnxNode node, ImportContext context, int first, string what)
    {
        foreach (var output in node.Outputs.Skip(first).Where(o => o.Length > 0 && context.Consumers(o) > 0))
        {
            throw node.Error("outputs", $"'{output}' is read by another node, but it is {what}; NetGen layers have one output.");
        }
    }
}
