using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Data.Images;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

/// <summary>
/// A JPEG whose header is valid but whose data is cut short passes construction and fails only
/// when decoded, on a loader worker: <see cref="BadImagePolicy.SkipWithWarning"/> must cover it there.
/// </summary>
public sealed class DecodeFailureSkipTests : IDisposable
{
    private const int Side = 8;
    private readonly TempFolder _folder = new();
    private readonly ImageFolderOptions _options = new() { Height = Side, Width = Side, BadImagePolicy = BadImagePolicy.SkipWithWarning };

    public DecodeFailureSkipTests()
    {
        _folder.Write("train/cats/a.jpg", TestImages.TwoLevelGray(24, 30, 30));
        _folder.Write("train/cats/b.jpg", TestImages.TwoLevelGray(24, 60, 60));
        _folder.Write("train/dogs/a.jpg", TestImages.Noise(24, seed: 1));
        _folder.Write("train/dogs/b.jpg", TestImages.Noise(24, seed: 2));
        var jpeg = TestImages.Noise(64, seed: 5);
        Cut = _folder.Write("train/dogs/cut.jpg", jpeg.AsSpan(0, jpeg.Length / 2).ToArray());
    }

    private string Cut { get; }

    private string Train => Path.Combine(_folder.Path, "train");

    public void Dispose() => _folder.Dispose();

    [TurboJpegFact]
    public void A_truncated_image_is_skipped_on_the_loader_worker_with_one_warning_naming_it()
    {
        var log = new StringWriter();
        var dataset = ImageFolderDataset.FromDirectory(Train, _options with { WarningWriter = log });
        Assert.Equal(5, dataset.Count);
        Assert.Empty(dataset.Warnings);

        var epochs = new[] { Serve(dataset, epoch: 0), Serve(dataset, epoch: 1) };

        var warning = Assert.Single(dataset.Warnings);
        Assert.StartsWith($"Skipped '{Cut}' when decoding it: ", warning);
        Assert.EndsWith("(the next image of class 'dogs' takes its place).", warning);
        Assert.Equal(warning + Environment.NewLine, log.ToString());
        Assert.All(epochs, served => Assert.Equal(Enumerable.Range(0, 5), served.Keys.Order()));
    }

    [TurboJpegFact]
    public void The_skipped_sample_keeps_its_place_and_label_and_shows_the_next_image_of_its_class()
    {
        var dataset = ImageFolderDataset.FromDirectory(Train, _options);
        var cut = Enumerable.Range(0, dataset.Count).Single(i => dataset.SourceName(i) == Cut);
        var firstDog = dataset.Labels.ToList().IndexOf(1);

        var served = Serve(dataset, epoch: 0);

        Assert.Equal(1, served[cut].Label);
        Assert.Equal(Read(dataset, firstDog), served[cut].Input);
        Assert.Equal(Read(dataset, cut), served[cut].Input);
    }

    [TurboJpegFact]
    public void What_stands_in_does_not_depend_on_threads()
    {
        var oneWorker = Serve(ImageFolderDataset.FromDirectory(Train, _options), epoch: 0, workers: 1);
        var fourWorkers = Serve(ImageFolderDataset.FromDirectory(Train, _options), epoch: 0, workers: 4);

        Assert.All(oneWorker, pair => Assert.Equal(pair.Value.Input, fourWorkers[pair.Key].Input));
    }

    [TurboJpegFact]
    public void A_class_whose_every_image_fails_to_decode_is_an_error_naming_its_folder()
    {
        var jpeg = TestImages.Noise(64, seed: 6);
        _folder.Write("train/birds/cut.jpg", jpeg.AsSpan(0, jpeg.Length / 2).ToArray());
        var dataset = ImageFolderDataset.FromDirectory(Train, _options);

        var error = Assert.Throws<DataLoaderException>(() => Serve(dataset, epoch: 0));

        Assert.Contains($"Class folder '{Path.Combine(Train, "birds")}' has no image that decodes (all 1 were skipped; see Warnings).", error.Message);
    }

    [TurboJpegFact]
    public void Under_the_default_policy_the_loader_fails_naming_the_file()
    {
        var dataset = ImageFolderDataset.FromDirectory(Train, _options with { BadImagePolicy = BadImagePolicy.Throw });

        var error = Assert.Throws<DataLoaderException>(() => Serve(dataset, epoch: 0));

        Assert.Equal(Cut, Assert.IsType<ImageDecodeException>(error.InnerException).SourceName);
    }

    private static float[] Read(ImageFolderDataset dataset, int index)
    {
        var sample = new float[3 * Side * Side];
        dataset.Read(index, sample, 0);
        return sample;
    }

    /// <summary>Every sample of one epoch by its index: the label and input the loader served.</summary>
    private static Dictionary<int, (int Label, float[] Input)> Serve(ImageFolderDataset dataset, int epoch, int workers = 3)
    {
        var loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = 2, Seed = 7, Workers = workers });
        var served = new Dictionary<int, (int, float[])>();
        foreach (var batch in loader.Epoch(epoch))
        {
            for (var i = 0; i < batch.Size; i++)
            {
                served.Add(batch.SampleIndices[i], (batch.Labels[i], batch.Inputs.Slice(i * loader.SampleSize, loader.SampleSize).ToArray()));
            }
        }

        return served;
    }
}
