using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen.Optimizers;

/// <summary>
/// Loads and stores of one <see cref="Vector{T}"/> block. Each optimizer writes its formula once on
/// vectors and runs the leftover elements through the same formula as broadcast vectors, so the
/// tail gets exactly the same arithmetic as the body.
/// </summary>
/// <remarks>
/// PyTorch's CPU kernels fuse some multiply-adds (<c>x.add_(y, alpha=a)</c> is <c>vec::fmadd</c>) and
/// not others (<c>mul_</c>, <c>addcdiv_</c>); <see cref="AddScaled"/> marks the fused ones so the
/// roundings agree with PyTorch's.
/// </remarks>
internal static class Lanes
{
    public static int Width => Vector<float>.Count;

    public static Vector<float> Load(ReadOnlySpan<float> values, int index) =>
        Vector.LoadUnsafe(ref MemoryMarshal.GetReference(values), (nuint)index);

    /// <summary><c>x + alpha·y</c> rounded once, as PyTorch's <c>x.add(y, alpha=alpha)</c>.</summary>
    public static Vector<float> AddScaled(Vector<float> x, Vector<float> alpha, Vector<float> y) =>
        Vector.FusedMultiplyAdd(alpha, y, x);

    public static void Store(Vector<float> vector, Span<float> values, int index) =>
        vector.StoreUnsafe(ref MemoryMarshal.GetReference(values), (nuint)index);
}
