using System;
using System.Collections.Generic;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>A dataset's samples replaced by a frozen prefix's features, computed once in sample order, with the same labels.</summary>
internal sealed class FeatureDataset : IDataset
{
    private readonly float[] _features;
    private readonly int[] _labels;
    private readonly int _size;

    private FeatureDataset(float[] features, int[] labels, int size, int classCount)
    {
        _features = features;
        _labels = labels;
        _size = size;
        SampleShape = [size];
        ClassCount = classCount;
    }

    /// <summary>Runs <paramref name="network"/>'s frozen prefix over <paramref name="source"/> in order, <paramref name="batchSize"/> samples at a time, read by workers as <paramref name="loading"/> says.</summary>
    public static FeatureDataset Of(IFrozenFeatureNetwork network, IDataset source, DataLoaderOptions loading, int batchSize)
    {
        var size = network.FrozenFeatureSize;
        var features = new float[source.Count * size];
        var labels = new int[source.Count];
        var inOrder = new DataLoader(source, loading with { BatchSize = batchSize, Shuffle = false, LastBatch = LastBatchPolicy.Keep, ShardIndex = 0, ShardCount = 1 });
        var done = 0;
        foreach (var batch in inOrder.Epoch(0))
        {
            network.ForwardFrozenPrefix(batch.Inputs, features.AsSpan(done * size, batch.Size * size));
            batch.Labels.CopyTo(labels.AsSpan(done));
            done += batch.Size;
        }

        return new FeatureDataset(features, labels, size, source.ClassCount);
    }

    public int Count => _labels.Length;

    public IReadOnlyList<int> SampleShape { get; }

    public int ClassCount { get; }

    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        _features.AsSpan(index * _size, _size).CopyTo(input);
        return _labels[index];
    }
}
