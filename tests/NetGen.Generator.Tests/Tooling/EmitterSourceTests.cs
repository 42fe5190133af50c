using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// The renderers walk the graph and ask each op's kind for its code: no file in the generator's
/// <c>Emit/</c> folder tests what kind of layer spec it holds (an op's CPU and device code live in its
/// op file under <c>Layers/</c>, see architecture.md's "Device code of an op").
/// </summary>
public sealed class EmitterSourceTests
{
    private static readonly Regex SpecTypeCheck = new(@"\bis\s+(not\s+)?\w*Spec\b|\bcase\s+\w*Spec\b|\bas\s+\w*Spec\b|OfType<\w*Spec>", RegexOptions.Compiled);

    [Fact]
    public void NoEmitterTestsTheTypeOfALayerSpec()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "src", "NetGen.Generator", "Emit");
        var checks = Directory.GetFiles(folder, "*.cs")
            .SelectMany(file => File.ReadAllLines(file).Select((line, i) => (File: Path.GetFileName(file), Line: i + 1, Text: line.Trim())))
            .Where(line => SpecTypeCheck.IsMatch(line.Text))
            .Select(line => $"{line.File}:{line.Line}: {line.Text}")
            .ToList();

        Assert.True(checks.Count == 0, "Emitters must not test a layer spec's type; give the op's kind the member instead:\n" + string.Join("\n", checks));
    }
}
