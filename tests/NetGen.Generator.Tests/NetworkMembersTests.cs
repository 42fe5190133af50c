using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// A generated class offers INetwork's members on itself (<c>new MnistMlp().InputSize</c>), and its
/// sizes as constants in its nested <c>Layout</c> class.
/// </summary>
public sealed class NetworkMembersTests
{
    private const string Usage = """
        using System.Collections.Generic;
        using NetGen;

        namespace Samples;

        public static class Usage
        {
            // Constants, usable where C# requires one.
            public const int InputFloats = MnistMlp.Layout.InputSize;
            public static readonly float[] OneOutput = new float[MnistMlp.Layout.OutputSize];

            public static int Sizes()
            {
                var model = new MnistMlp();
                IReadOnlyList<int> inputShape = model.InputShape;
                Loss loss = model.Loss;
                return model.InputSize + model.OutputSize + inputShape[0] + model.OutputShape[0] + (int)loss
                    + MnistMlp.Layout.ParameterCount + MnistMlp.Layout.TrainableParameterCount + MnistMlp.Layout.BufferCount + MnistMlp.Layout.ActivationsPerSample
                    + model.Parameters.Length + model.ParameterLayout.Count + model.TrainableRanges.Count + model.Summary().Length;
            }
        }
        """;

    [Fact]
    public void ConcreteTypeOffersTheInterfaceMembersAndLayoutTheConstants()
    {
        var run = GeneratorHarness.Run(TestNetworks.MnistMlp, Usage);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void EveryInterfaceMemberIsImplementedPublicly()
    {
        var run = GeneratorHarness.Run(TestNetworks.MnistMlp);
        var network = run.Compilation.GetTypeByMetadataName("Samples.MnistMlp")!;
        var contract = run.Compilation.GetTypeByMetadataName("NetGen.INetwork")!;

        var hidden = contract.GetMembers()
            .Where(m => m is IPropertySymbol or IMethodSymbol { MethodKind: MethodKind.Ordinary })
            .Select(m => (Member: m, Implementation: network.FindImplementationForInterfaceMember(m)))
            .Where(p => p.Implementation is null || p.Implementation.DeclaredAccessibility != Accessibility.Public || !SymbolEqualityComparer.Default.Equals(p.Implementation.ContainingType, network))
            .Select(p => p.Member.ToDisplayString())
            .ToArray();

        Assert.Empty(hidden);
    }

    /// <summary>
    /// The class's XML documentation shows the summary rendered at build time; at run time the
    /// runtime's NetworkSummary completes it. With the layers frozen as declared the two must agree.
    /// </summary>
    [Fact]
    public void DocumentedSummaryIsWhatANewInstanceReturns()
    {
        var run = GeneratorHarness.Run(TestNetworks.RegularisedClassifier);
        var lines = run.Sources["Samples.RegularisedClassifier.g.cs"].Split('\n');
        var documented = string.Join("\n", lines.SkipWhile(l => l != "/// <code>").Skip(1).TakeWhile(l => l != "/// </code>").Select(l => WebUtility.HtmlDecode(l["/// ".Length..])));
        using var image = new MemoryStream();
        Assert.True(run.Compilation.Emit(image).Success);
        image.Position = 0;
        var context = new AssemblyLoadContext("NetGenSummary", isCollectible: true);
        try
        {
            var type = context.LoadFromStream(image).GetType("Samples.RegularisedClassifier")!;
            var network = (INetwork)System.Activator.CreateInstance(type)!;

            Assert.Contains("(frozen)", documented);
            Assert.Equal(documented, network.Summary());
        }
        finally
        {
            context.Unload();
        }
    }
}
