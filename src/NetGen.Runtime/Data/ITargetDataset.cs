using System;

namespace NetGen.Data;

/// <summary>
/// A dataset whose samples carry float targets (regression: MSE or MAE) instead of class labels.
/// Its <see cref="IDataset.ClassCount"/> is 0 and its <see cref="IDataset.Read"/> writes the input
/// and returns 0; the <see cref="DataLoader"/> then reads each sample's target with
/// <see cref="ReadTarget"/> into <see cref="Batch.Targets"/>.
/// </summary>
public interface ITargetDataset : IDataset
{
    /// <summary>Floats in one sample's target; 0 for a view of a labelled dataset (such as a <see cref="DatasetSubset"/> of one).</summary>
    int TargetSize { get; }

    /// <summary>Writes the target of sample <paramref name="index"/> (exactly <see cref="TargetSize"/> floats). Thread-safe, as <see cref="IDataset.Read"/>.</summary>
    void ReadTarget(int index, Span<float> target);
}
