using System;
using System.Threading;

namespace NetGen;

/// <summary>
/// Detects a second thread entering a network instance while another is inside it. Networks keep
/// their activations in per-instance buffers, so two threads training or evaluating one instance
/// overwrite each other's values and return wrong losses without any error; this turns that into
/// an <see cref="InvalidOperationException"/>. Generated code opens one around each
/// <c>Forward</c>, <c>Evaluate</c> and <c>TrainStep</c>:
/// <code>using var use = ExclusiveUse.Enter(ref _inUse, "MnistMlp");</code>
/// It costs one compare-exchange per call and allocates nothing.
/// </summary>
public ref struct ExclusiveUse
{
    private ref int _inUse;

    private ExclusiveUse(ref int inUse) => _inUse = ref inUse;

    /// <summary>
    /// Marks the instance whose flag is <paramref name="inUse"/> (0 when free) as in use until
    /// <see cref="Dispose"/>; <paramref name="network"/> names it in the exception.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another call on the same instance has not returned yet.</exception>
    public static ExclusiveUse Enter(ref int inUse, string network)
    {
        if (Interlocked.CompareExchange(ref inUse, 1, 0) != 0)
        {
            throw new InvalidOperationException(
                $"{network} is already in use by another thread: a network instance is not thread-safe. Use one instance per thread, or lock around its calls.");
        }

        return new ExclusiveUse(ref inUse);
    }

    /// <summary>Frees the instance for the next call.</summary>
    public readonly void Dispose() => Volatile.Write(ref _inUse, 0);
}
