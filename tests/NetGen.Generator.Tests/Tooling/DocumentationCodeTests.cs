using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// Every <c>```csharp</c> block of README.md and docs/*.md builds against the packed package and runs,
/// as a reader who pastes it into a new console project would do.
/// </summary>
/// <remarks>
/// The convention for code in the docs (also in docs/package.md):
/// <list type="bullet">
/// <item>A block is a complete program: its usings, top-level statements, then the types it
/// declares (networks included). Each becomes its own console project referencing the NetGen package,
/// with nullable on, no implicit usings and warnings as errors; all are built in one
/// <c>dotnet build</c>, then each is run and must exit with 0 within <see cref="RunTimeout"/>.</item>
/// <item>A block whose first line is <c>// fragment</c> is a piece of a program (a signature, a call
/// that needs hardware the tests lack) and is neither built nor run. Use it sparingly.</item>
/// <item>A program runs in a fresh folder of its own, which it may write to, holding links to each
/// entry of <c>../shared/data</c> beside the repository: <c>mnist/</c> (what
/// <c>MnistDownloader.EnsureAsync("mnist")</c> would download), <c>dogs-vs-cats/</c>, <c>sequences/</c>.</item>
/// </list>
/// Diagnostics of a block point into the Markdown file (a <c>#line</c> directive maps them), e.g.
/// <c>/repo/README.md(12,5): error CS0246</c>; a failed run names the block as <c>README.md:9</c>.
/// </remarks>
[Trait("Category", "Package")]
[Collection(PackageCollection.Name)]
public sealed class DocumentationCodeTests(PackedPackage package, ITestOutputHelper output)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void EveryCodeBlockBuildsAgainstThePackageAndRuns()
    {
        var blocks = Documents().SelectMany(file => DocCodeBlock.In(file, File.ReadAllText(Path.Combine(RepositoryPaths.Root, file)))).ToList();
        Assert.Contains(blocks, block => block.File == "README.md" && !block.IsFragment);
        // The guide's whole program trains, evaluates, predicts a JPEG, saves and reloads: it must stay runnable.
        Assert.Contains(blocks, block => block.File == "docs/guide.md" && !block.IsFragment);
        var programs = blocks.Where(block => !block.IsFragment).ToList();

        var root = Path.Combine(package.Work, "docs");
        var solution = new StringBuilder("<Solution>\n");
        foreach (var block in programs)
        {
            var project = package.NewConsumer(Path.Combine("docs", block.Name));
            File.WriteAllText(Path.Combine(project, "Program.cs"), block.ProgramText(RepositoryPaths.Root));
            solution.Append($"  <Project Path=\"{block.Name}/{block.Name}.csproj\" />\n");
        }

        File.WriteAllText(Path.Combine(root, "Blocks.slnx"), solution.Append("</Solution>\n").ToString());
        var (exitCode, built) = Dotnet.Start(root, $"build Blocks.slnx -c {PackedPackage.Configuration} -nodeReuse:false", RunTimeout * 3);
        output.WriteLine(built);
        Assert.True(exitCode == 0, "The docs' code blocks do not build:\n" + string.Join("\n", Errors(built)));

        var failures = new List<string>();
        foreach (var block in programs)
        {
            var program = Path.Combine(root, block.Name, "bin", PackedPackage.Configuration, "net10.0", block.Name + ".dll");
            var (runExit, ran) = Dotnet.Start(NewRunFolder(block), $"\"{program}\"", RunTimeout);
            output.WriteLine($"{block.File}:{block.Line} exited {runExit}:\n{ran}");
            if (runExit != 0)
            {
                failures.Add($"{block.File}:{block.Line}: the program exited {runExit}:\n{ran}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>README.md and the Markdown files directly in docs/ (the diagnostics pages have their own test), repository-relative.</summary>
    private static IEnumerable<string> Documents() =>
        Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md")
            .Select(path => "docs/" + Path.GetFileName(path))
            .Order(StringComparer.Ordinal)
            .Prepend("README.md");

    /// <summary>A fresh folder for <paramref name="block"/>'s run, with links to the datasets in ../shared/data.</summary>
    private string NewRunFolder(DocCodeBlock block)
    {
        var folder = Directory.CreateDirectory(Path.Combine(package.Work, "runs", block.Name)).FullName;
        var data = new DirectoryInfo(Path.Combine(RepositoryPaths.Root, "..", "shared", "data"));
        foreach (var entry in data.Exists ? data.EnumerateFileSystemInfos() : [])
        {
            File.CreateSymbolicLink(Path.Combine(folder, entry.Name), entry.FullName);
        }

        return folder;
    }

    /// <summary>The distinct error lines of a build's output (each names the Markdown file and line through #line).</summary>
    private static IEnumerable<string> Errors(string buildOutput) =>
        buildOutput.Split('\n').Select(line => line.Trim()).Where(line => line.Contains(": error ", StringComparison.Ordinal)).Distinct();
}
