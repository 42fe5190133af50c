using System;
using System.Collections.Generic;
using System.IO;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// One <c>```csharp</c> block of a Markdown file: the file's repository-relative path, the line of
/// the block's first line of code (1-based) and the code.
/// </summary>
internal sealed record DocCodeBlock(string File, int Line, string Code)
{
    /// <summary>The first line that marks a block as a piece of a program rather than a whole one.</summary>
    public const string FragmentMarker = "// fragment";

    /// <summary>A block whose first line is <see cref="FragmentMarker"/>: neither compiled nor run.</summary>
    public bool IsFragment => Code.StartsWith(FragmentMarker, StringComparison.Ordinal);

    /// <summary>A project and assembly name unique to the block, e.g. <c>docs_guide_md_L40</c>.</summary>
    public string Name => $"{File.Replace('/', '_').Replace('.', '_').Replace('-', '_')}_L{Line}";

    /// <summary>
    /// The block as a program file: a <c>#line</c> directive maps the compiler's errors back to the
    /// Markdown file under <paramref name="root"/> and its line, so a broken block reports e.g.
    /// <c>/repo/README.md(12,5): error CS0246</c>.
    /// </summary>
    public string ProgramText(string root) => $"#line {Line} \"{Path.Combine(root, File)}\"\n{Code}";

    /// <summary>The <c>```csharp</c> blocks of <paramref name="text"/>, read from <paramref name="file"/>.</summary>
    /// <exception cref="InvalidDataException">A block is never closed.</exception>
    public static IReadOnlyList<DocCodeBlock> In(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var blocks = new List<DocCodeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```csharp")
            {
                continue;
            }

            var first = i + 1;
            var end = Array.FindIndex(lines, first, line => line.TrimEnd() == "```");
            if (end < 0)
            {
                throw new InvalidDataException($"{file}:{i + 1}: the ```csharp block is never closed.");
            }

            blocks.Add(new DocCodeBlock(file, first + 1, string.Join("\n", lines[first..end]) + "\n"));
            i = end;
        }

        return blocks;
    }
}
