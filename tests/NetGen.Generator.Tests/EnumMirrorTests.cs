using System;
using NetGen.Generator.Model;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The generator reads enum arguments as numbers, so its mirrors must match the public enums exactly.</summary>
public sealed class EnumMirrorTests
{
    [Fact]
    public void ActivationMirrorMatchesPublicEnum() => AssertSame(typeof(Activation), typeof(ActivationKind));

    [Fact]
    public void LossMirrorMatchesPublicEnum() => AssertSame(typeof(Loss), typeof(LossKind));

    [Fact]
    public void InputKindMirrorMatchesPublicEnum() => AssertSame(typeof(InputKind), typeof(InputKindValue));

    private static void AssertSame(Type published, Type mirror)
    {
        Assert.Equal(Enum.GetNames(published), Enum.GetNames(mirror));
        foreach (var name in Enum.GetNames(published))
        {
            Assert.Equal(Convert.ToInt32(Enum.Parse(published, name)), Convert.ToInt32(Enum.Parse(mirror, name)));
        }
    }
}
