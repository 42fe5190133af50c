using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Bench;

/// <summary>The side-by-side table: NetGen against PyTorch (or OpenBLAS), as ratios from one run.</summary>
internal static class Report
{
    public static string Table(IReadOnlyList<Measurement> netgen, IReadOnlyList<Measurement> torch, double fmaPeak)
    {
        var builder = new StringBuilder();
        builder.AppendLine("| benchmark | cores | NetGen | reference | ratio |");
        builder.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var mine in netgen.Where(m => !m.Bench.StartsWith("openblas_", StringComparison.Ordinal)))
        {
            var referenceName = mine.Bench.StartsWith("sgemm_", StringComparison.Ordinal) ? "openblas_" + mine.Bench["sgemm_".Length..] : mine.Bench;
            var pool = mine.Bench.StartsWith("sgemm_", StringComparison.Ordinal) ? netgen : torch;
            var candidates = pool.Where(r => r.Bench == referenceName && r.Cores == mine.Cores).ToList();
            var reference = candidates.Count == 0 ? null : (mine.LowerIsBetter ? candidates.MinBy(r => r.Value) : candidates.MaxBy(r => r.Value));
            var who = mine.Bench.StartsWith("sgemm_", StringComparison.Ordinal) ? "OpenBLAS " : "PyTorch ";
            var ratio = reference is null ? "n/a" : Format(mine.LowerIsBetter ? reference.Value / mine.Value : mine.Value / reference.Value) + "×";
            var extra = mine.Bench.StartsWith("sgemm_", StringComparison.Ordinal) && !double.IsNaN(fmaPeak)
                ? $" ({100 * mine.Value / (fmaPeak * mine.Cores):F0}% of peak)"
                : string.Empty;
            builder.AppendLine($"| {mine.Bench} | {mine.Cores} | {Format(mine.Value)} {mine.Unit}{extra} | {(reference is null ? "n/a" : who + Format(reference.Value) + " " + reference.Unit)} | {ratio} |");
        }

        return builder.ToString();
    }

    private static string Format(double value) => value >= 100
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture);
}
