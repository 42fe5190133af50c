using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NetGen.Data.Images;
using NetGen.Prediction;
using NetGen.Runtime.Tests.Data;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

/// <summary>A binary classifier of 3 x 32 x 32 photos, small enough to predict in a test.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Seed = 5)]
[Input(3, 32, 32)]
public partial class TinyPhotoClassifier
{
    [Flatten] public partial Flatten Flat { get; }
    [Dense(4, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(1)] public partial Dense Output { get; }
}

/// <summary>One image file read for prediction goes through exactly the dataset's evaluation-time preprocessing.</summary>
public sealed class ImagePreprocessingTests : IDisposable
{
    // Every step of the pipeline is on: a working size, a resize to the sample size, normalisation.
    private static readonly ImageFolderOptions PhotoOptions = new()
    {
        Height = 32,
        Width = 32,
        WorkingHeight = 40,
        WorkingWidth = 44,
        Mean = [0.485f, 0.456f, 0.406f],
        Std = [0.229f, 0.224f, 0.225f],
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [CatsAndDogsFact]
    public void A_photo_loaded_from_its_file_is_the_datasets_sample_and_predicts_the_same()
    {
        var zip = TestData.Require(TestData.DogsVsCatsZip, "cats_and_dogs_filtered.zip");
        var dataset = ImageFolderDataset.FromZip(zip, "cats_and_dogs_filtered/validation", PhotoOptions);
        const int index = 617;   // a dog, so the label is not the first class's
        var photo = ExtractEntry(zip, dataset.SourceName(index));
        var fromDataset = new float[3 * 32 * 32];
        Assert.Equal(1, dataset.Read(index, fromDataset, augmentationSeed: 0));

        var fromFile = dataset.LoadImage(photo);

        Assert.Equal(fromDataset, fromFile);
        Assert.Equal(fromDataset, new ImagePreprocessing(PhotoOptions).Load(photo));
        var model = new TinyPhotoClassifier();
        Assert.Equal(model.Predict(fromDataset), model.Predict(fromFile));
        Assert.Equal(model.PredictBatch(fromDataset)[0, 0], model.Predict(fromFile)[0]);
    }

    [TurboJpegFact]
    public void The_file_is_read_without_the_datasets_augmentation()
    {
        var jpeg = TestImages.Noise(48, seed: 3);
        Directory.CreateDirectory(_temp.File("a"));
        File.WriteAllBytes(_temp.File("a/x.jpg"), jpeg);
        var augmented = ImageFolderDataset.FromDirectory(_temp.Path, PhotoOptions with { Augmentation = new ImageAugmentation { HorizontalFlipProbability = 1 } });
        var plain = ImageFolderDataset.FromDirectory(_temp.Path, PhotoOptions);
        var plainSample = new float[3 * 32 * 32];
        plain.Read(0, plainSample, augmentationSeed: 0);

        Assert.Equal(plainSample, augmented.LoadImage(_temp.File("a/x.jpg")));
    }

    [TurboJpegFact]
    public void A_dataset_says_it_augments_exactly_when_it_has_an_augmentation()
    {
        Directory.CreateDirectory(_temp.File("a"));
        File.WriteAllBytes(_temp.File("a/x.jpg"), TestImages.Noise(48, seed: 3));

        Assert.True(ImageFolderDataset.FromDirectory(_temp.Path, PhotoOptions with { Augmentation = new ImageAugmentation { HorizontalFlipProbability = 1 } }).Augments);
        Assert.False(ImageFolderDataset.FromDirectory(_temp.Path, PhotoOptions).Augments);
    }

    [TurboJpegFact]
    public void A_grayscale_digit_written_as_jpeg_loads_back_as_an_mnist_sample()
    {
        // A digit-like pattern with sharp edges; grayscale JPEG at quality 100 keeps levels within a few steps.
        var digit = new byte[28 * 28];
        for (var p = 0; p < digit.Length; p++)
        {
            digit[p] = (byte)((p / 28) is > 5 and < 22 && (p % 28) is > 10 and < 17 ? 255 : 0);
        }

        File.WriteAllBytes(_temp.File("digit.jpg"), JpegEncoder.EncodeGray(digit, 28, 28, quality: 100));
        var preprocessing = ImagePreprocessing.Grayscale(28, 28);

        var sample = preprocessing.Load(_temp.File("digit.jpg"));

        Assert.Equal([1, 28, 28], preprocessing.SampleShape);
        Assert.Equal(28 * 28, sample.Length);
        var decoded = JpegDecoder.Decode(File.ReadAllBytes(_temp.File("digit.jpg")), "digit.jpg");
        Assert.Equal(Enumerable.Range(0, 28 * 28).Select(p => decoded.Pixels[p * 3] / 255f), sample);
        Assert.All(Enumerable.Range(0, digit.Length), p => Assert.InRange(Math.Abs(sample[p] - (digit[p] / 255f)), 0f, 8 / 255f));
    }

    [TurboJpegFact]
    public void Colour_is_reduced_to_pillows_luma()
    {
        File.WriteAllBytes(_temp.File("colour.jpg"), JpegEncoder.EncodeRgb(new RgbImage(2, 1, [200, 30, 40, 20, 180, 90]), quality: 100));
        var decoded = JpegDecoder.Decode(File.ReadAllBytes(_temp.File("colour.jpg")), "colour.jpg").Pixels;

        var sample = ImagePreprocessing.Grayscale(1, 2).Load(_temp.File("colour.jpg"));

        // Pillow: L = R * 299/1000 + G * 587/1000 + B * 114/1000, in 16-bit fixed point, rounded.
        float Luma(int p) => ((decoded[p * 3] * 19595) + (decoded[(p * 3) + 1] * 38470) + (decoded[(p * 3) + 2] * 7471) + 0x8000 >> 16) / 255f;
        Assert.Equal([Luma(0), Luma(1)], sample);
    }

    [TurboJpegFact]
    public void A_file_that_is_not_a_jpeg_is_an_error_naming_it()
    {
        File.WriteAllText(_temp.File("notes.jpg"), "not an image");
        var preprocessing = new ImagePreprocessing(PhotoOptions);

        var error = Assert.Throws<ImageDecodeException>(() => preprocessing.Load(_temp.File("notes.jpg")));

        Assert.Equal(_temp.File("notes.jpg"), error.SourceName);
        Assert.Contains(_temp.File("missing.jpg"), Assert.Throws<FileNotFoundException>(() => preprocessing.Load(_temp.File("missing.jpg"))).Message);
        var wrongSize = Assert.Throws<ArgumentException>(() => preprocessing.Load(_temp.File("notes.jpg"), new float[10]));
        Assert.Equal("Sample buffer must hold 3072 floats (3x32x32); got 10. (Parameter 'sample')", wrongSize.Message);
    }

    /// <summary>Writes the zip entry named <c>zip!entry</c> (as <see cref="ImageFolderDataset.SourceName"/> gives it) to a file of its own.</summary>
    private string ExtractEntry(string zip, string sourceName)
    {
        var entryName = sourceName[(zip.Length + 1)..];
        using var archive = ZipFile.OpenRead(zip);
        var path = _temp.File(Path.GetFileName(entryName));
        archive.GetEntry(entryName)!.ExtractToFile(path);
        return path;
    }
}
