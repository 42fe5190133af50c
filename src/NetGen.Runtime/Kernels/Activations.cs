using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// Every activation's forward value and derivative, side by side. Derivatives are written in terms
/// of what the forward pass saved: the output <c>y</c> for all but GELU, whose derivative needs the
/// pre-activation <c>z</c> (see <see cref="SavesPreActivation"/>). Each switch names every kind and
/// has no discard arm, so an activation added to <see cref="Activation"/> but not here fails the
/// build; the generator's table (<c>ActivationTable</c>) states the same facts, and a test keeps the two in step.
/// </summary>
public static class Activations
{
    /// <summary>Slope of <see cref="Activation.LeakyReLU"/> for negative inputs (PyTorch's default).</summary>
    public const double LeakySlope = 0.01;

    /// <summary>Whether the derivative of <paramref name="activation"/> needs the pre-activation rather than the output.</summary>
    public static bool SavesPreActivation(Activation activation) => activation switch
    {
        Activation.None or Activation.ReLU or Activation.LeakyReLU or Activation.Sigmoid or Activation.Tanh or Activation.Softmax or Activation.ReLU6 => false,
        Activation.GELU => true,
    };

    /// <summary>Whether <paramref name="activation"/> acts on each element alone (all but Softmax).</summary>
    public static bool IsElementwise(Activation activation) => activation switch
    {
        Activation.None or Activation.ReLU or Activation.LeakyReLU or Activation.Sigmoid or Activation.Tanh or Activation.GELU or Activation.ReLU6 => true,
        Activation.Softmax => false,
    };

    /// <summary>
    /// Whether the weights of a layer ending in <paramref name="activation"/> start He uniform (the
    /// rectifiers, which halve the variance they pass on) rather than Glorot uniform.
    /// </summary>
    public static bool InitialisesWithHe(Activation activation) => activation switch
    {
        Activation.ReLU or Activation.LeakyReLU or Activation.GELU or Activation.ReLU6 => true,
        Activation.None or Activation.Sigmoid or Activation.Tanh or Activation.Softmax => false,
    };

    /// <summary>The activation of one pre-activation value.</summary>
    public static T Apply<T>(Activation activation, T z)
        where T : unmanaged, IFloatingPointIeee754<T> => activation switch
        {
            Activation.None => z,
            Activation.ReLU => z > T.Zero ? z : T.Zero,
            Activation.LeakyReLU => z > T.Zero ? z : T.CreateTruncating(LeakySlope) * z,
            Activation.ReLU6 => z > T.Zero ? T.Min(z, T.CreateTruncating(6)) : T.Zero,
            Activation.Sigmoid => T.One / (T.One + T.Exp(-z)),
            Activation.Tanh => T.Tanh(z),
            Activation.GELU => T.CreateTruncating(0.5) * z * (T.One + Erf(z * T.CreateTruncating(0.70710678118654752440))),
            Activation.Softmax => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax acts on a whole row; use ApplyRows."),
        };

    /// <summary>
    /// The derivative <c>dy/dz</c> given the saved value: the output <c>y</c>, or for GELU the
    /// pre-activation <c>z</c>.
    /// </summary>
    public static T Derivative<T>(Activation activation, T saved)
        where T : unmanaged, IFloatingPointIeee754<T> => activation switch
        {
            Activation.None => T.One,
            Activation.ReLU => saved > T.Zero ? T.One : T.Zero,
            Activation.LeakyReLU => saved > T.Zero ? T.One : T.CreateTruncating(LeakySlope),
            // As PyTorch's hardtanh backward: 1 strictly inside (0, 6), where the output alone tells.
            Activation.ReLU6 => saved > T.Zero && saved < T.CreateTruncating(6) ? T.One : T.Zero,
            Activation.Sigmoid => saved * (T.One - saved),
            Activation.Tanh => T.One - (saved * saved),
            Activation.GELU => GeluDerivative(saved),
            Activation.Softmax => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax has no elementwise derivative; use SoftmaxBackwardRows."),
        };

    /// <summary>Applies <paramref name="activation"/> in place to <paramref name="rows"/> rows of <paramref name="width"/> values.</summary>
    public static void ApplyRows<T>(Activation activation, Span<T> values, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (activation == Activation.None)
        {
            return;
        }

        if (activation == Activation.Softmax)
        {
            for (var r = 0; r < rows; r++)
            {
                SoftmaxRow(values.Slice(r * width, width));
            }

            return;
        }

        if (typeof(T) == typeof(float) && activation == Activation.ReLU)
        {
            var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(values[..(rows * width)]);
            System.Numerics.Tensors.TensorPrimitives.Max(floats, 0f, floats);
            return;
        }

        foreach (ref var v in values[..(rows * width)])
        {
            v = Apply(activation, v);
        }
    }

    /// <summary>
    /// Turns the gradient of a softmax output into the gradient of its input, in place:
    /// <c>dz = y ⊙ (dy − Σ dy⊙y)</c> per row.
    /// </summary>
    public static void SoftmaxBackwardRows<T>(Span<T> gradient, ReadOnlySpan<T> output, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var dy = gradient.Slice(r * width, width);
            var y = output.Slice(r * width, width);
            var dot = T.Zero;
            for (var i = 0; i < width; i++)
            {
                dot += dy[i] * y[i];
            }

            for (var i = 0; i < width; i++)
            {
                dy[i] = y[i] * (dy[i] - dot);
            }
        }
    }

    /// <summary>
    /// Turns <c>dy</c> into <c>dz</c> in place for rows of <paramref name="width"/> values: a multiply
    /// by the derivative for elementwise activations, the softmax Jacobian product for Softmax.
    /// Used where no matrix product is there to carry the step in its epilogue (after a loss).
    /// </summary>
    public static void Backward<T>(Activation activation, Span<T> gradient, ReadOnlySpan<T> saved, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (activation == Activation.None)
        {
            return;
        }

        if (activation == Activation.Softmax)
        {
            SoftmaxBackwardRows(gradient, saved, rows, width);
            return;
        }

        if (typeof(T) == typeof(float) && activation == Activation.ReLU)
        {
            var floats = MemoryMarshal.Cast<T, float>(gradient[..(rows * width)]);
            MultiplyByReluDerivative(floats, MemoryMarshal.Cast<T, float>(saved[..(rows * width)]), floats);
            return;
        }

        for (var i = 0; i < rows * width; i++)
        {
            gradient[i] *= Derivative(activation, saved[i]);
        }
    }

    /// <summary>
    /// <see cref="Backward{T}(Activation, Span{T}, ReadOnlySpan{T}, int, int)"/> out of place, in one pass:
    /// <c>result = gradient ⊙ act′(saved)</c> for elementwise activations (a copy for None), the softmax
    /// Jacobian product of each row for Softmax. For ops whose input gradient is their output gradient
    /// as it is (Add) or a slice of it (Concat), so the copy and the derivative are one pass, not two.
    /// </summary>
    public static void BackwardInto<T>(Activation activation, ReadOnlySpan<T> gradient, Span<T> result, ReadOnlySpan<T> saved, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = rows * width;
        if (activation == Activation.None || !IsElementwise(activation))
        {
            gradient[..count].CopyTo(result);
            Backward(activation, result, saved, rows, width);
            return;
        }

        if (typeof(T) == typeof(float) && activation == Activation.ReLU)
        {
            MultiplyByReluDerivative(MemoryMarshal.Cast<T, float>(gradient[..count]), MemoryMarshal.Cast<T, float>(saved[..count]), MemoryMarshal.Cast<T, float>(result[..count]));
            return;
        }

        for (var i = 0; i < count; i++)
        {
            result[i] = gradient[i] * Derivative(activation, saved[i]);
        }
    }

    /// <summary>
    /// <c>result[i] = gradient[i] * (saved[i] &gt; 0 ? 1 : 0)</c>, a vector at a time (in place when
    /// <paramref name="result"/> is <paramref name="gradient"/>): the derivative every ReLU network
    /// multiplies into each gradient, too common to pay a per-element switch. A multiply rather than a
    /// select, so a NaN gradient stays NaN exactly as in <see cref="Derivative{T}"/>.
    /// </summary>
    internal static void MultiplyByReluDerivative(ReadOnlySpan<float> gradient, ReadOnlySpan<float> saved, Span<float> result)
    {
        var i = 0;
        for (; i <= gradient.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var positive = Vector.GreaterThan(new Vector<float>(saved[i..]), Vector<float>.Zero);
            var g = new Vector<float>(gradient[i..]) * Vector.ConditionalSelect(positive, Vector<float>.One, Vector<float>.Zero);
            g.CopyTo(result[i..]);
        }

        for (; i < gradient.Length; i++)
        {
            result[i] = gradient[i] * (saved[i] > 0 ? 1f : 0f);
        }
    }

    /// <summary>Numerically stable softmax of one row, in place.</summary>
    public static void SoftmaxRow<T>(Span<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = row[0];
        foreach (var v in row)
        {
            max = T.Max(max, v);
        }

        var sum = T.Zero;
        foreach (ref var v in row)
        {
            v = T.Exp(v - max);
            sum += v;
        }

        var inverse = T.One / sum;
        foreach (ref var v in row)
        {
            v *= inverse;
        }
    }

    private static T GeluDerivative<T>(T z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // d/dz [z Φ(z)] = Φ(z) + z φ(z)
        var cdf = T.CreateTruncating(0.5) * (T.One + Erf(z * T.CreateTruncating(0.70710678118654752440)));
        var pdf = T.Exp(T.CreateTruncating(-0.5) * z * z) * T.CreateTruncating(0.39894228040143267794);
        return cdf + (z * pdf);
    }

    /// <summary>The error function to double precision (W. J. Cody's rational approximations).</summary>
    internal static T Erf<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(ErrorFunction.Erf(double.CreateTruncating(x)));
}
