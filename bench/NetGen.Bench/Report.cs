using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Bench;

/// <summary>The side-by-side table: NetGen against PyTorch (or OpenBLAS), as ratios from one run.</summary>
internal static class Report
{
    /// <summary>
    /// One row per NetGen figure: its nominal GFLOP/s as a fraction of the FMA peak of the cores it used, the
    /// reference's figure with the configuration that gave it (the faster one at the same core count), the
    /// ratio, and the load other processes put on the machine while each side ran.
    /// </summary>
    public static string Table(IReadOnlyList<Measurement> netgen, IReadOnlyList<Measurement> torch, double fmaPeak)
    {
        var builder = new StringBuilder();
        builder.AppendLine("| benchmark | cores | NetGen | GFLOP/s (of FMA peak) | reference | reference configuration | ratio | load (other cores: NetGen / reference) |");
        builder.AppendLine("|---|---:|---:|---:|---:|---|---:|---:|");
        foreach (var mine in netgen.Where(m => !m.Bench.StartsWith("openblas_", StringComparison.Ordinal)))
        {
            var sgemm = mine.Bench.StartsWith("sgemm_", StringComparison.Ordinal);
            var referenceName = sgemm ? "openblas_" + mine.Bench["sgemm_".Length..] : mine.Bench;
            var candidates = (sgemm ? netgen : torch).Where(r => r.Bench == referenceName && r.Cores == mine.Cores).ToList();
            var reference = candidates.Count == 0 ? null : (mine.LowerIsBetter ? candidates.MinBy(r => r.Value) : candidates.MaxBy(r => r.Value));
            var ratio = reference is null ? "n/a" : Format(mine.LowerIsBetter ? reference.Value / mine.Value : mine.Value / reference.Value) + "×";
            var referenceFigure = reference is null ? "n/a" : $"{(sgemm ? "OpenBLAS" : "PyTorch")} {Format(reference.Value)} {reference.Unit}";
            builder.AppendLine($"| {mine.Bench} | {mine.Cores} | {Format(mine.Value)} {mine.Unit} | {OfPeak(mine, fmaPeak)} | {referenceFigure} | {reference?.Configuration ?? "n/a"} | {ratio} | {Load(mine)} / {(reference is null ? "n/a" : Load(reference))} |");
        }

        return builder.ToString();
    }

    private static string OfPeak(Measurement measurement, double fmaPeak) => double.IsNaN(measurement.Gflops)
        ? "n/a"
        : double.IsNaN(fmaPeak)
            ? Format(measurement.Gflops)
            : string.Create(CultureInfo.InvariantCulture, $"{Format(measurement.Gflops)} ({100 * measurement.Gflops / (fmaPeak * measurement.Cores):F0} %)");

    private static string Load(Measurement measurement) => double.IsNaN(measurement.OtherCores)
        ? "n/a"
        : measurement.OtherCores.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Format(double value) => value >= 100
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture);
}
