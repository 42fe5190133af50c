using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Threading;
using NetGen.Kernels.Threading;

namespace NetGen.Kernels;

/// <summary>
/// General matrix product on row-major, contiguous matrices:
/// <c>C[m×n] = op(A)[m×k] · op(B)[k×n] (+ C when accumulating)</c>, followed by an optional fused
/// <see cref="GemmEpilogue{T}"/>. <c>op(A)</c> is A stored as m×k, or, transposed, Aᵀ of A stored as k×m;
/// likewise for B.
/// </summary>
/// <remarks>
/// Float products run a packed, cache-blocked kernel (AVX-512, AVX2 or portable SIMD, picked at run
/// time; small AVX-512 products whose operands fit in L2 skip packing, see <see cref="GemmDirect"/>), spread over up to <see cref="MaxThreads"/> threads when large enough, allocating nothing
/// per call; their results do not depend on the thread count. Other element types (double, for
/// gradient checks) run a plain triple loop.
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// Products with fewer multiply-adds than this per thread stay on fewer threads: 512K is about 3 µs
    /// of one core. A worker spinning between runs (see <see cref="WorkerPool"/>) joins within a
    /// microsecond; one asleep takes tens, but then the caller claims its part too, so a split costs
    /// little more than running alone. From 2M a thread (the old threshold) a 128³ product ran on one
    /// core at 169 GFLOP/s where OpenBLAS split it on two at 221.
    /// </summary>
    internal const long MinMultiplyAddsPerThread = 1 << 19;

    private static int s_maxThreads = Environment.ProcessorCount;

    [ThreadStatic]
    private static GemmParallelWork? t_parallelWork;

    /// <summary>
    /// The most threads one float product may use (the caller plus pool workers). Defaults to
    /// <see cref="Environment.ProcessorCount"/>; small products use fewer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => Volatile.Read(ref s_maxThreads);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxThreads));
            Volatile.Write(ref s_maxThreads, value);
        }
    }

    /// <summary>Multiplies without an epilogue.</summary>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> => Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate, default);

    /// <summary>Multiplies and applies <paramref name="epilogue"/> to each finished element.</summary>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, bool accumulate, in GemmEpilogue<T> epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var floatEpilogue = new GemmEpilogue<float>
            {
                RowBias = MemoryMarshal.Cast<T, float>(epilogue.RowBias),
                ColumnBias = MemoryMarshal.Cast<T, float>(epilogue.ColumnBias),
                Activation = epilogue.Activation,
                DerivativeOf = epilogue.DerivativeOf,
                DerivativeSaved = MemoryMarshal.Cast<T, float>(epilogue.DerivativeSaved),
            };
            MultiplyFloat(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(b), MemoryMarshal.Cast<T, float>(c), accumulate, floatEpilogue, GemmKernelKind.Auto, MaxThreads);
            return;
        }

        CheckArguments(m, n, k, a.Length, b.Length, c.Length, epilogue);
        MultiplyReference(transposeA, transposeB, m, n, k, a, b, c, accumulate);
        ApplyEpilogue(m, n, c, epilogue);
    }

    /// <summary>
    /// The float product through the packed, blocked kernels: <paramref name="kernel"/> picks the
    /// micro-kernel (tests force each one) and <paramref name="maxThreads"/> caps the threads.
    /// </summary>
    internal static unsafe void MultiplyFloat(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, in GemmEpilogue<float> epilogue, GemmKernelKind kernel, int maxThreads)
    {
        CheckArguments(m, n, k, a.Length, b.Length, c.Length, epilogue);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }

            ApplyEpilogue(m, n, c, epilogue);
            return;
        }

        if (kernel == GemmKernelKind.Auto && GemmDirect.Suits(m, n, k, transposeA, transposeB))
        {
            kernel = GemmKernelKind.Avx512Direct;
        }
        else if (kernel == GemmKernelKind.Avx512Direct && !GemmDirect.Supports(transposeA, transposeB))
        {
            kernel = GemmKernelKind.Avx512;
        }

        fixed (float* pa = a, pb = b, pc = c)
        fixed (float* rowBias = epilogue.RowBias, columnBias = epilogue.ColumnBias, saved = epilogue.DerivativeSaved)
        {
            var problem = new GemmFloatProblem
            {
                A = pa,
                B = pb,
                C = pc,
                M = m,
                N = n,
                K = k,
                TransposeA = transposeA,
                TransposeB = transposeB,
                Accumulate = accumulate,
                Kernel = GemmKernel.For(kernel),
                Epilogue = new GemmTileEpilogue(epilogue, rowBias, columnBias, saved),
            };
            var threads = (int)Math.Min(maxThreads, Math.Max(1, (long)m * n * k / MinMultiplyAddsPerThread));
            if (threads > 1)
            {
                if (kernel != GemmKernelKind.Avx512Direct)
                {
                    GemmFloat.BuffersFor(problem.Kernel);
                }

                var work = t_parallelWork ??= new GemmParallelWork();
                var parts = work.Prepare(problem, threads);
                if (parts > 1 && WorkerPool.Shared.TryRun(work, parts))
                {
                    return;
                }
            }

            GemmFloat.Compute(problem, 0, m, 0, n);
        }
    }

    /// <summary>The plain triple loop: the path for every element type but float.</summary>
    private static void MultiplyReference<T>(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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
                for (var j = 0; j < n; j++)
                {
                    row[j] += aip * (transposeB ? b[(j * k) + p] : b[(p * n) + j]);
                }
            }
        }
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

    private static void CheckArguments<T>(int m, int n, int k, int aLength, int bLength, int cLength, in GemmEpilogue<T> epilogue)
        where T : unmanaged
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative, got m={m}, n={n}, k={k}.");
        }

        if (aLength < (long)m * k || bLength < (long)k * n || cLength < (long)m * n)
        {
            throw new ArgumentException($"Buffers too small for a {m}x{k} by {k}x{n} product: A has {aLength}, B {bLength}, C {cLength} elements.");
        }

        if (!epilogue.RowBias.IsEmpty && epilogue.RowBias.Length < m)
        {
            throw new ArgumentException($"The epilogue's row bias has {epilogue.RowBias.Length} elements but C has {m} rows.", nameof(epilogue));
        }

        if (!epilogue.ColumnBias.IsEmpty && epilogue.ColumnBias.Length < n)
        {
            throw new ArgumentException($"The epilogue's column bias has {epilogue.ColumnBias.Length} elements but C has {n} columns.", nameof(epilogue));
        }

        if (!Activations.IsElementwise(epilogue.Activation) || !Activations.IsElementwise(epilogue.DerivativeOf))
        {
            throw new ArgumentException("A GEMM epilogue applies activations element by element; Softmax needs whole rows.", nameof(epilogue));
        }

        if (epilogue.DerivativeOf != Activation.None && epilogue.DerivativeSaved.Length < (long)m * n)
        {
            throw new ArgumentException($"The epilogue's saved tensor for the {epilogue.DerivativeOf} derivative has {epilogue.DerivativeSaved.Length} elements but C has {m}x{n}.", nameof(epilogue));
        }
    }
}
