namespace NetGen.Kernels.Threading;

/// <summary>
/// Runs a training step's non-GEMM kernels (im2col/col2im, pooling, the optimizer update) on
/// <see cref="WorkerPool"/>, with at most <see cref="Gemm.MaxThreads"/> parts. Every user splits its
/// work so that each element is computed the same way by whichever part owns it, so results do not
/// depend on the number of parts or on whether the pool was free.
/// </summary>
internal static class StepParallel
{
    /// <summary>
    /// Elements (of a memory-bound loop) below which one more thread does not pay: waking a worker
    /// costs tens of microseconds, about what one core needs to stream 32K floats through a kernel.
    /// </summary>
    internal const long MinElementsPerPart = 1 << 15;

    /// <summary>Parts for <paramref name="items"/> independent items of <paramref name="elementsPerItem"/> elements each.</summary>
    public static int Parts(long items, long elementsPerItem)
    {
        var byWork = items * elementsPerItem / MinElementsPerPart;
        return (int)System.Math.Clamp(System.Math.Min(byWork, items), 1, Gemm.MaxThreads);
    }

    /// <summary>Runs parts <c>[0, parts)</c> on the pool, or one after another on the caller when the pool is busy or one part is all there is.</summary>
    public static void Run(IParallelWork work, int parts)
    {
        if (parts > 1 && WorkerPool.Shared.TryRun(work, parts))
        {
            return;
        }

        for (var part = 0; part < parts; part++)
        {
            work.Execute(part, parts);
        }
    }

    /// <summary>The items <c>[start, end)</c> of part <paramref name="part"/> when <paramref name="items"/> are cut into <paramref name="parts"/> contiguous runs.</summary>
    public static (int Start, int End) Range(int items, int part, int parts, int alignment = 1)
    {
        var blocks = (items + alignment - 1) / alignment;
        var start = (int)((long)blocks * part / parts) * alignment;
        var end = (int)((long)blocks * (part + 1) / parts) * alignment;
        return (System.Math.Min(start, items), System.Math.Min(end, items));
    }
}
