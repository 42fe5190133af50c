using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.Import.Translations;

/// <summary>
/// The sliding window of a Conv or pooling node: a square kernel, one stride for both directions,
/// and the four pads in ONNX order <c>[top, left, bottom, right]</c>, which is also NetGen's <c>Pads</c> order.
/// </summary>
internal sealed record Window(int Kernel, int Stride, int[] Pads)
{
    /// <summary>Reads <c>kernel_shape</c>, <c>strides</c>, <c>pads</c>, <c>dilations</c> and <c>auto_pad</c>; <paramref name="weightKernel"/> is the kernel a Conv's weight implies.</summary>
    public static Window Read(OnnxNode node, int? weightKernel)
    {
        var kernel = Square(node, "kernel_shape", node.Ints("kernel_shape"), weightKernel);
        if (weightKernel is { } implied && kernel != implied)
        {
            throw node.Error("kernel_shape", $"is {kernel}×{kernel} but the weight's kernel is {implied}×{implied}.");
        }

        var stride = Square(node, "strides", node.Ints("strides"), 1);
        if (node.Ints("dilations") is { } dilations && dilations.Any(d => d != 1))
        {
            throw node.Error("dilations", $"is {Format(dilations)}; NetGen has no dilated windows (every dilation must be 1).");
        }

        var autoPad = node.String("auto_pad", "NOTSET");
        var pads = node.Ints("pads");
        if (autoPad is not ("NOTSET" or "VALID" or ""))
        {
            throw node.Error("auto_pad", $"is {autoPad}; NetGen needs the pads spelled out (auto_pad NOTSET with pads, or VALID).");
        }

        if (pads is null)
        {
            return new Window(kernel, stride, [0, 0, 0, 0]);
        }

        if (autoPad == "VALID" && pads.Any(p => p != 0))
        {
            throw node.Error("pads", $"is {Format(pads)} with auto_pad VALID, which means no padding.");
        }

        if (pads.Count != 4 || pads.Any(p => p < 0))
        {
            throw node.Error("pads", $"is {Format(pads)}; NetGen takes four non-negative pads [top, left, bottom, right].");
        }

        return new Window(kernel, stride, [.. pads.Select(p => checked((int)p))]);
    }

    /// <summary>The named padding argument that says this window's pads most plainly, or none for no padding.</summary>
    public IEnumerable<string> PaddingArgument()
    {
        if (Pads.All(p => p == 0))
        {
            yield break;
        }

        yield return Pads.All(p => p == Pads[0])
            ? $"PaddingSize = {Pads[0].ToString(CultureInfo.InvariantCulture)}"
            : $"Pads = [{string.Join(", ", Pads.Select(p => p.ToString(CultureInfo.InvariantCulture)))}]";
    }

    public static string Format(IEnumerable<long> values) => "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";

    private static int Square(OnnxNode node, string attribute, IReadOnlyList<long>? values, int? defaultValue)
    {
        if (values is null)
        {
            return defaultValue ?? throw node.Error(attribute, "is missing; ONNX requires it here.");
        }

        if (values.Count != 2)
        {
            throw node.Error(attribute, $"is {Format(values)}; NetGen's windows are 2-D (two values).");
        }

        if (values[0] != values[1] || values[0] < 1)
        {
            throw node.Error(attribute, $"is {Format(values)}; NetGen's windows are square (both values equal and positive).");
        }

        return checked((int)values[0]);
    }
}
