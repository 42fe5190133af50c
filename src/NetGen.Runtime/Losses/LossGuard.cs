using System;

namespace NetGen.Losses;

/// <summary>Argument checks shared by the losses, so a bad label fails loudly instead of indexing garbage.</summary>
internal static class LossGuard
{
    public static void CheckLabels(ReadOnlySpan<int> labels, int batch, int classes)
    {
        if (labels.Length != batch)
        {
            throw new ArgumentException($"Expected {batch} labels (one per sample), got {labels.Length}.", nameof(labels));
        }

        for (var i = 0; i < batch; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"labels[{i}] = {labels[i]} is outside [0, {classes}).");
            }
        }
    }

    public static void CheckTargets(int length, int expected)
    {
        if (length != expected)
        {
            throw new ArgumentException($"Expected {expected} target values (batch × outputs), got {length}.", "targets");
        }
    }
}
