using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
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
        RowSums.Sum(gradients, biasGradient, batch, rows, accumulate);
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
            // The band's columns of each row of dz, added row after row as RowSums adds whole rows.
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
