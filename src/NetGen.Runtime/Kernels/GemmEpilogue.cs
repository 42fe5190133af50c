using System;

namespace NetGen.Kernels;

/// <summary>
/// Work fused into the last write of each output tile of <see cref="Gemm"/>, while the tile is in
/// cache: bias, then activation (the forward epilogue), or a multiply by an activation's
/// derivative (the backward epilogue that turns <c>dy</c> into <c>dz</c>).
/// </summary>
public readonly ref struct GemmEpilogue<T>
    where T : unmanaged
{
    /// <summary>Added to every element of row <c>i</c> (length m; a convolution's per-channel bias). Empty for none.</summary>
    public ReadOnlySpan<T> RowBias { get; init; }

    /// <summary>Added to every element of column <c>j</c> (length n; a dense layer's bias). Empty for none.</summary>
    public ReadOnlySpan<T> ColumnBias { get; init; }

    /// <summary>Applied after the bias. Must be elementwise (not Softmax).</summary>
    public Activation Activation { get; init; }

    /// <summary>When not None, each element is multiplied by this activation's derivative at <see cref="DerivativeSaved"/>.</summary>
    public Activation DerivativeOf { get; init; }

    /// <summary>
    /// The saved tensor the derivative reads (shape m × n, same layout as C): the activation's
    /// output, or its pre-activation for GELU.
    /// </summary>
    public ReadOnlySpan<T> DerivativeSaved { get; init; }

    /// <summary>Whether the epilogue does anything.</summary>
    public bool IsEmpty => RowBias.IsEmpty && ColumnBias.IsEmpty && Activation == Activation.None && DerivativeOf == Activation.None;
}
