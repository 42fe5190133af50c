using System;
using System.IO;
using System.Linq;

namespace NetGen.Runtime.Tests;

/// <summary>
/// Locates the real datasets in <c>../shared/data</c> next to the repository (the folder holding
/// NetGen.sln). Tests using them skip when the data is absent (see <see cref="Skips.MissingRequirement"/>),
/// except under CI=true, where missing data is a failure.
/// </summary>
internal static class TestData
{
    private static readonly Lazy<string?> SharedData = new(FindSharedData);

    /// <summary>True when the environment variable CI is "true": missing data must then fail, not skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder holding the four MNIST .gz files, or null when it is absent or incomplete.</summary>
    public static string? MnistDirectory
    {
        get
        {
            var directory = SharedData.Value is null ? null : Path.Combine(SharedData.Value, "mnist");
            string[] files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
            return directory is not null && files.All(f => File.Exists(Path.Combine(directory, f))) ? directory : null;
        }
    }

    /// <summary>The cats_and_dogs_filtered zip, or null when absent.</summary>
    public static string? DogsVsCatsZip
    {
        get
        {
            var zip = SharedData.Value is null ? null : Path.Combine(SharedData.Value, "dogs-vs-cats", "cats_and_dogs_filtered.zip");
            return zip is not null && File.Exists(zip) ? zip : null;
        }
    }

    /// <summary>The folder holding sunspots.csv and fortunes/, or null when either is absent.</summary>
    public static string? SequencesDirectory
    {
        get
        {
            var directory = SharedData.Value is null ? null : Path.Combine(SharedData.Value, "sequences");
            return directory is not null && File.Exists(Path.Combine(directory, "sunspots.csv")) && Directory.Exists(Path.Combine(directory, "fortunes")) ? directory : null;
        }
    }

    /// <summary>Returns <paramref name="path"/>, or throws when it is null (the test should have been skipped outside CI).</summary>
    public static string Require(string? path, string what) =>
        path ?? throw new InvalidOperationException($"{what} is missing from ../shared/data next to the repository root; it is required when CI=true.");

    private static string? FindSharedData()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data"));
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }
}
