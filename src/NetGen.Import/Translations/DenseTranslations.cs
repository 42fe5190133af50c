using System.Linq;

namespace NetGen.Import.Translations;

/// <summary>Gemm and MatMul with a constant right-hand side: NetGen's <c>[Dense]</c>, weight <c>[units, in]</c> as PyTorch's Linear.</summary>
internal static class DenseTranslations
{
    /// <summary>Gemm(A, B[, C]) with alpha = beta = 1 and A not transposed → <c>[Dense(units)]</c>.</summary>
    public static ImportedLayer Gemm(OnnxNode node, ImportContext context)
    {
        if (node.Int("transA", 0) != 0)
        {
            throw node.Error("transA", "is 1; NetGen's Dense reads its input as [batch, features] (transA must be 0).");
        }

        foreach (var scale in new[] { "alpha", "beta" })
        {
            if (node.Float(scale, 1f) != 1f)
            {
                throw node.Error(scale, $"is {node.Float(scale, 1f)}; NetGen's Dense computes x·Wᵀ + b unscaled ({scale} must be 1).");
            }
        }

        var b = context.Weight(node, 1, "B", "weight");
        RequireMatrix(node, "B", b);
        var transposed = node.Int("transB", 0) != 0;
        var weight = transposed ? b : b with { Shape = [b.Shape[1], b.Shape[0]], Values = OnnxTensors.Transpose(b.Values, b.Shape[0], b.Shape[1]) };
        var units = weight.Shape[0];
        var layer = Dense(node, weight);
        if (ImportContext.Has(node, 2))
        {
            var bias = context.Weight(node, 2, "C", "bias");
            if (bias.Values.Length != units || bias.Shape.Any(d => d != units && d != 1))
            {
                throw node.Error("C", $"has shape {Window.Format(bias.Shape.Select(d => (long)d))}; NetGen's Dense adds one bias per unit ([{units}] or [1, {units}]).");
            }

            AddBias(layer, bias);
        }

        return layer;
    }

    /// <summary>MatMul(A, B) with B a constant <c>[in, units]</c> → <c>[Dense(units, Bias = false)]</c>; an Add of a constant after it becomes the bias.</summary>
    public static ImportedLayer MatMul(OnnxNode node, ImportContext context)
    {
        var b = context.Weight(node, 1, "B", "weight");
        RequireMatrix(node, "B", b);
        return Dense(node, b with { Shape = [b.Shape[1], b.Shape[0]], Values = OnnxTensors.Transpose(b.Values, b.Shape[0], b.Shape[1]) });
    }

    /// <summary>Gives a bias-less Dense the bias an Add node adds to its output (PyTorch's MatMul + Add export of Linear).</summary>
    public static void AddBias(ImportedLayer layer, LayerWeight bias)
    {
        layer.Named.Remove("Bias = false");
        layer.Weights.Add(bias with { Suffix = "bias", Shape = [bias.Values.Length] });
    }

    private static ImportedLayer Dense(OnnxNode node, LayerWeight weight)
    {
        var layer = new ImportedLayer(node, LayerKind.Dense, [node.Inputs[0]]);
        layer.Positional.Add(ImageTranslations.Number(weight.Shape[0]));
        layer.Named.Add("Bias = false");
        layer.Weights.Add(weight);
        return layer;
    }

    private static void RequireMatrix(OnnxNode node, string input, LayerWeight weight)
    {
        if (weight.Shape.Length != 2)
        {
            throw node.Error(input, $"has shape {Window.Format(weight.Shape.Select(d => (long)d))}; NetGen's Dense takes a matrix.");
        }
    }
}
