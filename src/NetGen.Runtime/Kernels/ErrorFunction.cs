using System;

namespace NetGen.Kernels;

/// <summary>
/// The error function in double precision, which .NET's Math lacks. GELU and its gradient check
/// need it accurate to ~1e-13, so it is computed, not approximated by a short polynomial.
/// </summary>
internal static class ErrorFunction
{
    private const double TwoOverSqrtPi = 1.1283791670955125739;

    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        var a = Math.Abs(x);
        var result = a < 2.5 ? Series(a) : 1 - ComplementContinuedFraction(a);
        return x < 0 ? -result : result;
    }

    // Maclaurin series: erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)). Below 2.5 the largest term is
    // about 200, so cancellation costs at most three of double's sixteen digits.
    private static double Series(double x)
    {
        var x2 = x * x;
        var term = x;
        var sum = x;
        for (var n = 1; n < 200; n++)
        {
            term *= -x2 / n;
            var contribution = term / ((2 * n) + 1);
            sum += contribution;
            if (Math.Abs(contribution) < 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }

        return TwoOverSqrtPi * sum;
    }

    // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by
    // modified Lentz; converges quickly for x ≥ 2.5.
    private static double ComplementContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var n = 1; n < 500; n++)
        {
            var an = n / 2.0;
            d = x + (an * d);
            d = d == 0 ? tiny : d;
            c = x + (an / c);
            c = c == 0 ? tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / (f * 1.7724538509055160273);
    }
}
