using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Images;
using NetGen.Runtime.Tests.Skips;
using NetGen.Samples.DogsVsCats;
using Xunit;

namespace NetGen.Runtime.Tests.Samples;

public sealed class DogsVsCatsSampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-dogs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [CatsAndDogsFact]
    public void The_sample_model_trains_on_real_photos_and_its_checkpoint_round_trips()
    {
        var data = DogsVsCatsData.Open(TestData.Require(TestData.DogsVsCatsZip, "cats_and_dogs_filtered.zip"), limitPerClass: 4);
        Assert.Equal(["cats", "dogs"], data.ClassNames);
        Assert.Equal(8, data.Train.Count);
        Assert.Equal(8, data.Validation.Count);

        var model = new CholletConvNet();
        var optimizer = new RmsProp(model, 1e-4f, alpha: 0.9, epsilon: 1e-7);
        var before = model.Parameters.ToArray();
        var batch = new DataLoader(data.Train, new DataLoaderOptions { BatchSize = 8, Seed = 1 }).Epoch(0).Single();
        Assert.Equal(4, batch.Labels.ToArray().Count(label => label == 1));
        var loss = model.TrainStep(batch.Inputs, batch.Labels);
        optimizer.Step(model);
        Assert.True(float.IsFinite(loss) && loss > 0, $"loss {loss}");
        Assert.False(before.AsSpan().SequenceEqual(model.Parameters), "the RMSprop step left the parameters unchanged");

        var path = Path.Combine(_folder, "best.safetensors");
        Checkpoint.Save(path, model, optimizer);
        var restored = new CholletConvNet();
        Checkpoint.Load(path, restored);
        Assert.True(model.Parameters.SequenceEqual(restored.Parameters));
        var expected = Evaluation.ConfusionMatrixOf(model, data.Validation, batchSize: 8);
        var actual = Evaluation.ConfusionMatrixOf(restored, data.Validation, batchSize: 8);
        Assert.Equal(8, actual.Total);
        Assert.Equal(expected.Accuracy, actual.Accuracy);
    }

    [CatsAndDogsFact]
    public void The_pipeline_figures_time_each_part_over_the_same_images_and_train_the_model()
    {
        var data = DogsVsCatsData.Open(TestData.Require(TestData.DogsVsCatsZip, "cats_and_dogs_filtered.zip"), limitPerClass: 4);
        var model = new CholletConvNet();
        var optimizer = new RmsProp(model, 1e-4f, alpha: 0.9, epsilon: 1e-7);
        // 8 images in batches of 3: the short last batch is timed in the step figure as in the epoch.
        var loader = new DataLoader(data.Train, new DataLoaderOptions { BatchSize = 3, Seed = 1 });

        var figures = PipelineFigures.Measure(model, optimizer, loader);

        Assert.Equal(8, figures.Images);
        Assert.All(new[] { figures.FirstPipelineSeconds, figures.CachedPipelineSeconds, figures.StepSeconds, figures.EpochSeconds }, seconds => Assert.True(seconds > 0));
        // A warm-up step, then three batches of the step alone and three of the epoch per repeat.
        Assert.Equal(1 + (PipelineFigures.Repeats * 6), optimizer.StepCount);
        Assert.Equal(figures.EpochSeconds / figures.StepSeconds, figures.EpochOverStep);
        Assert.Contains("epoch / step time: ", figures.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_without_train_and_validation_folders_is_an_error_naming_it()
    {
        var zip = Path.Combine(_folder, "flat.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntry("photos/train/cats/cat.0.jpg");
        }

        var error = Assert.Throws<InvalidDataException>(() => DogsVsCatsData.Open(zip));
        Assert.Contains(zip, error.Message, StringComparison.Ordinal);
        Assert.Contains("validation/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_an_error_naming_it()
    {
        var path = Path.Combine(_folder, "photos.zip");
        File.WriteAllText(path, "not a zip archive");

        var error = Assert.Throws<InvalidDataException>(() => DogsVsCatsData.Open(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_validation_split_is_an_error_naming_it()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "train", "cats"));

        var error = Assert.Throws<InvalidDataException>(() => DogsVsCatsData.Open(_folder));
        Assert.Contains(_folder, error.Message, StringComparison.Ordinal);
        Assert.Contains("'validation'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_path_is_an_error_naming_it()
    {
        var path = Path.Combine(_folder, "missing.zip");

        var error = Assert.Throws<FileNotFoundException>(() => DogsVsCatsData.Open(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
