namespace NetGen.Schedules;

/// <summary>How <see cref="ReduceLROnPlateau"/> decides that a metric improved.</summary>
public enum ThresholdMode
{
    /// <summary>Better than <c>best·(1 ∓ threshold)</c>.</summary>
    Relative,

    /// <summary>Better than <c>best ∓ threshold</c>.</summary>
    Absolute,
}
