using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>Applies a code fix the way the IDE does: the generator's diagnostic, a document in an <see cref="AdhocWorkspace"/>, the action's operations.</summary>
internal static class CodeFixRunner
{
    /// <summary>The fixes <paramref name="provider"/> offers for the one <paramref name="id"/> diagnostic the generator reports.</summary>
    public static async Task<IReadOnlyList<CodeAction>> ActionsAsync(string source, CodeFixProvider provider, string id)
    {
        var (document, diagnostic) = DocumentWithDiagnostic(source, id);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        return actions;
    }

    /// <summary>The document's text after applying the fix titled <paramref name="title"/>.</summary>
    public static async Task<string> ApplyAsync(string source, CodeFixProvider provider, string id, string title)
    {
        var (document, diagnostic) = DocumentWithDiagnostic(source, id);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var action = Assert.Single(actions, a => a.Title == title);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution.GetDocument(document.Id)!;
        return (await changed.GetTextAsync()).ToString();
    }

    private static (Document Document, Diagnostic Diagnostic) DocumentWithDiagnostic(string source, string id)
    {
        var run = GeneratorHarness.Run(source);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);

        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "NetGenTestProject",
            "NetGenTestAssembly",
            LanguageNames.CSharp,
            compilationOptions: run.Compilation.Options,
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: run.Compilation.References));
        var document = workspace.AddDocument(project.Id, diagnostic.Location.GetLineSpan().Path, SourceText.From(source));
        return (document, diagnostic);
    }
}
