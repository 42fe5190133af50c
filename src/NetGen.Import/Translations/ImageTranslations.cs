using System.Linq;
using System.Globalization;

namespace NetGen.Import.Translations;

/// <summary>Conv, MaxPool, AveragePool and GlobalAveragePool: NetGen's image layers, NCHW like ONNX.</summary>
internal static class ImageTranslations
{
    /// <summary>Conv(X, W[, B]) → <c>[Conv2D(filters, kernel, …)]</c>, weight <c>[filters, channels, k, k]</c> as ONNX stores it.</summary>
    public static ImportedLayer Conv(OnnxNode node, ImportContext context)
    {
        var weight = context.Weight(node, 1, "W", "weight");
        if (weight.Shape.Length != 4)
        {
            throw node.Error("W", $"has shape {Window.Format(weight.Shape.Select(d => (long)d))}; NetGen convolutions are 2-D, with a weight [filters, channels, kernel, kernel].");
        }

        if (weight.Shape[2] != weight.Shape[3])
        {
            throw node.Error("kernel_shape", $"is [{weight.Shape[2]}, {weight.Shape[3]}]; NetGen's windows are square.");
        }

        if (node.Int("group", 1) != 1)
        {
            throw node.Error("group", $"is {node.Int("group", 1)}; NetGen convolutions are not grouped (group must be 1).");
        }

        var window = Window.Read(node, weight.Shape[2]);
        var layer = new ImportedLayer(node, LayerKind.Conv2D, [node.Inputs[0]]);
        layer.Positional.Add(Number(weight.Shape[0]));
        layer.Positional.Add(Number(window.Kernel));
        if (window.Stride != 1)
        {
            layer.Named.Add($"Stride = {Number(window.Stride)}");
        }

        layer.Named.AddRange(window.PaddingArgument());
        layer.Weights.Add(weight);
        if (ImportContext.Has(node, 2))
        {
            layer.Weights.Add(context.Weight(node, 2, "B", "bias"));
        }
        else
        {
            layer.Named.Add("Bias = false");
        }

        return layer;
    }

    /// <summary>MaxPool → <c>[MaxPool2D(pool, …)]</c>; padding counts as −∞ in both.</summary>
    public static ImportedLayer MaxPool(OnnxNode node, ImportContext context)
    {
        if (node.Int("ceil_mode", 0) != 0)
        {
            throw node.Error("ceil_mode", "is 1; NetGen pools round the output size down (ceil_mode 0); add a pad on the bottom and right instead.");
        }

        if (node.Int("storage_order", 0) != 0)
        {
            throw node.Error("storage_order", "is 1 (column-major indices); NetGen's MaxPool has no Indices output.");
        }

        if (node.Outputs.Count > 1 && context.Consumers(node.Outputs[1]) > 0)
        {
            throw node.Error("Indices", "is read by another node; NetGen's MaxPool has no Indices output.");
        }

        return Pool(node, LayerKind.MaxPool2D).Layer;
    }

    /// <summary>AveragePool → <c>[AvgPool2D(pool, …)]</c>; ONNX's count_include_pad defaults to 0, NetGen's to true.</summary>
    public static ImportedLayer AveragePool(OnnxNode node, ImportContext context)
    {
        if (node.Int("ceil_mode", 0) != 0)
        {
            throw node.Error("ceil_mode", "is 1; NetGen pools round the output size down (ceil_mode 0); add a pad on the bottom and right instead.");
        }

        var countIncludePad = node.Int("count_include_pad", 0) != 0;
        var (layer, window) = Pool(node, LayerKind.AvgPool2D);
        if (!countIncludePad && window.Pads.Any(p => p != 0))
        {
            layer.Named.Add("CountIncludePad = false");
        }

        return layer;
    }

    /// <summary>GlobalAveragePool → <c>[GlobalAveragePool2D]</c>: <c>[N, C, H, W] → [N, C]</c> in NetGen, which ONNX writes <c>[N, C, 1, 1]</c> (same values, same order).</summary>
    public static ImportedLayer GlobalAveragePool(OnnxNode node, ImportContext context) =>
        new(node, LayerKind.GlobalAveragePool2D, [node.Inputs[0]]);

    private static (ImportedLayer Layer, Window Window) Pool(OnnxNode node, LayerKind kind)
    {
        var window = Window.Read(node, null);
        var layer = new ImportedLayer(node, kind, [node.Inputs[0]]);
        layer.Positional.Add(Number(window.Kernel));
        if (window.Stride != window.Kernel)
        {
            layer.Named.Add($"Stride = {Number(window.Stride)}");
        }

        layer.Named.AddRange(window.PaddingArgument());
        return (layer, window);
    }

    internal static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
