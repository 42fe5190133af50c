using System;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator's activation table and the runtime's numerics state the same facts for every
/// activation, so generated code never asks the runtime for a tensor it does not keep.
/// </summary>
public sealed class ActivationTableTests
{
    public static TheoryData<Activation> Kinds() => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TableAndRuntimeAgreeOnWhatBackwardReads(Activation activation)
    {
        var facts = ActivationTable.Of((ActivationKind)activation);

        Assert.Equal(activation.ToString(), facts.Kind.ToString());
        Assert.Equal(Activations.SavesPreActivation(activation), facts.SavesPreActivation);
        Assert.Equal(Activations.IsElementwise(activation), facts.IsElementwise);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TableAndRuntimeAgreeOnTheInitFamily(Activation activation)
    {
        var facts = ActivationTable.Of((ActivationKind)activation);

        Assert.Equal(Activations.InitialisesWithHe(activation) ? InitKind.HeUniform : InitKind.GlorotUniform, facts.WeightInit);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ElementwiseActivationsHaveRuntimeNumericsAndDeviceKernels(Activation activation)
    {
        var facts = ActivationTable.Of((ActivationKind)activation);
        if (!facts.IsElementwise)
        {
            Assert.Null(facts.DeviceValue);
            Assert.Null(facts.DeviceDerivative);
            return;
        }

        Assert.False(string.IsNullOrWhiteSpace(facts.DeviceValue));
        Assert.False(string.IsNullOrWhiteSpace(facts.DeviceDerivative));
        Assert.True(double.IsFinite(Activations.Apply(activation, 0.5)));
        Assert.True(double.IsFinite(Activations.Derivative(activation, 0.5)));
    }

    [Fact]
    public void NumbersOutsideTheEnumAreNotRead()
    {
        Assert.False(ActivationTable.TryRead(-1, out _));
        Assert.False(ActivationTable.TryRead(Enum.GetValues<Activation>().Length, out _));
        Assert.True(ActivationTable.TryRead((int)Activation.GELU, out var gelu));
        Assert.Equal(ActivationKind.GELU, gelu);
    }
}
