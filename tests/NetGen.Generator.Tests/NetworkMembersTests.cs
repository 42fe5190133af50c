using System.Linq;
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
}
