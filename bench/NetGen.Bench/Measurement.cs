namespace NetGen.Bench;

/// <summary>
/// One benchmark figure: throughput in samples/s (or GFLOP/s for SGEMM) and, for batch-1
/// inference, latency in microseconds. <paramref name="Cores"/> is the thread count.
/// </summary>
internal sealed record Measurement(string Bench, int Cores, double Value, string Unit, bool LowerIsBetter = false);
