using System;
using System.IO;
using NetGen.Data.Images;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

/// <summary>A fact that needs libturbojpeg: skipped where it is missing, except on CI (CI=true), where it must run and fail.</summary>
public sealed class TurboJpegFactAttribute : FactAttribute
{
    public TurboJpegFactAttribute()
    {
        if (!TurboJpegLibrary.IsAvailable && !TestEnvironment.IsCi)
        {
            Skip = "libturbojpeg is not installed (sudo apt-get install libturbojpeg0); set CI=true to make this a failure.";
        }
    }
}

/// <summary>A fact that reads the real dogs-vs-cats archive and libturbojpeg; skipped where either is missing, except on CI.</summary>
public sealed class CatsAndDogsFactAttribute : FactAttribute
{
    public CatsAndDogsFactAttribute()
    {
        if (TestEnvironment.IsCi)
        {
            return;
        }

        if (!File.Exists(TestEnvironment.CatsAndDogsZip))
        {
            Skip = $"The dogs-vs-cats archive is not at '{TestEnvironment.CatsAndDogsZip}'; set CI=true to make this a failure.";
        }
        else if (!TurboJpegLibrary.IsAvailable)
        {
            Skip = "libturbojpeg is not installed (sudo apt-get install libturbojpeg0); set CI=true to make this a failure.";
        }
    }
}

internal static class TestEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The shared data folder sits next to the repository root (the folder holding NetGen.sln).</summary>
    public static string CatsAndDogsZip { get; } = Path.Combine(RepositoryRoot(), "..", "shared", "data", "dogs-vs-cats", "cats_and_dogs_filtered.zip");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No NetGen.sln above '{AppContext.BaseDirectory}'.");
    }
}
