namespace NetGen.Bench;

/// <summary>
/// One benchmark figure: throughput in samples/s (or GFLOP/s for SGEMM) and, for batch-1
/// inference, latency in microseconds. <paramref name="Cores"/> is the thread count.
/// <paramref name="Gflops"/> is the nominal arithmetic rate behind the figure (NaN when it has no FLOP count),
/// <paramref name="Configuration"/> how the figure was obtained (a reference's threads and kernels), and
/// <paramref name="OtherCores"/> the cores other processes kept busy meanwhile (the load on the shared machine).
/// </summary>
internal sealed record Measurement(string Bench, int Cores, double Value, string Unit, bool LowerIsBetter = false)
{
    public double Gflops { get; init; } = double.NaN;

    public string Configuration { get; init; } = string.Empty;

    public double OtherCores { get; init; } = double.NaN;
}
