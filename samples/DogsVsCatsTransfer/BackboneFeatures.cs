using System;
using System.Collections.Generic;
using System.Diagnostics;
using NetGen.Data;

namespace NetGen.Samples.DogsVsCatsTransfer;

/// <summary>
/// A frozen backbone's outputs for every image of a dataset, kept in memory with the labels: the head
/// trains on these instead of on the photos (Chollet's fast feature extraction), so the backbone runs
/// once per image rather than once per image and epoch.
/// </summary>
public sealed class BackboneFeatures : IDataset
{
    private readonly float[] features;
    private readonly int[] labels;
    private readonly int size;

    private BackboneFeatures(float[] features, int[] labels, int size, int classCount)
    {
        this.features = features;
        this.labels = labels;
        this.size = size;
        ClassCount = classCount;
        SampleShape = [size];
    }

    public int Count => labels.Length;

    public IReadOnlyList<int> SampleShape { get; }

    public int ClassCount { get; }

    /// <summary>How long computing the features took.</summary>
    public TimeSpan Elapsed { get; private init; }

    /// <summary>Runs <paramref name="backbone"/> (inference: BatchNorm on its running statistics) over <paramref name="images"/> in order.</summary>
    public static BackboneFeatures Compute(INetwork backbone, IDataset images, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(images);
        var clock = Stopwatch.StartNew();
        var size = backbone.OutputSize;
        var features = new float[images.Count * size];
        var labels = new int[images.Count];
        var loader = new DataLoader(images, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false });
        var done = 0;
        foreach (var batch in loader.Epoch(0))
        {
            backbone.Forward(batch.Inputs, features.AsSpan(done * size, batch.Size * size));
            batch.Labels.CopyTo(labels.AsSpan(done));
            done += batch.Size;
        }

        return new BackboneFeatures(features, labels, size, images.ClassCount) { Elapsed = clock.Elapsed };
    }

    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        features.AsSpan(index * size, size).CopyTo(input);
        return labels[index];
    }
}
