using System;
using System.Globalization;
using System.Text;

namespace NetGen;

/// <summary>
/// Completes a generated network's <see cref="INetwork.Summary"/> at run time with what
/// <see cref="INetwork.SetFrozen"/> can change: which layers are frozen, and so how many parameters
/// are trainable. The generator renders everything else at build time.
/// </summary>
public static class NetworkSummary
{
    /// <summary>
    /// The summary: <paramref name="table"/> (heading, column titles and the input row, each line
    /// ending in a newline), one line per layer from <paramref name="layerRows"/> with
    /// <c>(frozen)</c> after each frozen layer, the parameter counts, then <paramref name="footer"/>.
    /// <paramref name="frozen"/> and <paramref name="layerParameters"/> hold each layer's state and
    /// parameter range, as the network keeps them for <see cref="LayerFreezing"/>.
    /// </summary>
    public static string Render(string table, ReadOnlySpan<string> layerRows, ReadOnlySpan<bool> frozen, ReadOnlySpan<ParameterRange> layerParameters, string footer)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(footer);
        var text = new StringBuilder(table);
        long total = 0, frozenCount = 0;
        for (var i = 0; i < layerRows.Length; i++)
        {
            var isFrozen = frozen[i] && layerParameters[i].Length > 0;
            text.Append(layerRows[i]).Append(isFrozen ? "  (frozen)\n" : "\n");
            // A use of another layer's parameters lists the owner's range: those parameters count once.
            var counted = LayerFreezing.RepeatsEarlierRange(layerParameters, i) ? 0 : layerParameters[i].Length;
            total += counted;
            frozenCount += isFrozen ? counted : 0;
        }

        text.Append(CultureInfo.InvariantCulture, $"Parameters: {total:N0} (trainable: {total - frozenCount:N0}, frozen: {frozenCount:N0})\n");
        return text.Append(footer).ToString();
    }
}
