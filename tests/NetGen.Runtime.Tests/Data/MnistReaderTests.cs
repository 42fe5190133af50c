using System;
using System.IO;
using NetGen.Data;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

public sealed class MnistReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_ReadsGzippedFiles_ScalingPixelsToUnitRange()
    {
        IdxTestFiles.WriteSplit(_temp.Path, MnistSplit.Train, count: 3);
        var raw = IdxTestFiles.ImagesBytes(3);

        var dataset = MnistDataset.Load(_temp.Path, MnistSplit.Train);

        Assert.Equal(3, dataset.Count);
        Assert.Equal([1, 28, 28], dataset.SampleShape);
        Assert.Equal(10, dataset.ClassCount);
        Assert.Equal([0, 1, 2], dataset.Labels);
        Assert.Equal(3 * 784, dataset.Images.Length);
        var sample = new float[784];
        Assert.Equal(2, dataset.Read(2, sample, augmentationSeed: 0));
        for (var p = 0; p < 784; p++)
        {
            Assert.Equal(raw[16 + (2 * 784) + p] / 255f, sample[p]);
        }
    }

    [Fact]
    public void Load_AcceptsUncompressedNames()
    {
        File.WriteAllBytes(_temp.File(MnistFile.TestImages.UncompressedName), IdxTestFiles.ImagesBytes(2));
        File.WriteAllBytes(_temp.File(MnistFile.TestLabels.UncompressedName), IdxTestFiles.LabelsBytes(7, 3));

        var dataset = MnistDataset.Load(_temp.Path, MnistSplit.Test);

        Assert.Equal([7, 3], dataset.Labels);
    }

    [Fact]
    public void Load_MissingFiles_ListsEveryMissingName()
    {
        File.WriteAllBytes(_temp.File(MnistFile.TrainLabels.GzipName), IdxTestFiles.Gzip(IdxTestFiles.LabelsBytes(1)));

        var ex = Assert.Throws<FileNotFoundException>(() => MnistDataset.Load(_temp.Path, MnistSplit.Train));

        Assert.Contains("train-images-idx3-ubyte.gz", ex.Message);
        Assert.DoesNotContain("train-labels", ex.Message);
        Assert.Contains(_temp.Path, ex.Message);
        Assert.EndsWith($"Give MnistDataset.Load the folder that holds the MNIST files, or fetch them into it first with MnistDownloader.EnsureAsync(\"{_temp.Path}\").", ex.Message);
    }

    [Fact]
    public void ReadImages_WrongMagic_NamesFileAndBothMagics()
    {
        var path = _temp.File("images.gz");
        File.WriteAllBytes(path, IdxTestFiles.Gzip(IdxTestFiles.LabelsBytes(1, 2)));

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message);
        Assert.Contains("0x00000801", ex.Message);
        Assert.Contains("0x00000803 was expected", ex.Message);
    }

    [Fact]
    public void ReadLabels_WrongMagic_NamesFileAndBothMagics()
    {
        var path = _temp.File("labels");
        File.WriteAllBytes(path, IdxTestFiles.ImagesBytes(1));

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadLabels(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("0x00000803", ex.Message);
        Assert.Contains("0x00000801 was expected", ex.Message);
    }

    [Fact]
    public void ReadImages_TruncatedHeader_SaysHowManyBytesThereAre()
    {
        var path = _temp.File("images.gz");
        File.WriteAllBytes(path, IdxTestFiles.Gzip(IdxTestFiles.ImagesBytes(1)[..10]));

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("16 bytes but the file holds only 10", ex.Message);
    }

    [Fact]
    public void ReadImages_TruncatedPayload_SaysWhatTheHeaderAnnounced()
    {
        var path = _temp.File("images");
        var bytes = IdxTestFiles.ImagesBytes(3);
        File.WriteAllBytes(path, bytes[..^100]);

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("[3, 28, 28]", ex.Message);
        Assert.Contains($"{3 * 784} bytes of data, but only {(3 * 784) - 100} follow", ex.Message);
    }

    [Fact]
    public void ReadImages_GzipStreamCutInTheMiddle_IsReportedAsCorruptOrTruncated()
    {
        var path = _temp.File("images.gz");
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.ImagesBytes(20));
        File.WriteAllBytes(path, gzip[..(gzip.Length / 2)]);

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void ReadImages_GzipTrailerCorrupted_IsRejected()
    {
        var path = _temp.File("images.gz");
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.ImagesBytes(2));
        gzip[^5] ^= 0xFF; // inside the CRC32 of the trailer
        File.WriteAllBytes(path, gzip);

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("not a valid gzip stream", ex.Message);
    }

    [Fact]
    public void ReadImages_ExtraBytesAfterPayload_AreRejected()
    {
        var path = _temp.File("images");
        File.WriteAllBytes(path, [.. IdxTestFiles.ImagesBytes(1), 0]);

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));

        Assert.Contains("more data than the 784 bytes", ex.Message);
    }

    [Fact]
    public void ReadImages_WrongImageSize_NamesFileAndSizes()
    {
        var path = _temp.File("images");
        File.WriteAllBytes(path, IdxTestFiles.ImagesBytes(2, rows: 20, cols: 28));

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("20x28 images but MNIST images are 28x28", ex.Message);
    }

    [Fact]
    public void ReadLabels_LabelOutsideDigits_NamesFileAndIndex()
    {
        var path = _temp.File("labels");
        File.WriteAllBytes(path, IdxTestFiles.LabelsBytes(3, 12));

        var ex = Assert.Throws<DataFormatException>(() => MnistReader.ReadLabels(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("label 1 is 12", ex.Message);
    }

    [Fact]
    public void FromFiles_CountMismatch_NamesBothFilesAndBothCounts()
    {
        var images = _temp.File("images.gz");
        var labels = _temp.File("labels.gz");
        File.WriteAllBytes(images, IdxTestFiles.Gzip(IdxTestFiles.ImagesBytes(3)));
        File.WriteAllBytes(labels, IdxTestFiles.Gzip(IdxTestFiles.LabelsBytes(1, 2)));

        var ex = Assert.Throws<DataFormatException>(() => MnistDataset.FromFiles(images, labels));

        Assert.Contains($"'{images}' holds 3 images", ex.Message);
        Assert.Contains($"'{labels}' holds 2 labels", ex.Message);
    }

    [Fact]
    public void Read_WrongDestinationLength_Throws()
    {
        IdxTestFiles.WriteSplit(_temp.Path, MnistSplit.Test, count: 1);
        var dataset = MnistDataset.Load(_temp.Path, MnistSplit.Test);

        var ex = Assert.Throws<ArgumentException>(() => dataset.Read(0, new float[100], 0));

        Assert.Equal("input", ex.ParamName);
    }
}
