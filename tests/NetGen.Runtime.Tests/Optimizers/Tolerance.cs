using System;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests.Optimizers;

/// <summary>
/// Float comparison against PyTorch: 1e-6 relative to each value, plus 1e-7 of the tensor's largest
/// magnitude. The floor covers values near zero that result from cancellation, where one rounding
/// of the operands (an ulp of the tensor's scale, e.g. torch's float-accumulated gradient norm
/// against NetGen's double-accumulated one) is large relative to the result.
/// </summary>
internal static class Tolerance
{
    private const double Relative = 1e-6;
    private const double ScaleFloor = 1e-7;
    private const double AbsoluteFloor = 1e-12;

    public static void Close(double expected, double actual, string what) => Close(expected, actual, Math.Abs(expected), what);

    public static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(v => Math.Abs((double)v));
        for (var i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], scale, $"{what}[{i}]");
        }
    }

    private static void Close(double expected, double actual, double scale, string what)
    {
        var allowed = (Relative * Math.Abs(expected)) + (ScaleFloor * scale) + AbsoluteFloor;
        var difference = Math.Abs(expected - actual);
        Assert.True(difference <= allowed, $"{what}: expected {expected:R}, got {actual:R} (difference {difference:E3}, allowed {allowed:E3}).");
    }
}
