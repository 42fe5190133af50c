using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// <see cref="WinogradTiles"/> for float on AVX-512, in blocks that stay in cache. The batch's tiles
/// (sample by sample, row by row) are cut into chunks whose transformed inputs fit in half of L2; a
/// chunk's <c>V</c> is written straight into the layout the products read (per block of 48 tiles: for
/// each point and input channel, the 48 tiles' values side by side). Each product of 8 output channels
/// by 48 tiles runs all 16 points in a row (24 register accumulators over the input channels, stored
/// to a 24 KiB buffer that never leaves L1), and that register tile is transformed back, with bias, and
/// stored or pooled at once. Nothing of size <c>16 × channels × tiles</c> ever reaches memory. Chunks
/// are shared among the cores; a tile's value does not depend on its chunk, block or thread.
/// </summary>
internal sealed unsafe class WinogradTilesFloat : IParallelWork
{
    private const int Points = WinogradTiles.Points;
    private const int Rows = WinogradTiles.BlockRows;
    private const int Lanes = 16;

    /// <summary>Tiles per product: three vectors of 16, so 8 rows take 24 accumulators and leave room for the operands.</summary>
    private const int BlockTiles = 3 * Lanes;

    /// <summary>
    /// Tiles per product when the whole batch holds no more (one image through the MNIST CNN's conv2:
    /// 25 tiles): two vectors and 16 accumulators, where a block of 48 would multiply 23 columns of zeros.
    /// </summary>
    private const int NarrowBlockTiles = 2 * Lanes;

    /// <summary>Floats of transformed tiles a chunk may fill: 512 KiB, half of L2, the other half for the weights' row blocks.</summary>
    private const int ChunkBudget = 1 << 17;

    /// <summary>The products' register tile as transformed back from, one point after another: 24 KiB.</summary>
    private const int ProductsLength = Points * Rows * BlockTiles;

    /// <summary>Channels ahead of the one being transformed whose rows are prefetched (<see cref="PrefetchPlanes"/>).</summary>
    internal const int PrefetchChannels = 4;

    [ThreadStatic]
    private static WinogradTilesFloat? t_work;

    private float* _input, _pooledOutput, _weights, _bias, _output;
    private int* _argmax, _positions;
    private WindowGeometry _g;
    private int _outChannels, _tileColumns, _tiles, _total, _chunkTiles, _chunks, _blockTiles;
    private bool _pooled;

    /// <summary>
    /// See <see cref="WinogradTiles.Convolve{T}"/>, <see cref="WinogradTiles.ConvolvePooled{T}"/> and
    /// <see cref="WinogradTiles.ConvolvePooledGradient{T}"/>; <paramref name="packed"/> from
    /// <see cref="WinogradTiles.TransformWeights{T}"/>. When <paramref name="pooledOutput"/> is not empty,
    /// <paramref name="input"/> is a pooled gradient, <paramref name="pooledOutput"/> and
    /// <paramref name="argmax"/> the pooling's output and positions, and <paramref name="g"/> correlates
    /// the convolution gradient they stand for.
    /// </summary>
    public static void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> pooledOutput, ReadOnlySpan<int> argmax, int batch, in WindowGeometry g, int outChannels, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> output, Span<int> positions, bool pooled)
    {
        var (tileRows, tileColumns) = pooled ? (g.OutputHeight / 2, g.OutputWidth / 2) : ((g.OutputHeight + 1) / 2, (g.OutputWidth + 1) / 2);
        var total = batch * tileRows * tileColumns;
        if (total == 0)
        {
            return;
        }

        var blockTiles = BlockWidth(total);
        var chunkTiles = ChunkTiles(total, g.Channels, Gemm.MaxThreads);
        var work = t_work ??= new WinogradTilesFloat();
        fixed (float* x = input, pooledY = pooledOutput, u = packed, b = bias, y = output)
        fixed (int* p = positions, at = argmax)
        {
            work._input = x;
            work._pooledOutput = pooledOutput.IsEmpty ? null : pooledY;
            work._argmax = at;
            work._weights = u;
            work._bias = bias.IsEmpty ? null : b;
            work._output = y;
            work._positions = p;
            (work._g, work._outChannels, work._tileColumns, work._tiles, work._total, work._pooled) = (g, outChannels, tileColumns, tileRows * tileColumns, total, pooled);
            (work._chunkTiles, work._chunks, work._blockTiles) = (chunkTiles, (total + chunkTiles - 1) / chunkTiles, blockTiles);
            try
            {
                StepParallel.Run(work, StepParallel.Parts(work._chunks, (long)chunkTiles * Points * (g.Channels + outChannels)));
            }
            finally
            {
                work._input = work._pooledOutput = work._weights = work._bias = work._output = null;
                work._positions = work._argmax = null;
            }
        }
    }

    /// <summary>Tiles per product block for a batch of <paramref name="tiles"/> tiles: <see cref="NarrowBlockTiles"/> when they all fit in one such block, else <see cref="BlockTiles"/>.</summary>
    internal static int BlockWidth(int tiles) => tiles <= NarrowBlockTiles ? NarrowBlockTiles : BlockTiles;

    /// <summary>
    /// Tiles a chunk of <paramref name="total"/> takes over <paramref name="channels"/> input channels on
    /// <paramref name="cores"/> cores: as many blocks as fit the budget, but no more than an even share of
    /// the batch, so a small batch (one image) still gives every core a chunk; then as many chunks as that
    /// takes, rounded up to a multiple of the cores, of blocks shared out evenly. Full chunks and one short
    /// one were uneven between cores: the MNIST CNN's conv2 (34 blocks at batch 64) ran as 10 + 10 and 10 + 4.
    /// </summary>
    internal static int ChunkTiles(int total, int channels, int cores)
    {
        var blockTiles = BlockWidth(total);
        var blocks = (total + blockTiles - 1) / blockTiles;
        var budgetBlocks = Math.Max(1, ChunkBudget / (Points * channels * blockTiles));
        var shareBlocks = (((total + cores - 1) / cores) + blockTiles - 1) / blockTiles;
        var chunkBlocks = Math.Min(budgetBlocks, shareBlocks);
        var chunks = (blocks + chunkBlocks - 1) / chunkBlocks;
        chunks = (chunks + cores - 1) / cores * cores;
        return (blocks + chunks - 1) / chunks * blockTiles;
    }

    /// <summary>
    /// <see cref="WinogradTiles.TransformWeights{T}"/> for float, a row block of 8 output channels at a time:
    /// each tap of the 8 kernels gathered into one vector, so each packed row of 8 is one store (the
    /// same operations in the same order as the scalar transform, hence the same values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransformWeights(ReadOnlySpan<float> weight, int outChannels, int inChannels, bool flipped, Span<float> packed)
    {
        var half = Vector256.Create(0.5f);
        var g = stackalloc Vector256<float>[9];
        var h = stackalloc Vector256<float>[12];
        fixed (float* w = weight, u = packed)
        {
            for (var rowBlock = 0; rowBlock < WinogradTiles.RowBlocks(outChannels); rowBlock++)
            {
                // Kernel (o, i) lies at (o · in + i) · 9, or turned, at (i · out + o) · 9.
                var first = rowBlock * Rows;
                var rowStride = flipped ? 9 : inChannels * 9;
                var index = Vector256<int>.Indices * rowStride;
                var rows = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(outChannels - first)).AsSingle();
                for (var i = 0; i < inChannels; i++)
                {
                    var kernels = w + (flipped ? ((((nint)i * outChannels) + first) * 9) : ((((nint)first * inChannels) + i) * 9));
                    for (var t = 0; t < 9; t++)
                    {
                        g[t] = Avx2.GatherMaskVector256(Vector256<float>.Zero, kernels + (flipped ? 8 - t : t), index, rows, 4);
                    }

                    for (var q = 0; q < 3; q++)
                    {
                        Vector256<float> g0 = g[q], g1 = g[3 + q], g2 = g[6 + q];
                        h[q] = g0;
                        h[3 + q] = (g0 + g1 + g2) * half;
                        h[6 + q] = (g0 - g1 + g2) * half;
                        h[9 + q] = g2;
                    }

                    var target = u + (((((nint)rowBlock * Points) * inChannels) + i) * Rows);
                    var step = (nint)inChannels * Rows;
                    for (var r = 0; r < 4; r++, target += 4 * step)
                    {
                        Vector256<float> h0 = h[3 * r], h1 = h[(3 * r) + 1], h2 = h[(3 * r) + 2];
                        h0.Store(target);
                        ((h0 + h1 + h2) * half).Store(target + step);
                        ((h0 - h1 + h2) * half).Store(target + (2 * step));
                        h2.Store(target + (3 * step));
                    }
                }
            }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int part, int partCount)
    {
        var (first, end) = StepParallel.Range(_chunks, part, partCount);
        if (first >= end)
        {
            return;
        }

        var width = _blockTiles;
        var blockLength = Points * PointStride(_g.Channels, width);
        var chunkLength = _chunkTiles / width * blockLength;
        var rebuiltLength = _pooledOutput is null ? 0 : 4 * RebuiltStride();
        var scratch = ThreadScratch<ScratchPurpose.WinogradTiles, float>.Rent(chunkLength + ProductsLength + rebuiltLength + Lanes);
        var corners = ThreadScratch<ScratchPurpose.WinogradTiles, int>.Rent(_tiles + Lanes);
        fixed (float* raw = scratch)
        fixed (int* corner = corners)
        {
            // 64-byte aligned, so every vector of the products' operands is one cache line.
            var transformed = (float*)(((nint)raw + 63) & ~(nint)63);
            var products = transformed + chunkLength;
            var rebuilt = products + ProductsLength;

            // Past the windows a run rebuilds lie the columns only lanes beyond its last tile read: zeros, not stale values.
            new Span<float>(rebuilt, rebuiltLength).Clear();
            if (_pooled)
            {
                // Each tile's top-left position in its convolution plane, repeated past the last tile so a
                // vector of tiles that runs into the next sample reads its corners in one load.
                for (var u = 0; u < _tiles + Lanes; u++)
                {
                    var (i, j) = Math.DivRem(u % _tiles, _tileColumns);
                    corner[u] = (2 * i * _g.OutputWidth) + (2 * j);
                }
            }

            for (var chunk = first; chunk < end; chunk++)
            {
                var t0 = chunk * _chunkTiles;
                var n = Math.Min(_chunkTiles, _total - t0);
                TransformInputs(t0, n, transformed, blockLength, rebuilt);
                for (var rowBlock = 0; rowBlock < WinogradTiles.RowBlocks(_outChannels); rowBlock++)
                {
                    var weights = _weights + ((nint)rowBlock * Points * _g.Channels * Rows);
                    for (var block = 0; block * width < n; block++)
                    {
                        if (width == BlockTiles)
                        {
                            Products(_g.Channels, weights, transformed + ((nint)block * blockLength), products);
                        }
                        else
                        {
                            NarrowProducts(_g.Channels, weights, transformed + ((nint)block * blockLength), products);
                        }

                        var tile = t0 + (block * width);
                        var count = Math.Min(width, n - (block * width));
                        if (_pooled)
                        {
                            PoolOutputs(rowBlock, tile, count, products, corner);
                        }
                        else
                        {
                            StoreOutputs(rowBlock, tile, count, products);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Floats from one point's transformed tiles to the next in a block of <paramref name="width"/> tiles: a cache
    /// line more than <c>channels · width</c>, which is a multiple of 4 KiB for 64 or 128 channels of 48 tiles and
    /// would put the 16 points that each tile's transform writes in one set of L1, evicting each other.
    /// </summary>
    private static int PointStride(int channels, int width) => (channels * width) + Lanes;

    /// <summary>
    /// <c>M[ξ] = U[ξ] · V[ξ]</c> for 8 output channels and one block of 48 tiles, point after point,
    /// each summed over the input channels in order into 24 registers (8 broadcast weights times 3
    /// vectors of tiles a step), then stored to <paramref name="products"/> <c>[ξ][8][48]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Products(int channels, float* weights, float* tiles, float* products)
    {
        for (var point = 0; point < Points; point++, products += Rows * BlockTiles)
        {
            var a = weights + ((nint)point * channels * Rows);
            var b = tiles + ((nint)point * PointStride(channels, BlockTiles));
            Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
            Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
            Vector512<float> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
            Vector512<float> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
            for (var c = 0; c < channels; c++, a += Rows, b += BlockTiles)
            {
                var b0 = Vector512.LoadAligned(b);
                var b1 = Vector512.LoadAligned(b + Lanes);
                var b2 = Vector512.LoadAligned(b + (2 * Lanes));
                var ai = Vector512.Create(a[0]);
                c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
                c02 = Avx512F.FusedMultiplyAdd(ai, b2, c02);
                ai = Vector512.Create(a[1]);
                c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
                c12 = Avx512F.FusedMultiplyAdd(ai, b2, c12);
                ai = Vector512.Create(a[2]);
                c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
                c22 = Avx512F.FusedMultiplyAdd(ai, b2, c22);
                ai = Vector512.Create(a[3]);
                c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
                c32 = Avx512F.FusedMultiplyAdd(ai, b2, c32);
                ai = Vector512.Create(a[4]);
                c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
                c42 = Avx512F.FusedMultiplyAdd(ai, b2, c42);
                ai = Vector512.Create(a[5]);
                c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
                c52 = Avx512F.FusedMultiplyAdd(ai, b2, c52);
                ai = Vector512.Create(a[6]);
                c60 = Avx512F.FusedMultiplyAdd(ai, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(ai, b1, c61);
                c62 = Avx512F.FusedMultiplyAdd(ai, b2, c62);
                ai = Vector512.Create(a[7]);
                c70 = Avx512F.FusedMultiplyAdd(ai, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(ai, b1, c71);
                c72 = Avx512F.FusedMultiplyAdd(ai, b2, c72);
            }

            StoreRow(products, c00, c01, c02);
            StoreRow(products + BlockTiles, c10, c11, c12);
            StoreRow(products + (2 * BlockTiles), c20, c21, c22);
            StoreRow(products + (3 * BlockTiles), c30, c31, c32);
            StoreRow(products + (4 * BlockTiles), c40, c41, c42);
            StoreRow(products + (5 * BlockTiles), c50, c51, c52);
            StoreRow(products + (6 * BlockTiles), c60, c61, c62);
            StoreRow(products + (7 * BlockTiles), c70, c71, c72);
        }
    }

    /// <summary>
    /// <see cref="Products"/> for a block of <see cref="NarrowBlockTiles"/> tiles: 8 broadcast weights times
    /// 2 vectors of tiles a step, 16 accumulators, each summed over the input channels in the same order,
    /// so a tile's products are the same whichever width its block has. Stored as <c>[ξ][8][32]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowProducts(int channels, float* weights, float* tiles, float* products)
    {
        const int Width = NarrowBlockTiles;
        for (var point = 0; point < Points; point++, products += Rows * Width)
        {
            var a = weights + ((nint)point * channels * Rows);
            var b = tiles + ((nint)point * PointStride(channels, Width));
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
            for (var c = 0; c < channels; c++, a += Rows, b += Width)
            {
                var b0 = Vector512.LoadAligned(b);
                var b1 = Vector512.LoadAligned(b + Lanes);
                var ai = Vector512.Create(a[0]);
                c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00);
                c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
                ai = Vector512.Create(a[1]);
                c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
                ai = Vector512.Create(a[2]);
                c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
                ai = Vector512.Create(a[3]);
                c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
                ai = Vector512.Create(a[4]);
                c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
                ai = Vector512.Create(a[5]);
                c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
                ai = Vector512.Create(a[6]);
                c60 = Avx512F.FusedMultiplyAdd(ai, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(ai, b1, c61);
                ai = Vector512.Create(a[7]);
                c70 = Avx512F.FusedMultiplyAdd(ai, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(ai, b1, c71);
            }

            c00.StoreAligned(products);
            c01.StoreAligned(products + Lanes);
            c10.StoreAligned(products + Width);
            c11.StoreAligned(products + Width + Lanes);
            c20.StoreAligned(products + (2 * Width));
            c21.StoreAligned(products + (2 * Width) + Lanes);
            c30.StoreAligned(products + (3 * Width));
            c31.StoreAligned(products + (3 * Width) + Lanes);
            c40.StoreAligned(products + (4 * Width));
            c41.StoreAligned(products + (4 * Width) + Lanes);
            c50.StoreAligned(products + (5 * Width));
            c51.StoreAligned(products + (5 * Width) + Lanes);
            c60.StoreAligned(products + (6 * Width));
            c61.StoreAligned(products + (6 * Width) + Lanes);
            c70.StoreAligned(products + (7 * Width));
            c71.StoreAligned(products + (7 * Width) + Lanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* row, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2)
    {
        v0.StoreAligned(row);
        v1.StoreAligned(row + Lanes);
        v2.StoreAligned(row + (2 * Lanes));
    }

    /// <summary>
    /// <c>V = Bᵀ d B</c> of the chunk's tiles <c>[t0, t0 + n)</c> into <paramref name="transformed"/>, one
    /// input channel at a time (so each plane is read row after row, as the prefetchers expect), a run of
    /// consecutive tiles of one tile row at a time; the spare columns of a partial last block are zeroed,
    /// so they multiply zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformInputs(int t0, int n, float* transformed, int blockLength, float* rebuilt)
    {
        var spare = n % _blockTiles;
        if (spare != 0)
        {
            // Only the columns past the last tile: the transforms below write every other one.
            var block = transformed + ((nint)(n / _blockTiles) * blockLength);
            for (var row = 0; row < Points * _g.Channels; row++)
            {
                var (point, channel) = Math.DivRem(row, _g.Channels);
                var rows = block + ((nint)point * PointStride(_g.Channels, _blockTiles)) + ((nint)channel * _blockTiles);
                for (var v = spare / Lanes * Lanes; v < _blockTiles; v += Lanes)
                {
                    Avx512F.MaskStore(rows + v, LaneRange(spare - v, Lanes), Vector512<float>.Zero);
                }
            }
        }

        for (var channel = 0; channel < Math.Min(PrefetchChannels, _g.Channels); channel++)
        {
            PrefetchPlanes(t0, n, channel);
        }

        for (var channel = 0; channel < _g.Channels; channel++)
        {
            if (channel + PrefetchChannels < _g.Channels && _pooledOutput is null)
            {
                PrefetchPlanes(t0, n, channel + PrefetchChannels);
            }

            for (var t = t0; t < t0 + n;)
            {
                var (sample, within) = Math.DivRem(t, _tiles);
                var (i, j) = Math.DivRem(within, _tileColumns);
                var length = Math.Min(_tileColumns - j, t0 + n - t);
                TransformRun(sample, channel, i, j, length, t - t0, transformed, blockLength, rebuilt);
                t += length;
            }
        }
    }

    /// <summary>
    /// Touches the cache lines of channel <paramref name="channel"/> that the chunk's tiles <c>[t0, t0 + n)</c>
    /// read: the image rows under each run of tiles, or the pooled gradient, output and positions of the
    /// windows under it. A chunk reads a few rows of every channel's plane, planes apart, too many streams for
    /// the hardware prefetchers: without this, Chollet's conv2 input gradient spent 22 of its 39 ms waiting on
    /// the pooled rows (perf: the three masked loads that read each window). Past a chunk's first channels,
    /// <see cref="RebuildRows"/> prefetches the pooled rows itself, for about a third of the cost (perf).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PrefetchPlanes(int t0, int n, int channel)
    {
        for (var t = t0; t < t0 + n;)
        {
            var (sample, within) = Math.DivRem(t, _tiles);
            var (i, j) = Math.DivRem(within, _tileColumns);
            var length = Math.Min(_tileColumns - j, t0 + n - t);
            if (_pooledOutput is null)
            {
                var plane = _input + ((((nint)sample * _g.Channels) + channel) * _g.Height * _g.Width);
                PrefetchRows(plane, (2 * i) - _g.PadTop, 4, _g.Height, _g.Width, (2 * j) - _g.PadLeft, (2 * length) + 2);
            }
            else
            {
                int pooledHeight = _g.Height / 2, pooledWidth = _g.Width / 2;
                var plane = (((nint)sample * _g.Channels) + channel) * pooledHeight * pooledWidth;
                int row = i - (_g.PadTop / 2), column = j - (_g.PadLeft / 2);
                PrefetchRows(_input + plane, row, 2, pooledHeight, pooledWidth, column, length + 1);
                PrefetchRows(_pooledOutput + plane, row, 2, pooledHeight, pooledWidth, column, length + 1);
                PrefetchRows((float*)(_argmax + plane), row, 2, pooledHeight, pooledWidth, column, length + 1);
            }

            t += length;
        }
    }

    /// <summary>Prefetches rows <c>[row, row + rows)</c>, columns <c>[column, column + columns)</c> of a plane, clipped to it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PrefetchRows(float* plane, int row, int rows, int height, int width, int column, int columns)
    {
        int first = Math.Max(column, 0), end = Math.Min(column + columns, width);
        for (var r = Math.Max(row, 0); r < Math.Min(row + rows, height) && first < end; r++)
        {
            var line = (nint)(plane + ((nint)r * width) + first) & ~(nint)63;
            for (var last = (nint)(plane + ((nint)r * width) + end - 1); line <= last; line += 64)
            {
                Sse.Prefetch0((void*)line);
            }
        }
    }

    /// <summary>
    /// The tiles <c>(i, j … j + length)</c> of one sample and channel <paramref name="c"/>, 16 at a time,
    /// vectorised across the tiles: each input row's even and odd columns split by two permutes (tile j starts at column 2j), so both
    /// steps of the transform are whole-vector adds; pixels outside the image (padding) load as zero.
    /// A pooled gradient's four rows are first rebuilt into <paramref name="rebuilt"/> (<see cref="RebuildRows"/>).
    /// Each point's vector goes to its block's row, or to two blocks when the 16 tiles straddle them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TransformRun(int sample, int c, int i, int j, int length, int local, float* transformed, int blockLength, float* rebuilt)
    {
        int channels = _g.Channels, height = _g.Height, width = _g.Width;
        var (even, odd) = MaxPool2DFloat.Deinterleave();
        var planeSize = (nint)height * width;
        var stride = RebuiltStride();
        if (_pooledOutput is not null)
        {
            // With even padding, the block rows 2i − PadTop … + 3 are window rows i − PadTop / 2 and the next, and
            // the block columns from 2j − PadLeft are the windows from column j − PadLeft / 2: length + 1 of them.
            RebuildRows(sample, c, i - (_g.PadTop / 2), j - (_g.PadLeft / 2), length + 1, rebuilt, stride);
            RebuildRows(sample, c, i - (_g.PadTop / 2) + 1, j - (_g.PadLeft / 2), length + 1, rebuilt + (2 * stride), stride);
        }

        for (var k = 0; k < length; k += Lanes)
        {
            var count = Math.Min(Lanes, length - k);
            var column = (2 * (j + k)) - _g.PadLeft;
            var at = local + k;
            var (block, lane) = Math.DivRem(at, _blockTiles);
            var head = Math.Min(count, _blockTiles - lane);
            var headMask = MaxPool2DFloat.Lanes(head);
            var tailMask = LaneRange(head, count);
            var target = transformed + ((nint)block * blockLength) + lane;
            var next = transformed + ((nint)(block + 1) * blockLength) - head;
            Vector512<float> h00, h01, h02, h03, h10, h11, h12, h13, h20, h21, h22, h23, h30, h31, h32, h33;
            if (_pooledOutput is null)
            {
                var plane = _input + ((((nint)sample * channels) + c) * planeSize) + column;
                var m0 = Columns(column, width);
                var m1 = Columns(column + Lanes, width);
                var m2 = Columns(column + 2, width);
                var m3 = Columns(column + Lanes + 2, width);
                (h00, h01, h02, h03) = RowTransform(plane, (2 * i) - _g.PadTop, height, width, m0, m1, m2, m3, even, odd);
                (h10, h11, h12, h13) = RowTransform(plane, (2 * i) - _g.PadTop + 1, height, width, m0, m1, m2, m3, even, odd);
                (h20, h21, h22, h23) = RowTransform(plane, (2 * i) - _g.PadTop + 2, height, width, m0, m1, m2, m3, even, odd);
                (h30, h31, h32, h33) = RowTransform(plane, (2 * i) - _g.PadTop + 3, height, width, m0, m1, m2, m3, even, odd);
            }
            else
            {
                var rows = rebuilt + (2 * k);
                (h00, h01, h02, h03) = RebuiltRowTransform(rows, even, odd);
                (h10, h11, h12, h13) = RebuiltRowTransform(rows + stride, even, odd);
                (h20, h21, h22, h23) = RebuiltRowTransform(rows + (2 * stride), even, odd);
                (h30, h31, h32, h33) = RebuiltRowTransform(rows + (3 * stride), even, odd);
            }

            var row = (nint)c * _blockTiles;
            var step = (nint)PointStride(channels, _blockTiles);
            PutPoint(target, next, row, headMask, tailMask, h00 - h20);
            PutPoint(target, next, row + step, headMask, tailMask, h01 - h21);
            PutPoint(target, next, row + (2 * step), headMask, tailMask, h02 - h22);
            PutPoint(target, next, row + (3 * step), headMask, tailMask, h03 - h23);
            PutPoint(target, next, row + (4 * step), headMask, tailMask, h10 + h20);
            PutPoint(target, next, row + (5 * step), headMask, tailMask, h11 + h21);
            PutPoint(target, next, row + (6 * step), headMask, tailMask, h12 + h22);
            PutPoint(target, next, row + (7 * step), headMask, tailMask, h13 + h23);
            PutPoint(target, next, row + (8 * step), headMask, tailMask, h20 - h10);
            PutPoint(target, next, row + (9 * step), headMask, tailMask, h21 - h11);
            PutPoint(target, next, row + (10 * step), headMask, tailMask, h22 - h12);
            PutPoint(target, next, row + (11 * step), headMask, tailMask, h23 - h13);
            PutPoint(target, next, row + (12 * step), headMask, tailMask, h10 - h30);
            PutPoint(target, next, row + (13 * step), headMask, tailMask, h11 - h31);
            PutPoint(target, next, row + (14 * step), headMask, tailMask, h12 - h32);
            PutPoint(target, next, row + (15 * step), headMask, tailMask, h13 - h33);
        }
    }

    /// <summary>
    /// <c>d B</c> of one input row for 16 tiles, Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]:
    /// with d0..d3 the columns 2j … 2j + 3, (d0 − d2, d1 + d2, d2 − d1, d1 − d3); a row outside the image is zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) RowTransform(float* plane, int row, int height, int width, Vector512<float> m0, Vector512<float> m1, Vector512<float> m2, Vector512<float> m3, Vector512<int> even, Vector512<int> odd)
    {
        if ((uint)row >= (uint)height)
        {
            return default;
        }

        var p = plane + ((nint)row * width);
        var z0 = Avx512F.MaskLoad(p, m0, default);
        var z1 = Avx512F.MaskLoad(p + Lanes, m1, default);
        var w0 = Avx512F.MaskLoad(p + 2, m2, default);
        var w1 = Avx512F.MaskLoad(p + Lanes + 2, m3, default);
        return ColumnTransform(Avx512F.PermuteVar16x32x2(z0, even, z1), Avx512F.PermuteVar16x32x2(z0, odd, z1), Avx512F.PermuteVar16x32x2(w0, even, w1), Avx512F.PermuteVar16x32x2(w0, odd, w1));
    }

    /// <summary><c>d B</c> of one row of 16 tiles, given its four columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) ColumnTransform(Vector512<float> d0, Vector512<float> d1, Vector512<float> d2, Vector512<float> d3) =>
        (d0 - d2, d1 + d2, d2 - d1, d1 - d3);

    /// <summary><c>d B</c> of one rebuilt row (<see cref="RebuildRows"/>) for 16 tiles, as <see cref="RowTransform"/> computes it from an image row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) RebuiltRowTransform(float* row, Vector512<int> even, Vector512<int> odd)
    {
        Vector512<float> z0 = Vector512.Load(row), z1 = Vector512.Load(row + Lanes), w0 = Vector512.Load(row + 2), w1 = Vector512.Load(row + Lanes + 2);
        return ColumnTransform(Avx512F.PermuteVar16x32x2(z0, even, z1), Avx512F.PermuteVar16x32x2(z0, odd, z1), Avx512F.PermuteVar16x32x2(w0, even, w1), Avx512F.PermuteVar16x32x2(w0, odd, w1));
    }

    /// <summary>
    /// Floats from one rebuilt row to the next: two columns for each window a run of a tile row reads, in whole
    /// vectors, and two vectors more, which the transform of a last partial vector of tiles reads past them.
    /// </summary>
    private int RebuiltStride() => (2 * Lanes * ((_tileColumns + Lanes) / Lanes)) + (2 * Lanes);

    /// <summary>
    /// The two rows of the convolution gradient under pooling window row <paramref name="windowRow"/>, from
    /// window column <paramref name="windowColumn"/> on (<paramref name="windows"/> windows, rounded up to a
    /// vector), into <paramref name="rows"/> and the row <paramref name="stride"/> below it: each window holds its
    /// pooled gradient at its maximum's position where the pooled output is positive (ReLU′), zero elsewhere;
    /// windows past the pooled image are zero. Rebuilt once per run, each window is decoded once for the
    /// run's tiles instead of once for each of the two tiles beside it: rebuilding every tile's 4×4 block from
    /// its four windows took half of the input gradient's transform (perf, Chollet's conv2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RebuildRows(int sample, int channel, int windowRow, int windowColumn, int windows, float* rows, int stride)
    {
        int pooledHeight = _g.Height / 2, pooledWidth = _g.Width / 2, width = _g.Width;
        var below = rows + stride;
        if ((uint)windowRow >= (uint)pooledHeight)
        {
            for (var m = 0; m < windows; m += Lanes)
            {
                Vector512<float>.Zero.Store(rows + (2 * m));
                Vector512<float>.Zero.Store(rows + (2 * m) + Lanes);
                Vector512<float>.Zero.Store(below + (2 * m));
                Vector512<float>.Zero.Store(below + (2 * m) + Lanes);
            }

            return;
        }

        var (low, high) = MaxPool2DFloat.Interleave();
        var plane = (((((nint)sample * _g.Channels) + channel) * pooledHeight) + windowRow) * pooledWidth;
        for (var m = 0; m < windows; m += Lanes)
        {
            var column = windowColumn + m;
            var lanes = Columns(column, pooledWidth);
            var at = plane + column;
            // The same windows PrefetchChannels planes on, as PrefetchPlanes would, without walking the runs again.
            var ahead = at + (PrefetchChannels * (nint)pooledHeight * pooledWidth);
            Sse.Prefetch0(_input + ahead);
            Sse.Prefetch0(_input + ahead + Lanes - 1);
            Sse.Prefetch0(_pooledOutput + ahead);
            Sse.Prefetch0(_pooledOutput + ahead + Lanes - 1);
            Sse.Prefetch0(_argmax + ahead);
            Sse.Prefetch0(_argmax + ahead + Lanes - 1);
            var gradient = Avx512F.MaskLoad(_input + at, lanes, default);
            var passed = Vector512.GreaterThan(Avx512F.MaskLoad(_pooledOutput + at, lanes, default), Vector512<float>.Zero);
            gradient = Vector512.ConditionalSelect(passed, gradient, Vector512<float>.Zero);
            var corner = Vector512.Create((2 * windowRow * width) + (2 * column)) + (Vector512<int>.Indices * 2);
            var offset = Avx512F.MaskLoad(_argmax + at, lanes.AsInt32(), default) - corner;
            var down = Vector512.GreaterThanOrEqual(offset, Vector512.Create(width));
            var right = Vector512.Equals(offset - (down & Vector512.Create(width)), Vector512<int>.One);
            var topLeft = gradient & (~down & ~right).AsSingle();
            var topRight = gradient & (~down & right).AsSingle();
            var bottomLeft = gradient & (down & ~right).AsSingle();
            var bottomRight = gradient & (down & right).AsSingle();
            Avx512F.PermuteVar16x32x2(topLeft, low, topRight).Store(rows + (2 * m));
            Avx512F.PermuteVar16x32x2(topLeft, high, topRight).Store(rows + (2 * m) + Lanes);
            Avx512F.PermuteVar16x32x2(bottomLeft, low, bottomRight).Store(below + (2 * m));
            Avx512F.PermuteVar16x32x2(bottomLeft, high, bottomRight).Store(below + (2 * m) + Lanes);
        }
    }

    /// <summary>Lanes whose column <c>first + lane</c> lies inside the image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Columns(int first, int width) =>
        Vector512.LessThan((Vector512.Create(first) + Vector512<int>.Indices).AsUInt32(), Vector512.Create((uint)width)).AsSingle();

    /// <summary>Lanes <c>[from, to)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> LaneRange(int from, int to) =>
        (Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(from)) & Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(to))).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutPoint(float* target, float* next, nint row, Vector512<float> headMask, Vector512<float> tailMask, Vector512<float> value)
    {
        Avx512F.MaskStore(target + row, headMask, value);
        if (tailMask != Vector512<float>.Zero)
        {
            Avx512F.MaskStore(next + row, tailMask, value);
        }
    }

    /// <summary>Rows 0 and 1 of <c>Aᵀ M A</c> (+ bias) for 16 tiles of one output channel, whose points lie <paramref name="point"/> apart, Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Y00, Vector512<float> Y01, Vector512<float> Y10, Vector512<float> Y11) TransformBack(float* m, nint point, Vector512<float> bias)
    {
        Vector512<float> m0 = Vector512.LoadAligned(m), m1 = Vector512.LoadAligned(m + point), m2 = Vector512.LoadAligned(m + (2 * point)), m3 = Vector512.LoadAligned(m + (3 * point));
        Vector512<float> m4 = Vector512.LoadAligned(m + (4 * point)), m5 = Vector512.LoadAligned(m + (5 * point)), m6 = Vector512.LoadAligned(m + (6 * point)), m7 = Vector512.LoadAligned(m + (7 * point));
        Vector512<float> m8 = Vector512.LoadAligned(m + (8 * point)), m9 = Vector512.LoadAligned(m + (9 * point)), m10 = Vector512.LoadAligned(m + (10 * point)), m11 = Vector512.LoadAligned(m + (11 * point));
        Vector512<float> m12 = Vector512.LoadAligned(m + (12 * point)), m13 = Vector512.LoadAligned(m + (13 * point)), m14 = Vector512.LoadAligned(m + (14 * point)), m15 = Vector512.LoadAligned(m + (15 * point));
        Vector512<float> a00 = m0 + m4 + m8, a01 = m1 + m5 + m9, a02 = m2 + m6 + m10, a03 = m3 + m7 + m11;
        Vector512<float> a10 = m4 - m8 - m12, a11 = m5 - m9 - m13, a12 = m6 - m10 - m14, a13 = m7 - m11 - m15;
        return (a00 + a01 + a02 + bias, a01 - a02 - a03 + bias, a10 + a11 + a12 + bias, a11 - a12 - a13 + bias);
    }

    /// <summary>
    /// ReLU, 2 × 2 maximum and its position for each tile of the block and each output channel of the
    /// row block: the first maximum (a chain of strictly-greater selects in window order, as
    /// <see cref="MaxPool2D"/> scans), a NaN winning as it does there. A vector of tiles that runs into
    /// the next sample is stored in one masked store per sample.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PoolOutputs(int rowBlock, int tile, int count, float* products, int* corner)
    {
        var outWidth = _g.OutputWidth;
        for (var r = 0; r < Rows && (rowBlock * Rows) + r < _outChannels; r++)
        {
            var o = (rowBlock * Rows) + r;
            var bias = Vector512.Create(_bias is null ? 0f : _bias[o]);
            for (var k = 0; k * Lanes < count; k++)
            {
                var (y00, y01, y10, y11) = TransformBack(products + (r * _blockTiles) + (k * Lanes), Rows * _blockTiles, bias);
                // ReLU as maxps(0, y), which returns its second operand when either is NaN: a NaN stays one.
                Vector512<float> a = Avx512F.Max(Vector512<float>.Zero, y00), b = Avx512F.Max(Vector512<float>.Zero, y01);
                Vector512<float> c = Avx512F.Max(Vector512<float>.Zero, y10), d = Avx512F.Max(Vector512<float>.Zero, y11);
                var first = tile + (k * Lanes);
                var (sample, within) = Math.DivRem(first, _tiles);
                var at = Vector512.Load(corner + within);
                var (max, index) = PooledMaxFloat.FirstMaximum(a, b, c, d, at, outWidth);
                var sum = a + b + c + d;
                if (Vector512.EqualsAll(sum, sum) is false)
                {
                    // A NaN (or infinities of both signs, which FirstNaN leaves alone) in some window.
                    (max, index) = FirstNaN(a, b, c, d, at, outWidth, MaxPool2DFloat.NaNLanes(a, b, c, d), max, index);
                }

                var lanes = Math.Min(Lanes, count - (k * Lanes));
                for (var from = 0; from < lanes; sample++, within = 0)
                {
                    var to = Math.Min(lanes, from + _tiles - within);
                    var offset = ((((nint)sample * _outChannels) + o) * _tiles) + within - from;
                    var mask = LaneRange(from, to);
                    Avx512F.MaskStore(_output + offset, mask, max);
                    Avx512F.MaskStore(_positions + offset, mask.AsInt32(), index);
                    from = to;
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="max"/> and <paramref name="index"/> with the lanes in <paramref name="nan"/> replaced by
    /// the window's first NaN and its position, as <see cref="MaxPool2D"/> reports a NaN (the rare path).
    /// </summary>
    private static (Vector512<float> Max, Vector512<int> Index) FirstNaN(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, Vector512<int> corner, int outWidth, Vector512<float> nan, Vector512<float> max, Vector512<int> index)
    {
        Vector512<float> aNaN = ~Vector512.Equals(a, a), bNaN = ~Vector512.Equals(b, b), cNaN = ~Vector512.Equals(c, c);
        var value = Vector512.ConditionalSelect(aNaN, a, Vector512.ConditionalSelect(bNaN, b, Vector512.ConditionalSelect(cNaN, c, d)));
        var at = Vector512.ConditionalSelect(
            aNaN.AsInt32(),
            corner,
            Vector512.ConditionalSelect(bNaN.AsInt32(), corner + Vector512<int>.One, Vector512.ConditionalSelect(cNaN.AsInt32(), corner + Vector512.Create(outWidth), corner + Vector512.Create(outWidth + 1))));
        return (Vector512.ConditionalSelect(nan, value, max), Vector512.ConditionalSelect(nan.AsInt32(), at, index));
    }

    /// <summary>
    /// Each tile's 2×2 outputs (+ bias) into the output planes, two rows of interleaved even and odd
    /// columns per run of tiles in one tile row; an odd last row or column is dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StoreOutputs(int rowBlock, int tile, int count, float* products)
    {
        int outHeight = _g.OutputHeight, outWidth = _g.OutputWidth;
        var (low, high) = MaxPool2DFloat.Interleave();
        for (var r = 0; r < Rows && (rowBlock * Rows) + r < _outChannels; r++)
        {
            var o = (rowBlock * Rows) + r;
            var bias = Vector512.Create(_bias is null ? 0f : _bias[o]);
            for (var k = 0; k * Lanes < count; k++)
            {
                var (y00, y01, y10, y11) = TransformBack(products + (r * _blockTiles) + (k * Lanes), Rows * _blockTiles, bias);
                var lanes = Math.Min(Lanes, count - (k * Lanes));
                var first = tile + (k * Lanes);
                for (var from = 0; from < lanes;)
                {
                    var (sample, within) = Math.DivRem(first + from, _tiles);
                    var (i, j) = Math.DivRem(within, _tileColumns);
                    var to = Math.Min(lanes, from + _tileColumns - j);

                    // Interleaved, lane 2f holds tile `from`'s left column: outputs [2·from, 2·to) clipped to the width.
                    var columns = Math.Min(2 * to, (2 * from) + outWidth - (2 * j));
                    var plane = _output + ((((nint)sample * _outChannels) + o) * outHeight * outWidth) + (2 * j) - (2 * from);
                    var lowMask = LaneRange(2 * from, columns);
                    var highMask = LaneRange((2 * from) - Lanes, columns - Lanes);
                    var top = plane + ((nint)(2 * i) * outWidth);
                    Avx512F.MaskStore(top, lowMask, Avx512F.PermuteVar16x32x2(y00, low, y01));
                    Avx512F.MaskStore(top + Lanes, highMask, Avx512F.PermuteVar16x32x2(y00, high, y01));
                    if ((2 * i) + 1 < outHeight)
                    {
                        Avx512F.MaskStore(top + outWidth, lowMask, Avx512F.PermuteVar16x32x2(y10, low, y11));
                        Avx512F.MaskStore(top + outWidth + Lanes, highMask, Avx512F.PermuteVar16x32x2(y10, high, y11));
                    }

                    from = to;
                }
            }
        }
    }
}
