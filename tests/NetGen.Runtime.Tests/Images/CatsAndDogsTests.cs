using NetGen.Data.Images;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

public class CatsAndDogsTests
{
    [CatsAndDogsFact]
    public void The_real_archive_reads_without_extraction()
    {
        var train = ImageFolderDataset.FromZip(TestData.Require(TestData.DogsVsCatsZip, "cats_and_dogs_filtered.zip"), "cats_and_dogs_filtered/train");
        var validation = ImageFolderDataset.FromZip(TestData.Require(TestData.DogsVsCatsZip, "cats_and_dogs_filtered.zip"), "cats_and_dogs_filtered/validation");

        Assert.Equal(2000, train.Count);
        Assert.Equal(1000, validation.Count);
        Assert.Equal(["cats", "dogs"], train.ClassNames);
        Assert.Equal(["cats", "dogs"], validation.ClassNames);
        Assert.Equal([3, 150, 150], train.SampleShape);
        Assert.Empty(train.Warnings);

        var sample = new float[3 * 150 * 150];
        Assert.Equal(1, train.Read(1999, sample, 0));
        Assert.All(sample, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(sample, v => v > 0.5f);
    }
}
