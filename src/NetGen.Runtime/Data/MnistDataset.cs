using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NetGen.Data;

/// <summary>
/// MNIST held in memory: samples of shape [1, 28, 28] with pixels in [0, 1], labels 0-9.
/// <see cref="Images"/> and <see cref="Labels"/> expose the raw arrays for code that wants to
/// skip the per-sample copy.
/// </summary>
public sealed class MnistDataset : IDataset
{
    private static readonly int[] Shape = [1, MnistReader.ImageSide, MnistReader.ImageSide];

    private MnistDataset(float[] images, int[] labels)
    {
        Images = images;
        Labels = labels;
    }

    /// <summary>All pixels: <see cref="Count"/> images of 784 floats each, row-major, in [0, 1].</summary>
    public float[] Images { get; }

    /// <summary>All labels, one per image, in [0, 10).</summary>
    public int[] Labels { get; }

    /// <inheritdoc />
    public int Count => Labels.Length;

    /// <inheritdoc />
    public IReadOnlyList<int> SampleShape => Shape;

    /// <inheritdoc />
    public int ClassCount => MnistReader.ClassCount;

    /// <summary>
    /// Loads <paramref name="split"/> from <paramref name="directory"/>, which holds the standard
    /// file names (<c>train-images-idx3-ubyte.gz</c> and so on), gzipped or not.
    /// </summary>
    public static MnistDataset Load(string directory, MnistSplit split)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var (imagesFile, labelsFile) = MnistFile.ForSplit(split);
        var imagesPath = imagesFile.FindIn(directory);
        var labelsPath = labelsFile.FindIn(directory);
        if (imagesPath is null || labelsPath is null)
        {
            var missing = new[] { (imagesFile, imagesPath), (labelsFile, labelsPath) }
                .Where(f => f.Item2 is null)
                .Select(f => $"{f.Item1.GzipName} (or {f.Item1.UncompressedName})");
            var where = Directory.Exists(directory) ? $"'{directory}'" : $"'{directory}', which does not exist";
            throw new FileNotFoundException(
                $"MNIST {split} split not found in {where}: missing {string.Join(", ", missing)}. " +
                $"Give MnistDataset.Load the folder that holds the MNIST files, or fetch them into it first with MnistDownloader.EnsureAsync(\"{directory}\").");
        }

        return FromFiles(imagesPath, labelsPath);
    }

    /// <summary>Loads an images file and its labels file, checking that they hold the same number of samples.</summary>
    public static MnistDataset FromFiles(string imagesPath, string labelsPath)
    {
        var images = MnistReader.ReadImages(imagesPath);
        var labels = MnistReader.ReadLabels(labelsPath);
        var imageCount = images.Length / MnistReader.ImageSize;
        if (imageCount != labels.Length)
        {
            throw new DataFormatException(
                labelsPath,
                $"MNIST files disagree: '{imagesPath}' holds {imageCount} images but '{labelsPath}' holds {labels.Length} labels.");
        }

        return new MnistDataset(images, labels);
    }

    /// <inheritdoc />
    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (input.Length != MnistReader.ImageSize)
        {
            throw new ArgumentException($"MNIST samples are {MnistReader.ImageSize} floats but the destination holds {input.Length}.", nameof(input));
        }

        Images.AsSpan(index * MnistReader.ImageSize, MnistReader.ImageSize).CopyTo(input);
        return Labels[index];
    }
}
