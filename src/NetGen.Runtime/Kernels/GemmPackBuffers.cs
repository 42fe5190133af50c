using System;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// One thread's packing buffers for the float GEMM, allocated on first use and reused by every later
/// call on that thread. They are pinned arrays (never moved, freed with the thread), so their
/// 64-byte-aligned pointers stay valid without <c>fixed</c>.
/// </summary>
internal sealed unsafe class GemmPackBuffers
{
    private const int AlignmentFloats = 16;

    [ThreadStatic]
    private static GemmPackBuffers? t_current;

    private readonly float[] _a;
    private readonly float[] _b;

    private GemmPackBuffers(int aFloats, int bFloats)
    {
        _a = GC.AllocateUninitializedArray<float>(aFloats + AlignmentFloats, pinned: true);
        _b = GC.AllocateUninitializedArray<float>(bFloats + AlignmentFloats, pinned: true);
        A = Align(_a);
        B = Align(_b);
        ACapacity = aFloats;
        BCapacity = bFloats;
    }

    /// <summary>The packed block of A (MC × KC).</summary>
    public float* A { get; }

    /// <summary>The packed block of B (KC × NC).</summary>
    public float* B { get; }

    private int ACapacity { get; }

    private int BCapacity { get; }

    /// <summary>This thread's buffers, grown (once) when a block needs more than they hold.</summary>
    public static GemmPackBuffers ForCurrentThread(int aFloats, int bFloats)
    {
        var current = t_current;
        if (current is null || current.ACapacity < aFloats || current.BCapacity < bFloats)
        {
            current = new GemmPackBuffers(Math.Max(aFloats, current?.ACapacity ?? 0), Math.Max(bFloats, current?.BCapacity ?? 0));
            t_current = current;
        }

        return current;
    }

    private static float* Align(float[] array)
    {
        var address = (nuint)Unsafe.AsPointer(ref array[0]);
        return (float*)((address + (AlignmentFloats * sizeof(float)) - 1) & ~(nuint)((AlignmentFloats * sizeof(float)) - 1));
    }
}
