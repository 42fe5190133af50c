using System.Collections.Generic;
using System.IO;

namespace NetGen.Data;

/// <summary>One of the four standard MNIST files: its gzipped name and the MD5 of the published .gz.</summary>
public sealed record MnistFile(string GzipName, string Md5)
{
    /// <summary>The training images.</summary>
    public static readonly MnistFile TrainImages = new("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873");

    /// <summary>The training labels.</summary>
    public static readonly MnistFile TrainLabels = new("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432");

    /// <summary>The test images.</summary>
    public static readonly MnistFile TestImages = new("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3");

    /// <summary>The test labels.</summary>
    public static readonly MnistFile TestLabels = new("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c");

    /// <summary>All four files, training first.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The name of the file once gunzipped, which is also accepted.</summary>
    public string UncompressedName => GzipName[..^".gz".Length];

    /// <summary>The images and labels files of <paramref name="split"/>.</summary>
    public static (MnistFile Images, MnistFile Labels) ForSplit(MnistSplit split) =>
        split == MnistSplit.Train ? (TrainImages, TrainLabels) : (TestImages, TestLabels);

    /// <summary>The path of this file in <paramref name="directory"/>, gzipped or not, or null when neither is there.</summary>
    public string? FindIn(string directory)
    {
        var gzip = Path.Combine(directory, GzipName);
        if (File.Exists(gzip))
        {
            return gzip;
        }

        var plain = Path.Combine(directory, UncompressedName);
        return File.Exists(plain) ? plain : null;
    }
}
