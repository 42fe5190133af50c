using System;
using System.Collections.Generic;
using NetGen.Data;
using NetGen.Data.Images;

namespace NetGen.Samples.DogsVsCats;

/// <summary>
/// The first <c>limit</c> samples of each class of an <see cref="ImageFolderDataset"/> (all of a
/// class that has fewer), in dataset order, for quick smoke runs on a few images.
/// </summary>
public sealed class ClassSubset : IDataset
{
    private readonly ImageFolderDataset _source;
    private readonly int[] _indices;

    /// <summary>Keeps at most <paramref name="limit"/> samples of each class of <paramref name="source"/>.</summary>
    public ClassSubset(ImageFolderDataset source, int limit)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _source = source;
        var taken = new int[source.ClassCount];
        var indices = new List<int>();
        for (var i = 0; i < source.Count; i++)
        {
            if (taken[source.Labels[i]]++ < limit)
            {
                indices.Add(i);
            }
        }

        _indices = [.. indices];
    }

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape => _source.SampleShape;

    /// <inheritdoc/>
    public int ClassCount => _source.ClassCount;

    /// <inheritdoc/>
    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _source.Read(_indices[index], input, augmentationSeed);
    }
}
