using System;
using System.Linq;
using NetGen.Data;
using NetGen.Runtime.Tests.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

/// <summary>dataset.Split: disjoint, complete, seeded, and strict about the fraction.</summary>
public sealed class DatasetSplittingTests
{
    [Fact]
    public void TheTwoPartsAreDisjointCoverEverySampleAndDependOnlyOnTheSeed()
    {
        var dataset = new BlobDataset(103, 3, 4, 1);

        var (train, validation) = dataset.Split(0.9, seed: 7);
        var (again, _) = dataset.Split(0.9, seed: 7);
        var (other, _) = dataset.Split(0.9, seed: 8);

        Assert.Equal(93, train.Count);
        Assert.Equal(10, validation.Count);
        Assert.Empty(train.Indices.Intersect(validation.Indices));
        Assert.Equal(Enumerable.Range(0, 103), train.Indices.Concat(validation.Indices).Order());
        Assert.Equal(train.Indices, again.Indices);
        Assert.NotEqual(train.Indices, other.Indices);
        Assert.NotEqual(Enumerable.Range(0, 93), train.Indices);
    }

    [Fact]
    public void ASubsetReadsItsSourcesSamples()
    {
        var dataset = new BlobDataset(20, 2, 4, 1);
        var (_, validation) = dataset.Split(0.75, seed: 3);
        var fromSubset = new float[4];
        var fromSource = new float[4];

        for (var i = 0; i < validation.Count; i++)
        {
            var label = validation.Read(i, fromSubset, 0);
            Assert.Equal(dataset.Read(validation.Indices[i], fromSource, 0), label);
            Assert.Equal(fromSource, fromSubset);
        }

        Assert.Equal(dataset.SampleShape, validation.SampleShape);
        Assert.Equal(2, validation.ClassCount);
    }

    [Theory]
    [InlineData(0.0, "must lie strictly between 0 and 1")]
    [InlineData(1.0, "must lie strictly between 0 and 1")]
    [InlineData(double.NaN, "must lie strictly between 0 and 1")]
    [InlineData(0.01, "Splitting the 20 samples of BlobDataset at 0.01 leaves the first part empty")]
    [InlineData(0.99, "Splitting the 20 samples of BlobDataset at 0.99 leaves the second part empty")]
    public void AFractionThatLeavesAPartEmptyIsRejected(double fraction, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BlobDataset(20, 2, 4, 1).Split(fraction, seed: 1));

        Assert.Equal("fraction", error.ParamName);
        Assert.Contains(message, error.Message);
    }
}
