using System;
using System.Numerics;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// BatchNorm's passes split over the channels on the worker pool: a channel's statistics, running
/// statistics and values are all one part's, summed in the same order whatever the number of parts, so
/// results equal one thread's bitwise. One instance per thread and element type is reused; the spans are
/// pinned for the pass only and given back to the numerics in <see cref="BatchNorm"/> at their own lengths,
/// so a short span fails there as it would on one thread.
/// </summary>
internal sealed unsafe class BatchNormParts<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static BatchNormParts<T>? t_work;

    private Pinned _x, _gamma, _beta, _runningMean, _runningVar, _y, _preActivation, _normalized, _inverseStd;
    private Pinned _dz, _gammaGradient, _betaGradient, _dx, _saved;
    private int _batch, _channels, _spatial;
    private double _momentum, _epsilon;
    private Activation _activation;
    private bool _accumulate;
    private Phase _phase;

    private enum Phase
    {
        ForwardTraining,
        ForwardInference,
        Backward,
    }

    /// <summary><see cref="BatchNorm.ForwardTraining{T}"/> over the pool.</summary>
    public static void ForwardTraining(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> runningMean, Span<T> runningVar,
        Span<T> y, Span<T> preActivation, Span<T> normalized, Span<T> inverseStd,
        int batch, int channels, int spatial, double momentum, double epsilon, Activation activation) =>
        Forward(Phase.ForwardTraining, x, gamma, beta, runningMean, runningVar, y, preActivation, normalized, inverseStd, batch, channels, spatial, momentum, epsilon, activation);

    /// <summary><see cref="BatchNorm.ForwardInference{T}"/> over the pool.</summary>
    public static void ForwardInference(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVar,
        Span<T> y, Span<T> preActivation, int batch, int channels, int spatial, double epsilon, Activation activation) =>
        Forward(Phase.ForwardInference, x, gamma, beta, runningMean, runningVar, y, preActivation, default, default, batch, channels, spatial, 0, epsilon, activation);

    /// <summary>Either forward pass; the running statistics are written only by <see cref="Phase.ForwardTraining"/>, whose caller passed them writable.</summary>
    private static void Forward(
        Phase phase, ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVar,
        Span<T> y, Span<T> preActivation, Span<T> normalized, Span<T> inverseStd,
        int batch, int channels, int spatial, double momentum, double epsilon, Activation activation)
    {
        var work = t_work ??= new BatchNormParts<T>();
        fixed (T* px = x, pg = gamma, pb = beta, pm = runningMean, pv = runningVar, py = y, pp = preActivation, pn = normalized, ps = inverseStd)
        {
            work._x = new Pinned(px, x.Length);
            work._gamma = new Pinned(pg, gamma.Length);
            work._beta = new Pinned(pb, beta.Length);
            work._runningMean = new Pinned(pm, runningMean.Length);
            work._runningVar = new Pinned(pv, runningVar.Length);
            work._y = new Pinned(py, y.Length);
            work._preActivation = new Pinned(pp, preActivation.Length);
            work._normalized = new Pinned(pn, normalized.Length);
            work._inverseStd = new Pinned(ps, inverseStd.Length);
            (work._momentum, work._epsilon, work._activation) = (momentum, epsilon, activation);
            work.Run(phase, batch, channels, spatial);
        }
    }

    /// <summary><see cref="BatchNorm.Backward{T}"/> over the pool, up to a row-wise producer's Jacobian.</summary>
    public static void Backward(
        ReadOnlySpan<T> dz, ReadOnlySpan<T> normalized, ReadOnlySpan<T> inverseStd, ReadOnlySpan<T> gamma,
        Span<T> gammaGradient, Span<T> betaGradient, Span<T> dx,
        int batch, int channels, int spatial, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate)
    {
        var work = t_work ??= new BatchNormParts<T>();
        fixed (T* pdz = dz, pn = normalized, ps = inverseStd, pg = gamma, pgg = gammaGradient, pbg = betaGradient, pdx = dx, psaved = previousSaved)
        {
            work._dz = new Pinned(pdz, dz.Length);
            work._normalized = new Pinned(pn, normalized.Length);
            work._inverseStd = new Pinned(ps, inverseStd.Length);
            work._gamma = new Pinned(pg, gamma.Length);
            work._gammaGradient = new Pinned(pgg, gammaGradient.Length);
            work._betaGradient = new Pinned(pbg, betaGradient.Length);
            work._dx = new Pinned(pdx, dx.Length);
            work._saved = new Pinned(psaved, previousSaved.Length);
            (work._activation, work._accumulate) = (previousActivation, accumulate);
            work.Run(Phase.Backward, batch, channels, spatial);
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int partCount)
    {
        var (first, end) = StepParallel.Range(_channels, part, partCount);
        switch (_phase)
        {
            case Phase.ForwardTraining:
                BatchNorm.ForwardTrainingChannels<T>(_x.Span, _gamma.Span, _beta.Span, _runningMean.Span, _runningVar.Span, _y.Span, _preActivation.Span, _normalized.Span, _inverseStd.Span, _batch, _channels, _spatial, _momentum, _epsilon, _activation, first, end);
                break;
            case Phase.ForwardInference:
                BatchNorm.ForwardInferenceChannels<T>(_x.Span, _gamma.Span, _beta.Span, _runningMean.Span, _runningVar.Span, _y.Span, _preActivation.Span, _batch, _channels, _spatial, _epsilon, _activation, first, end);
                break;
            case Phase.Backward:
                BatchNorm.BackwardChannels<T>(_dz.Span, _normalized.Span, _inverseStd.Span, _gamma.Span, _gammaGradient.Span, _betaGradient.Span, _dx.Span, _batch, _channels, _spatial, _activation, _saved.Span, _accumulate, first, end);
                break;
        }
    }

    private void Run(Phase phase, int batch, int channels, int spatial)
    {
        (_phase, _batch, _channels, _spatial) = (phase, batch, channels, spatial);
        try
        {
            StepParallel.Run(this, StepParallel.Parts(channels, (long)batch * spatial));
        }
        finally
        {
            // Forget the pointers, which were pinned only for the pass.
            _x = _gamma = _beta = _runningMean = _runningVar = _y = _preActivation = _normalized = _inverseStd = default;
            _dz = _gammaGradient = _betaGradient = _dx = _saved = default;
        }
    }

    /// <summary>A pinned span's start and length, so a part can rebuild it.</summary>
    private readonly struct Pinned(T* pointer, int length)
    {
        private readonly T* _pointer = pointer;
        private readonly int _length = length;

        public Span<T> Span => new(_pointer, _length);
    }
}
