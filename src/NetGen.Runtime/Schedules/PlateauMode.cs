namespace NetGen.Schedules;

/// <summary>Whether <see cref="ReduceLROnPlateau"/> watches a metric that should fall or rise.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss).</summary>
    Min,

    /// <summary>Higher is better (an accuracy).</summary>
    Max,
}
