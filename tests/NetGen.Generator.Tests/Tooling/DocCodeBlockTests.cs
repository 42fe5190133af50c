using System.IO;
using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>How <see cref="DocCodeBlock"/> finds the code blocks of a Markdown file, for <see cref="DocumentationCodeTests"/>.</summary>
public sealed class DocCodeBlockTests
{
    [Fact]
    public void BlocksKeepTheirFileAndLineAndFragmentsAreMarked()
    {
        const string markdown = "# Title\n\n```csharp\nusing NetGen;\n```\n\ntext\n\n```csharp\n// fragment\nmodel.Fit();\n```\n```xml\n<a/>\n```\n";

        var blocks = DocCodeBlock.In("docs/guide.md", markdown);

        Assert.Equal([("docs/guide.md", 4, "using NetGen;\n", false), ("docs/guide.md", 10, "// fragment\nmodel.Fit();\n", true)], blocks.Select(b => (b.File, b.Line, b.Code, b.IsFragment)));
        Assert.Equal("#line 4 \"/repo/docs/guide.md\"\nusing NetGen;\n", blocks[0].ProgramText("/repo"));
        Assert.Equal("docs_guide_md_L4", blocks[0].Name);
    }

    [Fact]
    public void AnUnclosedBlockIsAnErrorNamingItsLine()
    {
        var error = Assert.Throws<InvalidDataException>(() => DocCodeBlock.In("README.md", "text\n```csharp\nusing NetGen;\n"));

        Assert.Equal("README.md:2: the ```csharp block is never closed.", error.Message);
    }
}
