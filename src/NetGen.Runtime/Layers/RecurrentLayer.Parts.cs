using System;
using System.Numerics;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// The time loop's batch split over the worker pool: each part runs its samples through every step of a
/// direction (forward, or backward through time), so a pass costs one hand-off, where a split of each
/// step's product cost one per step and left the cells on one thread. A sample's steps read and write
/// only its own rows, and each row's product sums in the same order whatever the rows beside it, so
/// any split gives what one thread gives, bit for bit.
/// </summary>
public abstract partial class RecurrentLayer
{
    /// <summary>
    /// Samples per part below which the batch is not split: a part's step product then has fewer rows
    /// than the 4-row tile of the direct kernels.
    /// </summary>
    private const int MinSamplesPerPart = 4;

    /// <summary>Parts for a batch: one per <see cref="MinSamplesPerPart"/> samples, at most <see cref="Gemm.MaxThreads"/>.</summary>
    private static int LoopPartCount(int batch) => Math.Clamp(batch / MinSamplesPerPart, 1, Gemm.MaxThreads);

    /// <summary>What every part of one direction's pass shares: the sizes, which direction runs, and how many parts it has.</summary>
    private readonly record struct TimeLoop(int Batch, int Steps, int Hidden, bool ReturnSequences, int Directions)
    {
        public int Direction { get; init; }

        public int Parts { get; } = LoopPartCount(Batch);
    }

    /// <summary>
    /// One direction's pass as pool work. One instance per thread, element type and cell is reused; the spans
    /// are pinned for the pass only and given back to <see cref="ForwardRows{T, TCell}"/> and
    /// <see cref="BackwardRows{T, TCell}"/> at their own lengths.
    /// </summary>
    private sealed unsafe class LoopParts<T, TCell> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCell : struct, IRecurrentCell<T>
    {
        [ThreadStatic]
        private static LoopParts<T, TCell>? t_work;

        private TCell _cell;
        private TimeLoop _loop;
        private bool _backward;
        private T* _weights, _prepared, _bias, _output, _saved, _lengths, _outputGradient, _gradients, _weightGradient, _biasGradient;
        private int _weightsLength, _preparedLength, _biasLength, _outputLength, _savedLength, _lengthsLength, _outputGradientLength, _gradientsLength, _weightGradientLength, _biasGradientLength;

        /// <summary><see cref="ForwardRows{T, TCell}"/> of the whole batch, split over the pool.</summary>
        public static void Forward(TCell cell, in TimeLoop loop, ReadOnlySpan<T> weights, ReadOnlySpan<T> prepared, ReadOnlySpan<T> bias, Span<T> output, Span<T> saved, ReadOnlySpan<T> lengths)
        {
            var work = t_work ??= new LoopParts<T, TCell>();
            fixed (T* pw = weights, pp = prepared, pb = bias, py = output, ps = saved, pl = lengths)
            {
                work.Pin(pw, weights.Length, pp, prepared.Length, pb, bias.Length, py, output.Length, ps, saved.Length, pl, lengths.Length, null, 0, null, 0);
                work.Run(cell, loop, backward: false);
            }
        }

        /// <summary><see cref="BackwardRows{T, TCell}"/> of the whole batch, split over the pool.</summary>
        public static void Backward(TCell cell, in TimeLoop loop, ReadOnlySpan<T> outputGradient, ReadOnlySpan<T> weights, ReadOnlySpan<T> prepared, Span<T> saved, Span<T> gradients, Span<T> weightGradient, Span<T> biasGradient, ReadOnlySpan<T> lengths)
        {
            var work = t_work ??= new LoopParts<T, TCell>();
            fixed (T* pw = weights, pp = prepared, pdy = outputGradient, ps = saved, pg = gradients, pl = lengths, pwg = weightGradient, pbg = biasGradient)
            {
                work.Pin(pw, weights.Length, pp, prepared.Length, null, 0, null, 0, ps, saved.Length, pl, lengths.Length, pdy, outputGradient.Length, pg, gradients.Length);
                work._weightGradient = pwg;
                work._biasGradient = pbg;
                (work._weightGradientLength, work._biasGradientLength) = (weightGradient.Length, biasGradient.Length);
                work.Run(cell, loop, backward: true);
            }
        }

        /// <inheritdoc/>
        public void Execute(int part, int partCount)
        {
            var (first, end) = StepParallel.Range(_loop.Batch, part, partCount, MinSamplesPerPart);
            if (first == end)
            {
                return;
            }

            ReadOnlySpan<T> weights = new(_weights, _weightsLength), prepared = new(_prepared, _preparedLength), lengths = new(_lengths, _lengthsLength);
            var saved = new Span<T>(_saved, _savedLength);
            if (_backward)
            {
                BackwardRows(_cell, _loop, new ReadOnlySpan<T>(_outputGradient, _outputGradientLength), weights, prepared, saved, new Span<T>(_gradients, _gradientsLength), new Span<T>(_weightGradient, _weightGradientLength), new Span<T>(_biasGradient, _biasGradientLength), lengths, first, end);
            }
            else
            {
                ForwardRows(_cell, _loop, weights, prepared, new ReadOnlySpan<T>(_bias, _biasLength), new Span<T>(_output, _outputLength), saved, lengths, first, end);
            }
        }

        private void Pin(T* weights, int weightsLength, T* prepared, int preparedLength, T* bias, int biasLength, T* output, int outputLength, T* saved, int savedLength, T* lengths, int lengthsLength, T* outputGradient, int outputGradientLength, T* gradients, int gradientsLength)
        {
            _weights = weights;
            _prepared = prepared;
            _bias = bias;
            _output = output;
            _saved = saved;
            _lengths = lengths;
            _outputGradient = outputGradient;
            _gradients = gradients;
            _weightGradient = null;
            _biasGradient = null;
            (_weightGradientLength, _biasGradientLength) = (0, 0);
            (_weightsLength, _preparedLength, _biasLength, _outputLength) = (weightsLength, preparedLength, biasLength, outputLength);
            (_savedLength, _lengthsLength, _outputGradientLength, _gradientsLength) = (savedLength, lengthsLength, outputGradientLength, gradientsLength);
        }

        private void Run(TCell cell, in TimeLoop loop, bool backward)
        {
            (_cell, _loop, _backward) = (cell, loop, backward);
            try
            {
                StepParallel.Run(this, loop.Parts);
            }
            finally
            {
                // Forget the pointers, which were pinned only for the pass.
                Pin(null, 0, null, 0, null, 0, null, 0, null, 0, null, 0, null, 0, null, 0);
            }
        }
    }
}
