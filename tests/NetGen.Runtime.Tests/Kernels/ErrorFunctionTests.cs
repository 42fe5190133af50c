using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

public sealed class ErrorFunctionTests
{
    // Reference values from the series definition, evaluated to 17 digits (e.g. Abramowitz & Stegun table 7.1).
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.52049987781304654)]
    [InlineData(1.0, 0.84270079294971487)]
    [InlineData(-1.5, -0.96610514647531073)]
    [InlineData(2.5, 0.99959304798255504)]
    [InlineData(3.0, 0.99997790950300141)]
    [InlineData(6.0, 1.0)]
    public void MatchesTabulatedValues(double x, double expected) =>
        Assert.Equal(expected, ErrorFunction.Erf(x), 1e-14);
}
