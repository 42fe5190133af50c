using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// What the layers that slide a window over an image <c>[channels, height, width]</c> share:
/// checking their integer and padding arguments, requiring an image input, and the output-size rule
/// <c>(size + padBefore + padAfter − window) / stride + 1</c>.
/// </summary>
internal static class ImageWindows
{
    /// <summary>The argument <paramref name="name"/> (or <paramref name="fallback"/> when absent), or null after reporting NG0007 at it when it is below <paramref name="minimum"/>.</summary>
    public static int? AtLeast(int minimum, AttributeArguments arguments, string name, int fallback, string kind, LayerDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        var value = arguments.Int(name, fallback);
        if (value >= minimum)
        {
            return value;
        }

        var rule = minimum == 1 ? "must be positive" : "must not be negative";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf(name), declaration.PropertyName, $"{kind} {name} {rule}, got {value}"));
        return null;
    }

    /// <summary>
    /// The padding given as <c>Pads</c> (four values, ONNX order) or <c>PaddingSize</c> (every side),
    /// else <paramref name="otherwise"/>; null after reporting NG0007 at the argument at fault: Pads
    /// beside another padding argument (<paramref name="rivals"/>), not four values, or negative.
    /// </summary>
    public static WindowPads? Pads(AttributeArguments arguments, string kind, LayerDeclaration declaration, List<DiagnosticInfo> diagnostics, string[] rivals, Func<WindowPads?> otherwise)
    {
        if (arguments.Find("Pads") is not { Kind: ArgumentKind.IntArray } pads)
        {
            if (arguments.Find("PaddingSize") is null)
            {
                return otherwise();
            }

            var size = AtLeast(0, arguments, "PaddingSize", 0, kind, declaration, diagnostics);
            return size is null ? null : WindowPads.Even(size.Value);
        }

        var values = pads.Numbers;
        var why = Array.Find(rivals, rival => arguments.Find(rival) is not null) is { } rival
            ? $"{kind} Pads and {rival} both set the padding; keep one"
            : values.Count != 4
                ? $"{kind} Pads needs 4 values [top, left, bottom, right] (ONNX order), got {values.Count}"
                : values.Any(v => v < 0)
                    ? $"{kind} Pads must not be negative, got [{string.Join(", ", values)}]"
                    : null;
        if (why is null)
        {
            return new WindowPads(values[0], values[1], values[2], values[3]);
        }

        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, pads.Location ?? arguments.AttributeLocation, declaration.PropertyName, why));
        return null;
    }

    /// <summary>NG0101 unless <paramref name="input"/> is an image <c>[channels, height, width]</c>.</summary>
    public static DiagnosticInfo? RequireImage(LayerSpec spec, Shape input, string producer)
    {
        if (input.Rank == 3)
        {
            return null;
        }

        var hint = input.Rank == 2 && producer == "input"
            ? $"; declare a single-channel image as [Input(1, {input[0]}, {input[1]})]"
            : string.Empty;
        return DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, spec.KindName, "an image [channels, height, width]", producer, input.ToString(), hint);
    }

    /// <summary>
    /// The output <c>[channels, outHeight, outWidth]</c> of a <paramref name="window"/>×<paramref name="window"/>
    /// window over an image input, or NG0103 when the window does not fit the padded image.
    /// </summary>
    public static ShapeResult Slide(LayerSpec spec, Shape input, string producer, string windowNoun, int channels, int window, int stride, WindowPads padding)
    {
        if (RequireImage(spec, input, producer) is { } notImage)
        {
            return ShapeResult.Fail(notImage);
        }

        var height = OutputSize(input[1] + padding.Top + padding.Bottom, window, stride);
        var width = OutputSize(input[2] + padding.Left + padding.Right, window, stride);
        if (height > 0 && width > 0)
        {
            return ShapeResult.Ok(Shape.Of(channels, height, width));
        }

        var empty = Shape.Of(channels, Math.Max(0, height), Math.Max(0, width));
        return ShapeResult.Fail(DiagnosticInfo.Create(
            DiagnosticDescriptors.WindowLargerThanInput, spec.Location, spec.PropertyName, spec.KindName, $"{window}×{window}", windowNoun, input[1], input[2], padding.ToString(), producer, input.ToString(), empty.ToString()));
    }

    /// <summary>Positions of the window along one padded axis; zero or less when it does not fit.</summary>
    private static int OutputSize(int padded, int window, int stride)
    {
        var room = padded - window;
        return room < 0 ? 0 : (room / stride) + 1;
    }
}
