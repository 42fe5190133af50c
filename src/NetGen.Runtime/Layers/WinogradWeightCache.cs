using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// The Winograd weights <c>U</c> a thread last computed for its forward passes, each beside a bitwise
/// copy of the kernels it came from. A pass whose kernels are bit for bit that copy reuses its
/// <c>U</c> (inference and evaluation: the MNIST CNN's conv2 took 1.8 µs of a 17 µs batch-1 forward
/// transforming its weights); any other computes and keeps a new one. Whether the kernels changed is
/// decided by reading them, never by being told, so no way of changing weights (an optimizer step, a
/// checkpoint or ONNX load, a write through <see cref="INetwork.Parameters"/>, a GPU copy-back) can
/// leave a stale <c>U</c> behind; the comparison reads the kernels once, a tenth of transforming them.
/// </summary>
/// <typeparam name="T">The element type; each has its own entries.</typeparam>
internal static class WinogradWeightCache<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Entries a thread keeps: more Winograd layers than any network here has, so inference of one network never evicts its own.</summary>
    internal const int Capacity = 8;

    [ThreadStatic]
    private static Entry?[]? t_entries;

    [ThreadStatic]
    private static long t_uses;

    /// <summary>
    /// <c>U</c> of the kernels <paramref name="weight"/> <c>[outChannels, inChannels, 3, 3]</c>, packed as
    /// <see cref="WinogradTiles.TransformWeights{T}"/> packs it; valid until the calling thread's next call.
    /// </summary>
    public static ReadOnlySpan<T> Packed(ReadOnlySpan<T> weight, int outChannels, int inChannels)
    {
        var kernels = weight[..(outChannels * inChannels * 9)];
        var entries = t_entries ??= new Entry?[Capacity];
        var use = ++t_uses;
        var address = AddressOf(kernels);
        var packedLength = WinogradTiles.PackedLength(outChannels, inChannels);
        for (var e = 0; e < Capacity; e++)
        {
            var entry = entries[e];
            if (entry is not null && entry.OutChannels == outChannels && entry.InChannels == inChannels
                && MemoryMarshal.AsBytes(kernels).SequenceEqual(MemoryMarshal.AsBytes(entry.Kernels.AsSpan(0, kernels.Length))))
            {
                entry.LastUse = use;
                return entry.Packed.AsSpan(0, packedLength);
            }
        }

        var slot = Victim(entries, address);
        var target = entries[slot] ??= new Entry();
        target.Fill(kernels, outChannels, inChannels, packedLength, address, use);
        return target.Packed.AsSpan(0, packedLength);
    }

    /// <summary>
    /// The entry a miss overwrites: the one last filled from the same memory (the same layer, its weights
    /// changed: a training step keeps reusing its own entry and allocates nothing), else an empty one,
    /// else the least recently used.
    /// </summary>
    private static int Victim(Entry?[] entries, nint address)
    {
        var empty = -1;
        var oldest = 0;
        for (var e = 0; e < Capacity; e++)
        {
            var entry = entries[e];
            if (entry is null)
            {
                empty = empty < 0 ? e : empty;
                continue;
            }

            if (entry.Address == address)
            {
                return e;
            }

            if (entries[oldest] is { } previous && entry.LastUse < previous.LastUse)
            {
                oldest = e;
            }
        }

        return empty >= 0 ? empty : oldest;
    }

    // Only a hint for choosing which entry to overwrite: the kernels may move (then a miss just takes another entry).
    private static unsafe nint AddressOf(ReadOnlySpan<T> kernels) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(kernels));

    /// <summary>One layer's kernels and their <c>U</c>, in arrays that only grow.</summary>
    private sealed class Entry
    {
        public T[] Kernels { get; private set; } = [];

        public T[] Packed { get; private set; } = [];

        public int OutChannels { get; private set; }

        public int InChannels { get; private set; }

        public nint Address { get; private set; }

        public long LastUse { get; set; }

        public void Fill(ReadOnlySpan<T> kernels, int outChannels, int inChannels, int packedLength, nint address, long use)
        {
            if (Kernels.Length < kernels.Length)
            {
                Kernels = new T[kernels.Length];
            }

            if (Packed.Length < packedLength)
            {
                Packed = new T[packedLength];
            }

            // Marked empty while it changes, so a transform that throws leaves no entry claiming kernels it does not hold.
            (OutChannels, InChannels) = (0, 0);
            kernels.CopyTo(Kernels);
            WinogradTiles.Transform(kernels, outChannels, inChannels, flipped: false, Packed.AsSpan(0, packedLength));
            (OutChannels, InChannels, Address, LastUse) = (outChannels, inChannels, address, use);
        }
    }
}
