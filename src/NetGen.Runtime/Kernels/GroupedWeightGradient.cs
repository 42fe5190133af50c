using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels.Threading;

namespace NetGen.Kernels;

/// <summary>
/// A Dense layer's weight gradient <c>dW[u, i] = Σ_s dz[s, u] · x[s, i]</c> summed the way
/// <see cref="SampleGroups"/> prescribes (each group's samples in order by fused multiply-adds from
/// zero, the groups' partials added pairwise bottom-up) without a partial copy of dW per group: a
/// register tile of dW runs through the groups one after another, and the pairwise tree is kept as a
/// binary counter, one pending partial per level (at most log2(groups) + 1 tiles, on the stack).
/// Group <c>g</c>'s partial meets the pending ones of the levels of <c>g</c>'s trailing one bits and
/// waits on the next level: exactly the tree's 0+1, 2+3, then 0+2, …. The last group's partial meets
/// every pending level, from the lowest up, which is how that tree ends on a count that is not a power
/// of two, and goes to dW straight from the registers (see <see cref="Folded"/>).
/// The bias gradient <c>db[u] = Σ_s dz[s, u]</c>, the weight gradient of an input that is always 1,
/// is summed the same way by the part that owns row <c>u</c> of dW, in the same pool run: a separate
/// pass after it ran on the calling thread alone while the worker waited, and wrote a partial row per
/// group to scratch before adding them (not timed apart: too small to see on the loaded machine).
/// The rows of dW and db are split between the parts, so every element is computed by one thread in the
/// same order whatever the number of parts, and a shard holding a power-of-two number of whole groups
/// yields a subtree of the whole batch's tree.
/// </summary>
internal sealed unsafe class GroupedWeightGradient<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// dW rows and columns of the wide AVX-512 float tile: 16 zmm accumulators, 4 loads of x and 4 broadcasts of dz
    /// a sample. Used while its strip of x (batch × 64 columns) fits in L1 with room to spare.
    /// </summary>
    private const int WideTileRows = 4, WideTileColumns = 64;

    /// <summary>
    /// dW rows and columns of the tall tile: 16 accumulators again, 2 loads of x and 8 broadcasts a sample, so half
    /// the x a multiply-add. Past <see cref="WideTileMaxBatch"/> each tile reads its strip of x from L2, and halving
    /// that traffic pays (the MLP's 784 → 128 at batch 256, one core, CPU time: 390-442 µs against 422-479 with wide
    /// tiles). Below it the wide tile writes dW in longer runs per row, which is what bounds a layer as wide as
    /// Chollet's fc1 at batch 32 (6272 → 512: 1.92 ms wide, 2.26 ms tall).
    /// </summary>
    private const int TallTileRows = 8, TallTileColumns = 32, Lanes = 16;

    /// <summary>The largest batch run in wide tiles: its 64-column strip of x is 16 KiB, half of L1.</summary>
    private const int WideTileMaxBatch = 64;

    /// <summary>Rows of dW that share one pass over x (see <see cref="Execute"/>).</summary>
    private const int PanelRows = 32;

    /// <summary>
    /// Multiply-adds one core does in the time it streams <see cref="StepParallel.MinElementsPerPart"/>
    /// elements through a memory-bound kernel: 16-lane FMAs in registers cost about that much less.
    /// </summary>
    private const int MultiplyAddsPerElement = 16;

    [ThreadStatic]
    private static GroupedWeightGradient<T>? t_work;

    private T* _dz, _x, _weightGradient, _biasGradient;
    private int _batch, _inputs, _units;
    private bool _accumulate;

    /// <summary>
    /// Writes (or with <paramref name="accumulate"/> adds) the grouped <c>dzᵀ · x</c> to
    /// <paramref name="weightGradient"/> <c>[units, inputs]</c> and the grouped <c>Σ_s dz</c> to
    /// <paramref name="biasGradient"/> <c>[units]</c>, from <paramref name="dz"/> <c>[batch, units]</c>
    /// and <paramref name="x"/> <c>[batch, inputs]</c>, on up to <see cref="Gemm.MaxThreads"/> parts.
    /// Either gradient may be empty (a layer without bias), and is then left out.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape, or the batch is not positive.</exception>
    public static void Compute(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, Span<T> weightGradient, Span<T> biasGradient, int batch, int inputs, int units, bool accumulate)
    {
        // The tiles read through pointers: a short span must fail here, not read past its end.
        WindowGeometry.CheckLength(dz.Length, batch, units, nameof(dz));
        WindowGeometry.CheckLength(x.Length, batch, inputs, nameof(x));
        if (!weightGradient.IsEmpty)
        {
            WindowGeometry.CheckLength(weightGradient.Length, units, inputs, nameof(weightGradient));
        }

        if (!biasGradient.IsEmpty)
        {
            WindowGeometry.CheckLength(biasGradient.Length, 1, units, nameof(biasGradient));
        }

        var work = t_work ??= new GroupedWeightGradient<T>();
        fixed (T* pdz = dz, px = x, pw = weightGradient, pb = biasGradient)
        {
            work._dz = pdz;
            work._x = px;
            work._weightGradient = pw;
            work._biasGradient = pb;
            (work._batch, work._inputs, work._units, work._accumulate) = (batch, inputs, units, accumulate);
            try
            {
                var multiplyAddsPerUnit = (weightGradient.IsEmpty ? 1L : inputs + 1L) * batch;
                StepParallel.Run(work, StepParallel.Parts(units, multiplyAddsPerUnit / MultiplyAddsPerElement));
            }
            finally
            {
                work._dz = work._x = work._weightGradient = work._biasGradient = null;
            }
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int partCount)
    {
        var (start, end) = StepParallel.Range(_units, part, partCount, TallTileRows);
        var levels = Levels(SampleGroups.Count(_batch));
        var vectorized = typeof(T) == typeof(float) && Avx512F.IsSupported;
        if (_weightGradient != null)
        {
            if (vectorized)
            {
                WeightTiles(start, end, levels);
            }
            else
            {
                Elements(start, end, 0, levels);
            }
        }

        if (_biasGradient != null)
        {
            if (vectorized)
            {
                BiasVectors(start, end, levels);
            }
            else
            {
                BiasElements(start, end, levels);
            }
        }
    }

    /// <summary>dW rows <c>[start, end)</c> in AVX-512 float tiles, the columns past the last full vector one element at a time.</summary>
    private void WeightTiles(int start, int end, int levels)
    {
        var stack = stackalloc float[levels * TallTileRows * TallTileColumns];
        var dz = (float*)_dz;
        var x = (float*)_x;
        var dw = (float*)_weightGradient;

        // Panels of rows, then strips of columns, then the panel's rows: the strip of x (the batch ×
        // the tile's columns) stays in L1 while the panel's rows pass over it (while it fits), and a
        // panel's rows of dW are written left to right, few pages at a time. Rows outside everything would
        // stream all of x per tile of rows; columns outside everything would write a tile in every row's page.
        var wide = _batch <= WideTileMaxBatch;
        int tileRows = wide ? WideTileRows : TallTileRows, tileColumns = wide ? WideTileColumns : TallTileColumns;
        var column = 0;
        for (var panel = start; panel < end; panel += PanelRows)
        {
            var panelEnd = Math.Min(panel + PanelRows, end);
            for (column = 0; column + tileColumns <= _inputs; column += tileColumns)
            {
                var row = panel;
                for (; row + tileRows <= panelEnd; row += tileRows)
                {
                    if (wide)
                    {
                        Tile4x64(dz + row, x + column, dw + ((nint)row * _inputs) + column, stack);
                    }
                    else
                    {
                        Tile8x32(dz + row, x + column, dw + ((nint)row * _inputs) + column, stack);
                    }
                }

                for (; row < panelEnd; row++)
                {
                    for (var v = column; v < column + tileColumns; v += Lanes)
                    {
                        Row16(dz + row, x + v, dw + ((nint)row * _inputs) + v, stack);
                    }
                }
            }
        }

        for (; column + Lanes <= _inputs; column += Lanes)
        {
            var row = start;
            for (; row + TallTileRows <= end; row += TallTileRows)
            {
                Tile8x16(dz + row, x + column, dw + ((nint)row * _inputs) + column, stack);
            }

            for (; row < end; row++)
            {
                Row16(dz + row, x + column, dw + ((nint)row * _inputs) + column, stack);
            }
        }

        Elements(start, end, column, levels);
    }

    /// <summary>
    /// db rows <c>[start, end)</c>, 16 at a time (the last vector masked to the rows left): each group's
    /// partial added from zero sample by sample, then folded into the pending levels as dW's tiles are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BiasVectors(int start, int end, int levels)
    {
        var groups = SampleGroups.Count(_batch);
        var stack = stackalloc float[levels * Lanes];
        var dz = (float*)_dz;
        var db = (float*)_biasGradient;
        for (var u = start; u < end; u += Lanes)
        {
            var lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(end - u)).AsSingle();
            for (var group = 0; group < groups; group++)
            {
                var (first, samples) = SampleGroups.Samples(group, _batch);
                var c = Vector512<float>.Zero;
                for (var s = first; s < first + samples; s++)
                {
                    c += Avx512F.MaskLoad(dz + ((nint)s * _units) + u, lanes, default);
                }

                for (var fold = Folded(group, groups); fold != 0; fold &= fold - 1)
                {
                    c += Vector512.Load(stack + (BitOperations.TrailingZeroCount(fold) * Lanes));
                }

                if (group < groups - 1)
                {
                    c.Store(stack + (Waiting(group) * Lanes));
                    continue;
                }

                if (_accumulate)
                {
                    c = Avx512F.MaskLoad(db + u, lanes, default) + c;
                }

                Avx512F.MaskStore(db + u, lanes, c);
            }
        }
    }

    /// <summary>db rows <c>[start, end)</c> one at a time: the double path, and floats without AVX-512.</summary>
    private void BiasElements(int start, int end, int levels)
    {
        var groups = SampleGroups.Count(_batch);
        Span<T> pending = stackalloc T[levels];
        for (var u = start; u < end; u++)
        {
            for (var group = 0; group < groups; group++)
            {
                var (first, samples) = SampleGroups.Samples(group, _batch);
                var sum = T.Zero;
                for (var s = first; s < first + samples; s++)
                {
                    sum += _dz[((nint)s * _units) + u];
                }

                for (var fold = Folded(group, groups); fold != 0; fold &= fold - 1)
                {
                    sum = pending[BitOperations.TrailingZeroCount(fold)] + sum;
                }

                if (group < groups - 1)
                {
                    pending[Waiting(group)] = sum;
                    continue;
                }

                ref var target = ref _biasGradient[u];
                target = _accumulate ? target + sum : sum;
            }
        }
    }

    /// <summary>Pending partials the counter may hold for <paramref name="groups"/> groups: the bit length of the count.</summary>
    private static int Levels(int groups) => 32 - BitOperations.LeadingZeroCount((uint)groups);

    /// <summary>
    /// dW rows <c>[rowStart, rowEnd)</c>, columns from <paramref name="columnStart"/> to the end, one
    /// element at a time: the double path, and the float columns past the last full vector.
    /// </summary>
    private void Elements(int rowStart, int rowEnd, int columnStart, int levels)
    {
        var groups = SampleGroups.Count(_batch);
        Span<T> pending = stackalloc T[levels];
        for (var u = rowStart; u < rowEnd; u++)
        {
            for (var i = columnStart; i < _inputs; i++)
            {
                for (var group = 0; group < groups; group++)
                {
                    var (first, samples) = SampleGroups.Samples(group, _batch);
                    var sum = T.Zero;
                    for (var s = first; s < first + samples; s++)
                    {
                        sum = T.FusedMultiplyAdd(_dz[((nint)s * _units) + u], _x[((nint)s * _inputs) + i], sum);
                    }

                    for (var fold = Folded(group, groups); fold != 0; fold &= fold - 1)
                    {
                        sum = pending[BitOperations.TrailingZeroCount(fold)] + sum;
                    }

                    if (group < groups - 1)
                    {
                        pending[Waiting(group)] = sum;
                        continue;
                    }

                    ref var target = ref _weightGradient[((nint)u * _inputs) + i];
                    target = _accumulate ? target + sum : sum;
                }
            }
        }
    }

    /// <summary>A 4 × 64 tile of dW at <paramref name="dw"/>, from dz's 4 columns at <paramref name="dz"/> and x's 64 at <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tile4x64(float* dz, float* x, float* dw, float* stack)
    {
        const int tile = WideTileRows * WideTileColumns;
        var groups = SampleGroups.Count(_batch);

        // dW's tile is touched once, at the end: ask for its lines now so they arrive during the products.
        for (var r = 0; r < WideTileRows; r++)
        {
            for (var v = 0; v < WideTileColumns; v += Lanes)
            {
                Sse.Prefetch0(dw + ((nint)r * _inputs) + v);
            }
        }

        for (var group = 0; group < groups; group++)
        {
            var (first, samples) = SampleGroups.Samples(group, _batch);
            Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
            Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
            for (var s = first; s < first + samples; s++)
            {
                var xs = x + ((nint)s * _inputs);
                var b0 = Vector512.Load(xs);
                var b1 = Vector512.Load(xs + Lanes);
                var b2 = Vector512.Load(xs + (2 * Lanes));
                var b3 = Vector512.Load(xs + (3 * Lanes));
                var ds = dz + ((nint)s * _units);
                var a = Vector512.Create(ds[0]);
                c00 = Avx512F.FusedMultiplyAdd(a, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(a, b1, c01);
                c02 = Avx512F.FusedMultiplyAdd(a, b2, c02);
                c03 = Avx512F.FusedMultiplyAdd(a, b3, c03);
                a = Vector512.Create(ds[1]);
                c10 = Avx512F.FusedMultiplyAdd(a, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(a, b1, c11);
                c12 = Avx512F.FusedMultiplyAdd(a, b2, c12);
                c13 = Avx512F.FusedMultiplyAdd(a, b3, c13);
                a = Vector512.Create(ds[2]);
                c20 = Avx512F.FusedMultiplyAdd(a, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(a, b1, c21);
                c22 = Avx512F.FusedMultiplyAdd(a, b2, c22);
                c23 = Avx512F.FusedMultiplyAdd(a, b3, c23);
                a = Vector512.Create(ds[3]);
                c30 = Avx512F.FusedMultiplyAdd(a, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(a, b1, c31);
                c32 = Avx512F.FusedMultiplyAdd(a, b2, c32);
                c33 = Avx512F.FusedMultiplyAdd(a, b3, c33);
            }

            for (var fold = Folded(group, groups); fold != 0; fold &= fold - 1)
            {
                var p = stack + (BitOperations.TrailingZeroCount(fold) * tile);
                c00 += Vector512.Load(p);
                c01 += Vector512.Load(p + Lanes);
                c02 += Vector512.Load(p + (2 * Lanes));
                c03 += Vector512.Load(p + (3 * Lanes));
                c10 += Vector512.Load(p + (4 * Lanes));
                c11 += Vector512.Load(p + (5 * Lanes));
                c12 += Vector512.Load(p + (6 * Lanes));
                c13 += Vector512.Load(p + (7 * Lanes));
                c20 += Vector512.Load(p + (8 * Lanes));
                c21 += Vector512.Load(p + (9 * Lanes));
                c22 += Vector512.Load(p + (10 * Lanes));
                c23 += Vector512.Load(p + (11 * Lanes));
                c30 += Vector512.Load(p + (12 * Lanes));
                c31 += Vector512.Load(p + (13 * Lanes));
                c32 += Vector512.Load(p + (14 * Lanes));
                c33 += Vector512.Load(p + (15 * Lanes));
            }

            if (group == groups - 1)
            {
                Store(dw, c00, c01, c02, c03);
                Store(dw + _inputs, c10, c11, c12, c13);
                Store(dw + (2 * _inputs), c20, c21, c22, c23);
                Store(dw + (3 * _inputs), c30, c31, c32, c33);
                return;
            }

            var q = stack + (Waiting(group) * tile);
            c00.Store(q);
            c01.Store(q + Lanes);
            c02.Store(q + (2 * Lanes));
            c03.Store(q + (3 * Lanes));
            c10.Store(q + (4 * Lanes));
            c11.Store(q + (5 * Lanes));
            c12.Store(q + (6 * Lanes));
            c13.Store(q + (7 * Lanes));
            c20.Store(q + (8 * Lanes));
            c21.Store(q + (9 * Lanes));
            c22.Store(q + (10 * Lanes));
            c23.Store(q + (11 * Lanes));
            c30.Store(q + (12 * Lanes));
            c31.Store(q + (13 * Lanes));
            c32.Store(q + (14 * Lanes));
            c33.Store(q + (15 * Lanes));
        }
    }

    /// <summary>An 8 × 32 tile of dW at <paramref name="dw"/>, from dz's 8 columns at <paramref name="dz"/> and x's 32 at <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tile8x32(float* dz, float* x, float* dw, float* stack)
    {
        const int tile = TallTileRows * TallTileColumns;
        var groups = SampleGroups.Count(_batch);

        // dW's tile is touched once, at the end: ask for its lines now so they arrive during the products.
        for (var r = 0; r < TallTileRows; r++)
        {
            Sse.Prefetch0(dw + ((nint)r * _inputs));
            Sse.Prefetch0(dw + ((nint)r * _inputs) + Lanes);
        }

        for (var group = 0; group < groups; group++)
        {
            var (first, samples) = SampleGroups.Samples(group, _batch);
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
            for (var s = first; s < first + samples; s++)
            {
                var xs = x + ((nint)s * _inputs);
                var b0 = Vector512.Load(xs);
                var b1 = Vector512.Load(xs + Lanes);
                var ds = dz + ((nint)s * _units);
                var a = Vector512.Create(ds[0]);
                c00 = Avx512F.FusedMultiplyAdd(a, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(a, b1, c01);
                a = Vector512.Create(ds[1]);
                c10 = Avx512F.FusedMultiplyAdd(a, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(a, b1, c11);
                a = Vector512.Create(ds[2]);
                c20 = Avx512F.FusedMultiplyAdd(a, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(a, b1, c21);
                a = Vector512.Create(ds[3]);
                c30 = Avx512F.FusedMultiplyAdd(a, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(a, b1, c31);
                a = Vector512.Create(ds[4]);
                c40 = Avx512F.FusedMultiplyAdd(a, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(a, b1, c41);
                a = Vector512.Create(ds[5]);
                c50 = Avx512F.FusedMultiplyAdd(a, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(a, b1, c51);
                a = Vector512.Create(ds[6]);
                c60 = Avx512F.FusedMultiplyAdd(a, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(a, b1, c61);
                a = Vector512.Create(ds[7]);
                c70 = Avx512F.FusedMultiplyAdd(a, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(a, b1, c71);
            }

            for (var fold = Folded(group, groups); fold != 0; fold &= fold - 1)
            {
                var p = stack + (BitOperations.TrailingZeroCount(fold) * tile);
                c00 += Vector512.Load(p);
                c01 += Vector512.Load(p + Lanes);
                c10 += Vector512.Load(p + (2 * Lanes));
                c11 += Vector512.Load(p + (3 * Lanes));
                c20 += Vector512.Load(p + (4 * Lanes));
                c21 += Vector512.Load(p + (5 * Lanes));
                c30 += Vector512.Load(p + (6 * Lanes));
                c31 += Vector512.Load(p + (7 * Lanes));
                c40 += Vector512.Load(p + (8 * Lanes));
                c41 += Vector512.Load(p + (9 * Lanes));
                c50 += Vector512.Load(p + (10 * Lanes));
                c51 += Vector512.Load(p + (11 * Lanes));
                c60 += Vector512.Load(p + (12 * Lanes));
                c61 += Vector512.Load(p + (13 * Lanes));
                c70 += Vector512.Load(p + (14 * Lanes));
                c71 += Vector512.Load(p + (15 * Lanes));
            }

            if (group == groups - 1)
            {
                Store(dw, c00, c01);
                Store(dw + _inputs, c10, c11);
                Store(dw + (2 * _inputs), c20, c21);
                Store(dw + (3 * _inputs), c30, c31);
                Store(dw + (4 * _inputs), c40, c41);
                Store(dw + (5 * _inputs), c50, c51);
                Store(dw + (6 * _inputs), c60, c61);
                Store(dw + (7 * _inputs), c70, c71);
                return;
            }

            var q = stack + (Waiting(group) * tile);
            c00.Store(q);
            c01.Store(q + Lanes);
            c10.Store(q + (2 * Lanes));
            c11.Store(q + (3 * Lanes));
            c20.Store(q + (4 * Lanes));
            c21.Store(q + (5 * Lanes));
            c30.Store(q + (6 * Lanes));
            c31.Store(q + (7 * Lanes));
            c40.Store(q + (8 * Lanes));
            c41.Store(q + (9 * Lanes));
            c50.Store(q + (10 * Lanes));
            c51.Store(q + (11 * Lanes));
            c60.Store(q + (12 * Lanes));
            c61.Store(q + (13 * Lanes));
            c70.Store(q + (14 * Lanes));
            c71.Store(q + (15 * Lanes));
        }
    }

    private void Store(float* dw, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        Store(dw, v0);
        Store(dw + Lanes, v1);
        Store(dw + (2 * Lanes), v2);
        Store(dw + (3 * Lanes), v3);
    }

    private void Store(float* dw, Vector512<float> v0, Vector512<float> v1)
    {
        Store(dw, v0);
        Store(dw + Lanes, v1);
    }

    /// <summary>
    /// An 8 × 16 tile of dW at <paramref name="dw"/>, for the columns past the last full tile: eight rows
    /// keep eight independent chains of multiply-adds in flight, where one row at a time (<see cref="Row16"/>)
    /// waits out each multiply-add's latency (the MLP's 784 inputs end on 16 such columns).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Tile8x16(float* dz, float* x, float* dw, float* stack)
    {
        const int tile = TallTileRows * Lanes;
        var groups = SampleGroups.Count(_batch);
        for (var group = 0; group < groups; group++)
        {
            var (first, samples) = SampleGroups.Samples(group, _batch);
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (var s = first; s < first + samples; s++)
            {
                var b = Vector512.Load(x + ((nint)s * _inputs));
                var ds = dz + ((nint)s * _units);
                c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(ds[0]), b, c0);
                c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(ds[1]), b, c1);
                c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(ds[2]), b, c2);
                c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(ds[3]), b, c3);
                c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(ds[4]), b, c4);
                c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(ds[5]), b, c5);
                c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(ds[6]), b, c6);
                c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(ds[7]), b, c7);
            }

            for (var fold = Folded(group, groups); fold != 0; fold &= fold - 1)
            {
                var p = stack + (BitOperations.TrailingZeroCount(fold) * tile);
                c0 += Vector512.Load(p);
                c1 += Vector512.Load(p + Lanes);
                c2 += Vector512.Load(p + (2 * Lanes));
                c3 += Vector512.Load(p + (3 * Lanes));
                c4 += Vector512.Load(p + (4 * Lanes));
                c5 += Vector512.Load(p + (5 * Lanes));
                c6 += Vector512.Load(p + (6 * Lanes));
                c7 += Vector512.Load(p + (7 * Lanes));
            }

            if (group == groups - 1)
            {
                Store(dw, c0);
                Store(dw + _inputs, c1);
                Store(dw + (2 * _inputs), c2);
                Store(dw + (3 * _inputs), c3);
                Store(dw + (4 * _inputs), c4);
                Store(dw + (5 * _inputs), c5);
                Store(dw + (6 * _inputs), c6);
                Store(dw + (7 * _inputs), c7);
                return;
            }

            var q = stack + (Waiting(group) * tile);
            c0.Store(q);
            c1.Store(q + Lanes);
            c2.Store(q + (2 * Lanes));
            c3.Store(q + (3 * Lanes));
            c4.Store(q + (4 * Lanes));
            c5.Store(q + (5 * Lanes));
            c6.Store(q + (6 * Lanes));
            c7.Store(q + (7 * Lanes));
        }
    }

    /// <summary>One row by 16 columns of dW: a row past the last full 8-row tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Row16(float* dz, float* x, float* dw, float* stack)
    {
        var groups = SampleGroups.Count(_batch);
        for (var group = 0; group < groups; group++)
        {
            var (first, samples) = SampleGroups.Samples(group, _batch);
            var c = Vector512<float>.Zero;
            for (var s = first; s < first + samples; s++)
            {
                c = Avx512F.FusedMultiplyAdd(Vector512.Create(dz[(nint)s * _units]), Vector512.Load(x + ((nint)s * _inputs)), c);
            }

            for (var fold = Folded(group, groups); fold != 0; fold &= fold - 1)
            {
                c += Vector512.Load(stack + (BitOperations.TrailingZeroCount(fold) * Lanes));
            }

            if (group == groups - 1)
            {
                Store(dw, c);
                return;
            }

            c.Store(stack + (Waiting(group) * Lanes));
        }
    }

    /// <summary>
    /// The pending levels group <paramref name="group"/>'s partial meets, as a bit mask, lowest first:
    /// the trailing one bits of the group number (the subtrees it completes), and for the last group
    /// every pending level (all of its one bits, as the trailing ones end on a zero at its own level).
    /// </summary>
    private static int Folded(int group, int groups) => group == groups - 1 ? group : (group ^ (group + 1)) >> 1;

    /// <summary>The level where group <paramref name="group"/>'s partial waits after <see cref="Folded"/>: its first zero bit.</summary>
    private static int Waiting(int group) => BitOperations.TrailingZeroCount(~group);

    private void Store(float* dw, Vector512<float> sum)
    {
        if (_accumulate)
        {
            sum = Vector512.Load(dw) + sum;
        }

        sum.Store(dw);
    }
}
