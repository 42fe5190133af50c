using System;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Losses;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator's loss table and the runtime state the same facts for every loss, so generated code
/// and the runtime's Predict, Evaluate and Fit agree on which link is applied and which targets count.
/// </summary>
public sealed class LossTableTests
{
    public static TheoryData<Loss> Kinds() => new(Enum.GetValues<Loss>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TableAndRuntimeAgreeOnTheLinkAndTheTargets(Loss loss)
    {
        var facts = LossTable.Of((LossKind)loss);

        Assert.Equal(loss.ToString(), facts.Kind.ToString());
        Assert.Equal(LossRules.Link(loss).ToString(), facts.Link.ToString());
        Assert.Equal(LossRules.TakesLabels(loss), facts.TakesLabels);
        Assert.Equal(LossRules.HasTermPerValue(loss), facts.IsElementwise);
        Assert.Equal(facts.Link == ActivationKind.None, facts.LinkPhrase is null);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EachLossNamesARuntimeClassWithCompute(Loss loss)
    {
        var facts = LossTable.Of((LossKind)loss);

        var type = typeof(LossRules).Assembly.GetType("NetGen.Losses." + facts.RuntimeClass);

        Assert.NotNull(type);
        Assert.True(type!.IsPublic);
        Assert.Contains(type.GetMethods(), m => m.Name == "Compute" && m.IsStatic);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LossesOfOneTermPerValueHaveDeviceNumericsAndReadTheOutputs(Loss loss)
    {
        var facts = LossTable.Of((LossKind)loss);

        Assert.Equal(facts.DeviceTerm is null, facts.DeviceDerivative is null);
        // A loss that sums one term per value has no link to fuse with, so it reads the outputs.
        Assert.True(!facts.IsElementwise || facts.Link == ActivationKind.None);
        Assert.Matches("^[a-z_]+$", facts.DeviceKernel);
    }

    [Fact]
    public void ALossWithALinkAcceptsOnlyThatLinkOrNone()
    {
        var softmax = LossTable.Of(LossKind.SoftmaxCrossEntropy);
        var squared = LossTable.Of(LossKind.MeanSquaredError);

        Assert.True(softmax.Accepts(ActivationKind.None));
        Assert.True(softmax.Accepts(ActivationKind.Softmax));
        Assert.False(softmax.Accepts(ActivationKind.Sigmoid));
        Assert.All(Enum.GetValues<ActivationKind>(), a => Assert.True(squared.Accepts(a)));
    }

    [Fact]
    public void NumbersOutsideTheEnumAreNotRead()
    {
        Assert.False(LossTable.TryRead(-1, out _));
        Assert.False(LossTable.TryRead(Enum.GetValues<Loss>().Length, out _));
        Assert.True(LossTable.TryRead((int)Loss.MeanAbsoluteError, out var mae));
        Assert.Equal(LossKind.MeanAbsoluteError, mae);
        Assert.Equal(Enum.GetValues<Loss>().Length, LossTable.All.Count());
    }
}
