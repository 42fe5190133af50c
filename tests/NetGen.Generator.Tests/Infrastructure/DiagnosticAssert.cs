using Xunit;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>The one check every diagnostic test makes: exactly one NG diagnostic, with its ID, message, span and help link.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// Runs the generator on <paramref name="markup"/> (prefixed with <c>using NetGen;</c>) and checks it reports
    /// exactly <paramref name="id"/> with <paramref name="message"/> at the <c>[|…|]</c> span, linking the ID's page;
    /// unless told otherwise, also that the user's build has no other errors (the fallback keeps it free of follow-on ones).
    /// </summary>
    public static void AssertDiagnostic(string markup, string id, string message, bool expectCleanCompilation = true)
    {
        var parsed = Markup.Parse("using NetGen;\n\n" + markup);
        var run = GeneratorHarness.Run(parsed.Source);

        Assert.Empty(run.Exceptions);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(parsed.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(Diagnostics.DiagnosticDescriptors.DocumentationBaseUrl + id + ".md", diagnostic.Descriptor.HelpLinkUri);
        if (expectCleanCompilation)
        {
            Assert.DoesNotContain(run.CompilationProblems, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        }
    }
}
