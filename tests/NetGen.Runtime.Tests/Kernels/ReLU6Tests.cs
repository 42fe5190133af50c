using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>ReLU6 as PyTorch defines it (<c>torch.nn.ReLU6</c>: hardtanh between 0 and 6, gradient 1 strictly inside).</summary>
public sealed class ReLU6Tests
{
    [Theory]
    [InlineData(-1.5, 0, 0)]
    [InlineData(0, 0, 0)]
    [InlineData(2.5, 2.5, 1)]
    [InlineData(6, 6, 0)]
    [InlineData(7.25, 6, 0)]
    public void ClampsToZeroAndSixWithGradientOnlyInside(double z, double expected, double derivative)
    {
        var y = Activations.Apply(Activation.ReLU6, z);

        Assert.Equal(expected, y);
        Assert.Equal(derivative, Activations.Derivative(Activation.ReLU6, y));
    }
}
