using System;
using System.Collections.Generic;
using NetGen.Data;
using NetGen.Data.Images;

namespace NetGen.Samples.DogsVsCatsTransfer;

/// <summary>
/// The photos of one split of cats_and_dogs_filtered as ResNet-18 wants them: resized to 224×224,
/// RGB in 0–255 (the dataset's normalisation with mean 0 and std 1/255), then <see cref="ResNetInput"/>.
/// </summary>
public sealed class ResNetImages : IDataset
{
    private readonly ImageFolderDataset images;
    private readonly ResNetInput preprocessing;

    private ResNetImages(ImageFolderDataset images, ResNetInput preprocessing)
    {
        this.images = images;
        this.preprocessing = preprocessing;
    }

    /// <summary>The dataset's options: 224×224, values in 0–255, no augmentation.</summary>
    public static ImageFolderOptions Options { get; } = new()
    {
        Height = ResNetInput.Size,
        Width = ResNetInput.Size,
        Mean = [0f, 0f, 0f],
        Std = [1f / 255, 1f / 255, 1f / 255],
    };

    /// <summary>The class folders in label order (<c>cats</c>, <c>dogs</c>).</summary>
    public IReadOnlyList<string> ClassNames => images.ClassNames;

    public int Count => images.Count;

    public IReadOnlyList<int> SampleShape => images.SampleShape;

    public int ClassCount => images.ClassCount;

    /// <summary>Opens <c>cats_and_dogs_filtered/{split}</c> in the zip at <paramref name="zip"/>.</summary>
    public static ResNetImages FromZip(string zip, string split, ResNetInput preprocessing) =>
        new(ImageFolderDataset.FromZip(zip, "cats_and_dogs_filtered/" + split, Options), preprocessing);

    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        var label = images.Read(index, input, augmentationSeed);
        preprocessing.Apply(input);
        return label;
    }
}
