using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// IFrozenFeatureNetwork (ForwardFrozenPrefix, TrainStepFromFeatures, EvaluateFromFeatures) is emitted for a
/// network whose head reads only the frozen prefix's last output, and for no other.
/// </summary>
public sealed class FrozenFeatureMembersTests
{
    private static readonly string[] Members = ["FrozenFeatureSize", "ForwardFrozenPrefix", "TrainStepFromFeatures", "EvaluateFromFeatures"];

    [Fact]
    public void AFrozenBackboneUnderAHeadGetsTheFeatureMembers()
    {
        var run = GeneratorHarness.Run(TestNetworks.FrozenBackbone);

        Assert.Empty(run.CompilationProblems);
        Assert.True(ImplementsFrozenFeatures(run, "Samples.FrozenBackbone"));
        Assert.Equal(Members, Members.Where(m => run.Compilation.GetTypeByMetadataName("Samples.FrozenBackbone")!.GetMembers(m).Length == 1));
    }

    [Theory]
    [InlineData(nameof(TestNetworks.MnistMlp), "Samples.MnistMlp")]                           // nothing frozen
    [InlineData(nameof(TestNetworks.RegularisedClassifier), "Samples.RegularisedClassifier")] // a [Frozen] layer after a trainable one: no prefix
    public void ANetworkWithoutAFrozenPrefixGetsNone(string network, string type)
    {
        var run = GeneratorHarness.Run((string)typeof(TestNetworks).GetField(network)!.GetValue(null)!);

        Assert.Empty(run.CompilationProblems);
        Assert.False(ImplementsFrozenFeatures(run, type));
        Assert.All(Members, m => Assert.Empty(run.Compilation.GetTypeByMetadataName(type)!.GetMembers(m)));
    }

    [Theory]
    [InlineData("[Dense(3, Input = nameof(First))]", "Loss.SoftmaxCrossEntropy")]  // the head reads an earlier prefix node too
    [InlineData("[Dense(3)]", "Loss.MeanSquaredError")]                             // float targets
    public void AHeadThatNeedsMoreThanTheFeaturesGetsNone(string head, string loss)
    {
        var source = $$"""
            using NetGen;

            namespace Samples;

            [Network(Loss = {{loss}}, Seed = 1)]
            [Input(4)]
            public partial class Partial
            {
                [Frozen, Dense(5, Activation.ReLU)] public partial Dense First { get; }
                [Frozen, Dense(5, Activation.ReLU)] public partial Dense Second { get; }
                {{head}} public partial Dense Output { get; }
            }
            """;

        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.CompilationProblems);
        Assert.False(ImplementsFrozenFeatures(run, "Samples.Partial"));
    }

    private static bool ImplementsFrozenFeatures(GeneratorRun run, string type) =>
        run.Compilation.GetTypeByMetadataName(type)!.AllInterfaces.Any(i => i.Name == "IFrozenFeatureNetwork");
}
