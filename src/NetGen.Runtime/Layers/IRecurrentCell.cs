using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The numerics of one recurrent cell at one step for one sample, which the time loop of
/// <see cref="RecurrentLayer"/> drives (a struct, so the loop is specialised per cell and nothing is
/// boxed). Spans are one sample's rows: <c>gates [Gates·hidden]</c>, states <c>[hidden]</c>; a previous
/// state is empty at the first step (the zero initial state).
/// </summary>
internal interface IRecurrentCell<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Gates stacked in the weights: 1, 3 or 4.</summary>
    int Gates { get; }

    /// <summary>Whether the cell keeps a second state per step (LSTM's cell state, GRU's recurrent candidate term).</summary>
    bool HasExtraState { get; }

    /// <summary>Whether backward carries a second gradient from step to step (LSTM's <c>dc</c>).</summary>
    bool CarriesExtraGradient { get; }

    /// <summary>
    /// <paramref name="gates"/> holds the input projection (with <c>b_ih</c>) and becomes what backward
    /// reads; <paramref name="recurrent"/> is <c>h_{t−1}·W_hhᵀ</c> (zero at the first step).
    /// </summary>
    void Forward(Span<T> gates, ReadOnlySpan<T> recurrent, ReadOnlySpan<T> biasHh, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> previousExtra, Span<T> hidden, Span<T> extra);

    /// <summary>
    /// <paramref name="dh"/> holds the whole gradient of <c>h_t</c> and is left holding the part of
    /// <c>dh_{t−1}</c> that does not pass through <c>W_hh</c> (GRU's <c>dh·z</c>, zero for the others);
    /// <paramref name="gates"/> becomes the gradient of the input-side pre-activations,
    /// <paramref name="recurrent"/> that of the recurrent side; <paramref name="dExtra"/> is the carried
    /// second gradient, updated in place.
    /// </summary>
    void Backward(Span<T> gates, Span<T> recurrent, Span<T> dh, Span<T> dExtra, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> hidden, ReadOnlySpan<T> previousExtra, ReadOnlySpan<T> extra);
}
