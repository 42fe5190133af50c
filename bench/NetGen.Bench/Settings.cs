namespace NetGen.Bench;

/// <summary>Timing settings: the reference's full protocol (7 repeats of ~0.5 s) or its --quick one.</summary>
internal sealed record Settings(double Target, int Repeats, double Warmup)
{
    public static Settings Full { get; } = new(0.5, 7, 1.0);

    public static Settings Quick { get; } = new(0.15, 3, 0.2);
}
