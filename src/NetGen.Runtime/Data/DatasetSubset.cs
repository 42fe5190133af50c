using System;
using System.Collections.Generic;

namespace NetGen.Data;

/// <summary>
/// A view of some samples of another dataset, in a given order: sample <c>i</c> of the subset is
/// sample <c>Indices[i]</c> of <see cref="Source"/>. Reads go straight to the source, so a subset
/// is as thread-safe as its source and holds no copies. A subset of an <see cref="ITargetDataset"/>
/// serves its targets too.
/// </summary>
public sealed class DatasetSubset : ITargetDataset
{
    private readonly int[] indices;

    /// <summary>Creates the view.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index lies outside the source.</exception>
    public DatasetSubset(IDataset source, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (var i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)source.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"indices[{i}] is {indices[i]}, outside the {source.Count} samples of {source.GetType().Name}.");
            }
        }

        Source = source;
        this.indices = indices.ToArray();
    }

    /// <summary>The dataset the samples come from.</summary>
    public IDataset Source { get; }

    /// <summary>The source index of each sample of the subset.</summary>
    public IReadOnlyList<int> Indices => indices;

    /// <inheritdoc/>
    public int Count => indices.Length;

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape => Source.SampleShape;

    /// <inheritdoc/>
    public int ClassCount => Source.ClassCount;

    /// <inheritdoc/>
    public int TargetSize => Source is ITargetDataset targets ? targets.TargetSize : 0;

    /// <inheritdoc/>
    public bool Augments => Source.Augments;

    /// <inheritdoc/>
    public int Read(int index, Span<float> input, ulong augmentationSeed) =>
        Source.Read(indices[index], input, augmentationSeed);

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The source holds class labels, not targets.</exception>
    public void ReadTarget(int index, Span<float> target)
    {
        if (Source is not ITargetDataset { TargetSize: > 0 } targets)
        {
            throw new InvalidOperationException($"{Source.GetType().Name} holds class labels, not float targets.");
        }

        targets.ReadTarget(indices[index], target);
    }
}
