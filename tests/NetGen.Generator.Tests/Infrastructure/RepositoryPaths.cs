using System;
using System.IO;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>Locates the repository from the test binaries, for tests that read docs or pack projects.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No NetGen.sln above {AppContext.BaseDirectory}; the tests must run from a build inside the repository.");
    }
}
