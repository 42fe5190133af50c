using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// Every descriptor in the catalog, found by reflection so new IDs are covered as they are added,
/// has a page in <c>docs/diagnostics</c> in the common format and a release-tracking line; each
/// page's "Wrong" example really produces the message it quotes and its "Fixed" example builds.
/// </summary>
public sealed class DocumentationTests
{
    private static readonly string PagesDirectory = Path.Combine(RepositoryPaths.Root, "docs", "diagnostics");

    public static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    public static TheoryData<string> Ids() => new(Descriptors().Select(d => d.Id));

    [Fact]
    public void CatalogIdsAreUnique() =>
        Assert.Equal(Descriptors().Count(), Descriptors().Select(d => d.Id).Distinct().Count());

    [Theory]
    [MemberData(nameof(Ids))]
    public void PageHasTheCommonFormat(string id)
    {
        var descriptor = Descriptor(id);
        var page = Page(id);
        var lines = page.Split('\n');

        Assert.Equal($"# {id}: {descriptor.Title}", lines[0]);
        Assert.Contains($"Severity: {descriptor.DefaultSeverity} · Category: {descriptor.Category}", lines);
        Assert.True(
            page.IndexOf("## What it means") is var means and > 0 && page.IndexOf("## Wrong") > means && page.IndexOf("## Fixed") > page.IndexOf("## Wrong"),
            $"{id}.md must have the sections '## What it means', '## Wrong', '## Fixed' in that order");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLinkIsAnAbsoluteUrlOfTheIdsOwnPage(string id)
    {
        var link = Descriptor(id).HelpLinkUri;

        // Opened from a user's project, so it cannot be a path into this repository.
        Assert.True(System.Uri.TryCreate(link, System.UriKind.Absolute, out var uri) && uri.Scheme == "https", $"{id}: '{link}' is not an absolute https URL");
        Assert.EndsWith($"/docs/diagnostics/{id}.md", link);
        Assert.True(File.Exists(Path.Combine(PagesDirectory, id + ".md")), $"{id}'s help link names a page that does not exist");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ReleaseTrackingHasALine(string id)
    {
        var descriptor = Descriptor(id);
        var unshipped = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "src", "NetGen.Generator", "AnalyzerReleases.Unshipped.md"));

        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title}", unshipped);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void WrongExampleReportsTheQuotedMessageAndFixedExampleBuilds(string id)
    {
        var descriptor = Descriptor(id);
        if (descriptor.Category == "NetGen.Internal")
        {
            // Internal failures have no reproducer by definition; their page only shows the message shape.
            Assert.Contains($"`error {id}: ", Page(id));
            return;
        }

        var page = Page(id);
        var wrong = Section(page, "## Wrong");
        var severity = descriptor.DefaultSeverity.ToString().ToLowerInvariant();
        var quoted = Regex.Match(wrong, $"`{severity} {id}: (?<message>[^`]+)`");
        Assert.True(quoted.Success, $"{id}.md must quote the reported message as `{severity} {id}: …` under '## Wrong'");

        var wrongRun = GeneratorHarness.Run("using NetGen;\n\n" + CodeBlock(wrong));
        Assert.Contains(quoted.Groups["message"].Value, wrongRun.GeneratorDiagnostics.Where(d => d.Id == id).Select(d => d.GetMessage(CultureInfo.InvariantCulture)));

        var fixedRun = GeneratorHarness.Run("using NetGen;\n\n" + CodeBlock(Section(page, "## Fixed")));
        // Other IDs' Info notes (NG0301: no GPU path for some layer) are not problems the fix must avoid.
        Assert.Empty(fixedRun.GeneratorDiagnostics.Where(d => d.Id == id || d.Severity != DiagnosticSeverity.Info));
        Assert.Empty(fixedRun.CompilationProblems);
    }

    [Fact]
    public void EveryPageBelongsToACatalogId()
    {
        var ids = Descriptors().Select(d => d.Id).ToHashSet();
        var pages = Directory.GetFiles(PagesDirectory, "*.md").Select(p => Path.GetFileNameWithoutExtension(p)!);

        Assert.All(pages, page => Assert.Contains(page, ids));
    }

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors().Single(d => d.Id == id);

    private static string Page(string id)
    {
        var path = Path.Combine(PagesDirectory, id + ".md");
        Assert.True(File.Exists(path), $"{id} has no documentation page; add {path}");
        return File.ReadAllText(path).Replace("\r\n", "\n");
    }

    private static string Section(string page, string heading)
    {
        var start = page.IndexOf(heading + "\n", System.StringComparison.Ordinal);
        Assert.True(start >= 0, $"missing section '{heading}'");
        var end = page.IndexOf("\n## ", start + heading.Length, System.StringComparison.Ordinal);
        return end < 0 ? page.Substring(start) : page.Substring(start, end - start);
    }

    private static string CodeBlock(string section)
    {
        var block = Regex.Match(section, "```csharp\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "each example section needs a ```csharp block");
        return block.Groups["code"].Value;
    }
}
