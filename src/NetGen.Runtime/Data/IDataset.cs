using System;
using System.Collections.Generic;

namespace NetGen.Data;

/// <summary>
/// A labelled classification dataset that the data loader can read sample by sample. Reads may
/// run on several threads at once, so implementations keep no per-read mutable state.
/// </summary>
public interface IDataset
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>The shape of one input sample (for images: channels, height, width).</summary>
    IReadOnlyList<int> SampleShape { get; }

    /// <summary>Number of classes; labels lie in [0, ClassCount).</summary>
    int ClassCount { get; }

    /// <summary>
    /// Writes sample <paramref name="index"/> into <paramref name="input"/> (exactly the product of
    /// <see cref="SampleShape"/> floats) and returns its label. <paramref name="augmentationSeed"/>
    /// seeds any random augmentation, so the same seed gives the same sample on any thread.
    /// </summary>
    int Read(int index, Span<float> input, ulong augmentationSeed);

    /// <summary>
    /// Whether <see cref="Read"/> augments at random, so a sample differs from epoch to epoch; false unless
    /// the dataset says so. A trainer caching a frozen backbone's features refuses such a dataset.
    /// </summary>
    bool Augments => false;
}
