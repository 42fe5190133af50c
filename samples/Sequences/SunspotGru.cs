namespace NetGen.Samples.Sequences;

/// <summary>
/// Next year's sunspot activity from the <see cref="Years"/> before it (standardised): a GRU with 32
/// hidden units reads the years in order and a Dense layer turns its last state into the forecast.
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 7)]
[Input(Years, 1)]
public partial class SunspotGru
{
    /// <summary>Years read per forecast: about one solar cycle (11 years), so the model sees where in the cycle it is.</summary>
    public const int Years = 10;

    [GRU(32)] public partial GRU Recurrent { get; }
    [Dense(1)] public partial Dense Forecast { get; }
}
