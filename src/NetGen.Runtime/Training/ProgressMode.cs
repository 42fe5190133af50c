namespace NetGen.Training;

/// <summary>How <c>Trainer.Fit</c> reports progress within an epoch.</summary>
public enum ProgressMode
{
    /// <summary>A bar when writing to a console that is a terminal, plain lines otherwise.</summary>
    Auto,

    /// <summary>One line rewritten in place with <c>\r</c>: bar, samples/s, ETA, running loss and accuracy.</summary>
    Bar,

    /// <summary>A plain line every 10% of the epoch and one at its end, for logs and redirected output.</summary>
    Lines,

    /// <summary>Only the end-of-epoch summary line.</summary>
    EpochsOnly,
}
