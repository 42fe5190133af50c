using System;
using System.Numerics;

namespace NetGen.Kernels;

/// <summary>
/// General matrix product on row-major, contiguous matrices:
/// <c>C[m×n] = op(A)[m×k] · op(B)[k×n] (+ C when accumulating)</c>, followed by an optional fused
/// <see cref="GemmEpilogue{T}"/>. <c>op(A)</c> is A stored as m×k, or, transposed, Aᵀ of A stored as k×m;
/// likewise for B.
/// </summary>
public static class Gemm
{
    /// <summary>Multiplies without an epilogue.</summary>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> => Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate, default);

    /// <summary>Multiplies and applies <paramref name="epilogue"/> to each finished element.</summary>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, bool accumulate, in GemmEpilogue<T> epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckSizes(m, n, k, a.Length, b.Length, c.Length);
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            if (!accumulate)
            {
                row.Clear();
            }

            for (var p = 0; p < k; p++)
            {
                var aip = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                if (aip == T.Zero)
                {
                    continue;
                }

                for (var j = 0; j < n; j++)
                {
                    row[j] += aip * (transposeB ? b[(j * k) + p] : b[(p * n) + j]);
                }
            }
        }

        ApplyEpilogue(m, n, c, epilogue);
    }

    /// <summary>Applies <paramref name="epilogue"/> to the finished rows <c>[0, m)</c> of C.</summary>
    internal static void ApplyEpilogue<T>(int m, int n, Span<T> c, in GemmEpilogue<T> epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (epilogue.IsEmpty)
        {
            return;
        }

        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            var rowBias = epilogue.RowBias.IsEmpty ? T.Zero : epilogue.RowBias[i];
            for (var j = 0; j < n; j++)
            {
                var v = row[j] + rowBias;
                if (!epilogue.ColumnBias.IsEmpty)
                {
                    v += epilogue.ColumnBias[j];
                }

                if (epilogue.Activation != Activation.None)
                {
                    v = Activations.Apply(epilogue.Activation, v);
                }

                if (epilogue.DerivativeOf != Activation.None)
                {
                    v *= Activations.Derivative(epilogue.DerivativeOf, epilogue.DerivativeSaved[(i * n) + j]);
                }

                row[j] = v;
            }
        }
    }

    private static void CheckSizes(int m, int n, int k, int aLength, int bLength, int cLength)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative, got m={m}, n={n}, k={k}.");
        }

        if (aLength < m * k || bLength < k * n || cLength < m * n)
        {
            throw new ArgumentException($"Buffers too small for a {m}x{k} by {k}x{n} product: A has {aLength}, B {bLength}, C {cLength} elements.");
        }
    }
}
