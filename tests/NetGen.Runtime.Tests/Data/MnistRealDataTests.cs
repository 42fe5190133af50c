using System.Linq;
using NetGen.Data;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

/// <summary>Reads the real MNIST files from ../shared/data/mnist (skipped when absent, unless CI=true).</summary>
public sealed class MnistRealDataTests
{
    // The published per-class counts of MNIST (LeCun et al.), training then test.
    private static readonly int[] TrainHistogram = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
    private static readonly int[] TestHistogram = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

    [MnistFact]
    public void Train_Has60000Samples_FirstLabelFive_PublishedHistogram()
    {
        var dataset = MnistDataset.Load(TestData.Require(TestData.MnistDirectory, "MNIST"), MnistSplit.Train);

        Assert.Equal(60000, dataset.Count);
        Assert.Equal(60000 * 784, dataset.Images.Length);
        Assert.Equal(5, dataset.Labels[0]);
        Assert.Equal(TrainHistogram, Histogram(dataset.Labels));
        Assert.Equal(0f, dataset.Images.Min());
        Assert.Equal(1f, dataset.Images.Max());
    }

    [MnistFact]
    public void Test_Has10000Samples_PublishedHistogram()
    {
        var dataset = MnistDataset.Load(TestData.Require(TestData.MnistDirectory, "MNIST"), MnistSplit.Test);

        Assert.Equal(10000, dataset.Count);
        Assert.Equal(7, dataset.Labels[0]);
        Assert.Equal(TestHistogram, Histogram(dataset.Labels));
    }

    private static int[] Histogram(int[] labels)
    {
        var counts = new int[10];
        foreach (var label in labels)
        {
            counts[label]++;
        }

        Assert.Equal(labels.Length, counts.Sum());
        return counts;
    }
}
