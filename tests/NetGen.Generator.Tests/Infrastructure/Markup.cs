using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>Source with one expected diagnostic span marked as <c>[|…|]</c>.</summary>
internal readonly record struct Markup(string Source, TextSpan Span)
{
    public static Markup Parse(string markup)
    {
        var start = markup.IndexOf("[|", System.StringComparison.Ordinal);
        var end = markup.IndexOf("|]", System.StringComparison.Ordinal);
        var source = markup.Remove(end, 2).Remove(start, 2);
        return new Markup(source, new TextSpan(start, end - start - 2));
    }
}
