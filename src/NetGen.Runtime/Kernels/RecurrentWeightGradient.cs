using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels.Threading;

namespace NetGen.Kernels;

/// <summary>
/// A recurrent layer's <c>dW_hh = Σ_{s ≥ 1} dz_sᵀ · h_{s−1}</c> and <c>db_hh = Σ_s Σ_b dz_s</c>, from every step's
/// recurrent-side gate gradients <c>dz [batch × rows]</c> and states <c>h [batch × columns]</c>, in one order
/// whichever way it runs: steps last first, each step's product added into the sum so far (the direct
/// kernel sums each element of a step's product alike in any tile), each step's rows added one after
/// another. A time loop on one thread adds each step as it finishes it (<see cref="AddStep{T}"/>, while
/// its <c>dz</c> is still in cache); one that split its batch over the pool sums every step after the loop
/// (<see cref="Compute{T}"/>), so the split changes no bit.
/// </summary>
internal sealed unsafe class RecurrentWeightGradient : IParallelWork
{
    private const int Lanes = 16;

    /// <summary>Rows of a band: the direct kernel's tile height.</summary>
    private const int BandAlignment = 4;

    [ThreadStatic]
    private static RecurrentWeightGradient? t_work;

    private float* _gradients, _states, _weightGradient, _biasGradient;
    private int _rows, _columns, _batch, _steps;

    /// <summary>
    /// Step <paramref name="step"/>'s share: <paramref name="biasGradient"/> <c>[rows]</c> and, from the second
    /// step on, <paramref name="weightGradient"/> <c>[rows × columns]</c> get this step's sums, added to the
    /// later steps' (overwritten at the last step, which comes first).
    /// </summary>
    public static void AddStep<T>(int rows, int columns, int batch, int step, int steps, ReadOnlySpan<T> gradients, ReadOnlySpan<T> previousStates, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var accumulate = step < steps - 1;
        SumRows(gradients, biasGradient, batch, rows, accumulate);
        if (step > 0)
        {
            RecurrentProduct.AccumulateWeightGradient(rows, columns, batch, gradients, previousStates, weightGradient, accumulate);
        }
    }

    /// <summary>
    /// Every step's share at once from <paramref name="gradients"/> <c>[steps, batch, rows]</c> and
    /// <paramref name="states"/> <c>[steps, batch, columns]</c>: on AVX-512, while one step's states fit in L1
    /// (<see cref="RecurrentProduct.DirectWeightGradient"/>), one pool run in which each part owns a band of
    /// rows of both gradients; otherwise <see cref="AddStep{T}"/> step after step. <paramref name="weightGradient"/>
    /// is left untouched when there is a single step (the caller clears it).
    /// </summary>
    public static void Compute<T>(int rows, int columns, int batch, int steps, ReadOnlySpan<T> gradients, ReadOnlySpan<T> states, Span<T> weightGradient, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !RecurrentProduct.DirectWeightGradient(columns, batch))
        {
            for (var s = steps - 1; s >= 0; s--)
            {
                AddStep(rows, columns, batch, s, steps, gradients.Slice(s * batch * rows, batch * rows), s > 0 ? states.Slice((s - 1) * batch * columns, batch * columns) : default, weightGradient, biasGradient);
            }

            return;
        }

        if (gradients.Length < steps * batch * rows || states.Length < steps * batch * columns || weightGradient.Length < rows * columns || biasGradient.Length < rows)
        {
            throw new ArgumentException($"Buffers too small for the weight gradient of {steps} steps of {batch} × {rows} gate gradients and {batch} × {columns} states: {gradients.Length}, {states.Length}, {weightGradient.Length} and {biasGradient.Length} elements.");
        }

        var work = t_work ??= new RecurrentWeightGradient();
        fixed (float* pg = MemoryMarshal.Cast<T, float>(gradients), ps = MemoryMarshal.Cast<T, float>(states), pw = MemoryMarshal.Cast<T, float>(weightGradient), pb = MemoryMarshal.Cast<T, float>(biasGradient))
        {
            work.Pin(pg, ps, pw, pb);
            (work._rows, work._columns, work._batch, work._steps) = (rows, columns, batch, steps);
            try
            {
                var multiplyAdds = (long)rows * columns * batch * steps;
                var parts = (int)Math.Clamp(multiplyAdds / Gemm.MinMultiplyAddsPerThread, 1, Math.Min(Gemm.MaxThreads, (rows + BandAlignment - 1) / BandAlignment));
                StepParallel.Run(work, parts);
            }
            finally
            {
                // Forget the pointers, which were pinned only for the call.
                work.Pin(null, null, null, null);
            }
        }
    }

    /// <summary>
    /// A bias gradient, <c>sums[j] (+)= Σ_i values[i, j]</c>, with <c>Dense.SumRows</c>'s sums (each column: 0 or its
    /// old value, + row 0, + row 1, … in that order). Float on AVX-512 takes eight vectors of columns through
    /// all the rows at once: eight chains of additions in flight and each cache line read once, where one vector
    /// of 8 at a time waited on each addition and read every 2 KiB-apart row twice (the row-MNIST LSTM at batch
    /// 64, by thread CPU time on a loaded machine: <c>db_ih</c> over 1,792 rows of 512 took 382 µs, each step's
    /// <c>db_hh</c> over 64 rows 8.9 µs).
    /// </summary>
    internal static void SumRows<T>(ReadOnlySpan<T> values, Span<T> sums, int rows, int width, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Avx512F.IsSupported)
        {
            Dense.SumRows(values, sums, rows, width, accumulate);
            return;
        }

        if (values.Length < (long)rows * width || sums.Length < width)
        {
            throw new ArgumentException($"Summing {rows} rows of {width} needs {(long)rows * width} values and {width} sums, got {values.Length} and {sums.Length}.");
        }

        fixed (float* pv = MemoryMarshal.Cast<T, float>(values), ps = MemoryMarshal.Cast<T, float>(sums))
        {
            var column = 0;
            for (; column + (8 * Lanes) <= width; column += 8 * Lanes)
            {
                SumColumns128(pv + column, ps + column, rows, width, accumulate);
            }

            for (; column < width; column += Lanes)
            {
                var lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width - column)).AsSingle();
                var sum = accumulate ? Avx512F.MaskLoad(ps + column, lanes, default) : default;
                for (var i = 0; i < rows; i++)
                {
                    sum += Avx512F.MaskLoad(pv + ((nint)i * width) + column, lanes, default);
                }

                Avx512F.MaskStore(ps + column, lanes, sum);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumColumns128(float* values, float* sums, int rows, int width, bool accumulate)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        if (accumulate)
        {
            (s0, s1, s2, s3) = (Vector512.Load(sums), Vector512.Load(sums + 16), Vector512.Load(sums + 32), Vector512.Load(sums + 48));
            (s4, s5, s6, s7) = (Vector512.Load(sums + 64), Vector512.Load(sums + 80), Vector512.Load(sums + 96), Vector512.Load(sums + 112));
        }

        for (var i = 0; i < rows; i++, values += width)
        {
            s0 += Vector512.Load(values);
            s1 += Vector512.Load(values + 16);
            s2 += Vector512.Load(values + 32);
            s3 += Vector512.Load(values + 48);
            s4 += Vector512.Load(values + 64);
            s5 += Vector512.Load(values + 80);
            s6 += Vector512.Load(values + 96);
            s7 += Vector512.Load(values + 112);
        }

        s0.Store(sums);
        s1.Store(sums + 16);
        s2.Store(sums + 32);
        s3.Store(sums + 48);
        s4.Store(sums + 64);
        s5.Store(sums + 80);
        s6.Store(sums + 96);
        s7.Store(sums + 112);
    }

    /// <inheritdoc/>
    public void Execute(int part, int partCount)
    {
        var (first, end) = StepParallel.Range(_rows, part, partCount, BandAlignment);
        if (first == end)
        {
            return;
        }

        var bias = new Span<float>(_biasGradient + first, end - first);
        var kernel = GemmKernel.For(GemmKernelKind.Avx512Direct);
        var noEpilogue = new GemmTileEpilogue(default, null, null, null);
        for (var s = _steps - 1; s >= 0; s--)
        {
            // The band's columns of each row of dz, added row after row as Dense.SumRows adds whole rows.
            var gradients = _gradients + ((nint)s * _batch * _rows);
            if (s == _steps - 1)
            {
                bias.Clear();
            }

            for (var b = 0; b < _batch; b++)
            {
                TensorPrimitives.Add(bias, new ReadOnlySpan<float>(gradients + ((nint)b * _rows) + first, end - first), bias);
            }

            if (s == 0)
            {
                break;
            }

            var problem = new GemmFloatProblem
            {
                A = gradients,
                B = _states + ((nint)(s - 1) * _batch * _columns),
                C = _weightGradient,
                M = _rows,
                N = _columns,
                K = _batch,
                TransposeA = true,
                Accumulate = s < _steps - 1,
                Kernel = kernel,
                Epilogue = noEpilogue,
            };
            GemmDirect.Compute(problem, first, end, 0, _columns);
        }
    }

    private void Pin(float* gradients, float* states, float* weightGradient, float* biasGradient)
    {
        _gradients = gradients;
        _states = states;
        _weightGradient = weightGradient;
        _biasGradient = biasGradient;
    }
}
