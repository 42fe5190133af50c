using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// <see cref="WinogradWeightGradient"/> for float on AVX-512. The group's tiles are cut into chunks whose
/// transformed inputs and gradients fit in half of L2. A chunk's <c>V = Bᵀ d B</c> is computed 16 tiles at a
/// time as the forward does (<see cref="WinogradTilesFloat"/>) and laid out <c>[point][channel][tile]</c>; its
/// <c>A dY Aᵀ</c> is built 16 filters at a time from the pooled gradient, output and positions, gathered
/// across the filters' planes, and laid out <c>[point][tile][filter]</c>. Each product then runs a register
/// tile of 8 channels by 32 filters (16 accumulators) down the chunk's tiles, one broadcast input value and
/// two vectors of gradients a tile, into sums <c>[point][channel][filter]</c> that run on across chunks.
/// Every sum is taken tile after tile in the group's order, whatever the chunking's place in memory.
/// </summary>
internal static unsafe class WinogradWeightGradientFloat
{
    private const int Points = WinogradTiles.Points;
    private const int Lanes = 16;

    /// <summary>Channels (rows of broadcast inputs) and filters (two vectors) of the products' register tile.</summary>
    private const int TileChannels = 8, TileFilters = 2 * Lanes;

    /// <summary>Floats of a chunk's transformed inputs and gradients: 512 KiB, half of L2.</summary>
    private const int ChunkBudget = 1 << 17;

    /// <summary>Whether the register tiles cover <paramref name="channels"/> × <paramref name="filters"/> exactly, on a CPU with AVX-512.</summary>
    public static bool Fits(int channels, int filters) =>
        Avx512F.IsSupported && channels % TileChannels == 0 && filters % TileFilters == 0;

    /// <summary>See <see cref="WinogradWeightGradient.Group{T}"/>; needs <see cref="Fits"/> and a weight gradient.</summary>
    public static void Group(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, ReadOnlySpan<int> positions, ReadOnlySpan<float> x, Span<float> weightPartial, Span<float> biasPartial, int samples, in WindowGeometry g, int filters)
    {
        int channels = g.Channels, tileColumns = g.OutputWidth / 2, tiles = g.OutputHeight / 2 * tileColumns;
        var total = samples * tiles;
        var chunk = Math.Max(Lanes, ChunkBudget / (Points * (channels + filters)) / Lanes * Lanes);
        var sumsLength = Points * channels * filters;
        var scratch = ThreadScratch<ScratchPurpose.WinogradTiles, float>.Rent(sumsLength + (Points * chunk * (channels + filters)) + filters + Lanes);
        fixed (float* raw = scratch, pdy = dy, py = y, px = x, dw = weightPartial)
        fixed (int* at = positions)
        {
            // 64-byte aligned, so every vector of the products is one cache line.
            var sums = (float*)(((nint)raw + 63) & ~(nint)63);
            var inputs = sums + sumsLength;
            var gradients = inputs + ((nint)Points * channels * chunk);
            var bias = gradients + ((nint)Points * chunk * filters);
            new Span<float>(sums, sumsLength).Clear();
            new Span<float>(bias, filters).Clear();
            for (var t0 = 0; t0 < total; t0 += chunk)
            {
                var n = Math.Min(chunk, total - t0);
                TransformInputs(px, g, tiles, tileColumns, t0, n, inputs, chunk);
                TransformGradients(pdy, py, at, g.OutputWidth, filters, tiles, tileColumns, t0, n, gradients, chunk, bias);
                for (var point = 0; point < Points; point++)
                {
                    for (var f = 0; f < filters; f += TileFilters)
                    {
                        for (var c = 0; c < channels; c += TileChannels)
                        {
                            Products(inputs + ((((nint)point * channels) + c) * chunk), chunk, gradients + ((nint)point * chunk * filters) + f, filters, n, sums + ((((nint)point * channels) + c) * filters) + f);
                        }
                    }
                }
            }

            TransformBack(sums, channels, filters, dw);
            if (!biasPartial.IsEmpty)
            {
                new ReadOnlySpan<float>(bias, filters).CopyTo(biasPartial);
            }
        }
    }

    /// <summary>
    /// <c>V = Bᵀ d B</c> of the tiles <c>[t0, t0 + n)</c> into <paramref name="inputs"/> <c>[point][channel][chunk]</c>,
    /// a run of one tile row 16 tiles at a time (<see cref="WinogradTilesFloat.RowTransform"/>), pixels outside the image zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputs(float* x, in WindowGeometry g, int tiles, int tileColumns, int t0, int n, float* inputs, int chunk)
    {
        int channels = g.Channels, height = g.Height, width = g.Width;
        var (even, odd) = MaxPool2DFloat.Deinterleave();
        var planeSize = (nint)height * width;
        var step = (nint)channels * chunk;
        for (var c = 0; c < channels; c++)
        {
            for (var t = t0; t < t0 + n;)
            {
                var (sample, within) = Math.DivRem(t, tiles);
                var (i, j) = Math.DivRem(within, tileColumns);
                var length = Math.Min(tileColumns - j, t0 + n - t);
                var plane = x + ((((nint)sample * channels) + c) * planeSize);
                for (var k = 0; k < length; k += Lanes)
                {
                    var column = (2 * (j + k)) - g.PadLeft;
                    var m0 = WinogradTilesFloat.Columns(column, width);
                    var m1 = WinogradTilesFloat.Columns(column + Lanes, width);
                    var m2 = WinogradTilesFloat.Columns(column + 2, width);
                    var m3 = WinogradTilesFloat.Columns(column + Lanes + 2, width);
                    var (h00, h01, h02, h03) = WinogradTilesFloat.RowTransform(plane + column, (2 * i) - g.PadTop, height, width, m0, m1, m2, m3, even, odd);
                    var (h10, h11, h12, h13) = WinogradTilesFloat.RowTransform(plane + column, (2 * i) - g.PadTop + 1, height, width, m0, m1, m2, m3, even, odd);
                    var (h20, h21, h22, h23) = WinogradTilesFloat.RowTransform(plane + column, (2 * i) - g.PadTop + 2, height, width, m0, m1, m2, m3, even, odd);
                    var (h30, h31, h32, h33) = WinogradTilesFloat.RowTransform(plane + column, (2 * i) - g.PadTop + 3, height, width, m0, m1, m2, m3, even, odd);
                    var mask = MaxPool2DFloat.Lanes(length - k);
                    var target = inputs + ((nint)c * chunk) + (t - t0) + k;
                    Avx512F.MaskStore(target, mask, h00 - h20);
                    Avx512F.MaskStore(target + step, mask, h01 - h21);
                    Avx512F.MaskStore(target + (2 * step), mask, h02 - h22);
                    Avx512F.MaskStore(target + (3 * step), mask, h03 - h23);
                    Avx512F.MaskStore(target + (4 * step), mask, h10 + h20);
                    Avx512F.MaskStore(target + (5 * step), mask, h11 + h21);
                    Avx512F.MaskStore(target + (6 * step), mask, h12 + h22);
                    Avx512F.MaskStore(target + (7 * step), mask, h13 + h23);
                    Avx512F.MaskStore(target + (8 * step), mask, h20 - h10);
                    Avx512F.MaskStore(target + (9 * step), mask, h21 - h11);
                    Avx512F.MaskStore(target + (10 * step), mask, h22 - h12);
                    Avx512F.MaskStore(target + (11 * step), mask, h23 - h13);
                    Avx512F.MaskStore(target + (12 * step), mask, h10 - h30);
                    Avx512F.MaskStore(target + (13 * step), mask, h11 - h31);
                    Avx512F.MaskStore(target + (14 * step), mask, h12 - h32);
                    Avx512F.MaskStore(target + (15 * step), mask, h13 - h33);
                }

                t += length;
            }
        }
    }

    /// <summary>
    /// <c>A dY Aᵀ</c> of the tiles <c>[t0, t0 + n)</c> into <paramref name="gradients"/> <c>[point][chunk][filter]</c>,
    /// 16 filters a step: each tile's pooled gradient where its output is positive (ReLU′), else zero, goes to
    /// the points as <c>A[r][a] · A[c][b]</c> say for its maximum's row a and column b in the window
    /// (A = [[1, 0], [1, 1], [1, −1], [0, −1]]: a select, a negation or a zero each). The bias sums take the same
    /// gradients in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformGradients(float* dy, float* y, int* positions, int outWidth, int filters, int tiles, int tileColumns, int t0, int n, float* gradients, int chunk, float* bias)
    {
        var low = Vector256<int>.Indices * tiles;
        var high = (Vector256<int>.Indices + Vector256.Create(8)) * tiles;
        var width = Vector512.Create(outWidth);
        var step = (nint)chunk * filters;
        for (var local = 0; local < n; local++)
        {
            var (sample, within) = Math.DivRem(t0 + local, tiles);
            var (i, j) = Math.DivRem(within, tileColumns);
            var corner = Vector512.Create((2 * i * outWidth) + (2 * j));
            for (var f = 0; f < filters; f += Lanes)
            {
                var first = ((((nint)sample * filters) + f) * tiles) + within;
                var output = Vector512.Create(Avx2.GatherVector256(y + first, low, 4), Avx2.GatherVector256(y + first, high, 4));
                var gradient = Vector512.Create(Avx2.GatherVector256(dy + first, low, 4), Avx2.GatherVector256(dy + first, high, 4));
                gradient &= Vector512.GreaterThan(output, Vector512<float>.Zero);
                (Vector512.Load(bias + f) + gradient).Store(bias + f);
                var offset = Vector512.Create(Avx2.GatherVector256(positions + first, low, 4), Avx2.GatherVector256(positions + first, high, 4)) - corner;
                var down = Vector512.GreaterThanOrEqual(offset, width);
                var right = Vector512.Equals(offset - (down & width), Vector512<int>.One).AsSingle();
                var lower = down.AsSingle();

                // The columns' factors A[c][b] · gradient, then each row's A[r][a] times those.
                var negative = -gradient;
                var target = gradients + ((nint)local * filters) + f;
                Rows(target, step, lower, Vector512.AndNot(gradient, right));
                Rows(target + step, step, lower, gradient);
                Rows(target + (2 * step), step, lower, Vector512.ConditionalSelect(right, negative, gradient));
                Rows(target + (3 * step), step, lower, negative & right);
            }
        }
    }

    /// <summary>Points (0, c) … (3, c) of <see cref="TransformGradients"/>: <paramref name="column"/> times A[r][a] for rows r = 0 … 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows(float* target, nint step, Vector512<float> lower, Vector512<float> column)
    {
        var negative = -column;
        Vector512.AndNot(column, lower).Store(target);
        column.Store(target + (4 * step));
        Vector512.ConditionalSelect(lower, negative, column).Store(target + (8 * step));
        (negative & lower).Store(target + (12 * step));
    }

    /// <summary>
    /// Adds <c>Σ_t inputs[r][t] · gradients[t][0..32)</c> for the <paramref name="n"/> tiles to the 8 × 32 tile of
    /// <paramref name="sums"/> (rows <paramref name="filters"/> apart): 16 accumulators, a broadcast of one input per row and two loads of gradients a tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Products(float* inputs, int chunk, float* gradients, int filters, int n, float* sums)
    {
        float* a0 = inputs, a1 = inputs + chunk, a2 = inputs + (2 * chunk), a3 = inputs + (3 * chunk);
        float* a4 = inputs + (4 * chunk), a5 = inputs + (5 * chunk), a6 = inputs + (6 * chunk), a7 = inputs + (7 * chunk);
        Vector512<float> c00 = Vector512.Load(sums), c01 = Vector512.Load(sums + Lanes);
        Vector512<float> c10 = Vector512.Load(sums + filters), c11 = Vector512.Load(sums + filters + Lanes);
        Vector512<float> c20 = Vector512.Load(sums + (2 * filters)), c21 = Vector512.Load(sums + (2 * filters) + Lanes);
        Vector512<float> c30 = Vector512.Load(sums + (3 * filters)), c31 = Vector512.Load(sums + (3 * filters) + Lanes);
        Vector512<float> c40 = Vector512.Load(sums + (4 * filters)), c41 = Vector512.Load(sums + (4 * filters) + Lanes);
        Vector512<float> c50 = Vector512.Load(sums + (5 * filters)), c51 = Vector512.Load(sums + (5 * filters) + Lanes);
        Vector512<float> c60 = Vector512.Load(sums + (6 * filters)), c61 = Vector512.Load(sums + (6 * filters) + Lanes);
        Vector512<float> c70 = Vector512.Load(sums + (7 * filters)), c71 = Vector512.Load(sums + (7 * filters) + Lanes);
        var b = gradients;
        for (var t = 0; t < n; t++, b += filters)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + Lanes);
            var a = Vector512.Create(a0[t]);
            c00 = Avx512F.FusedMultiplyAdd(a, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(a1[t]);
            c10 = Avx512F.FusedMultiplyAdd(a, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(a2[t]);
            c20 = Avx512F.FusedMultiplyAdd(a, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(a3[t]);
            c30 = Avx512F.FusedMultiplyAdd(a, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(a4[t]);
            c40 = Avx512F.FusedMultiplyAdd(a, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(a5[t]);
            c50 = Avx512F.FusedMultiplyAdd(a, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(a6[t]);
            c60 = Avx512F.FusedMultiplyAdd(a, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(a7[t]);
            c70 = Avx512F.FusedMultiplyAdd(a, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(a, b1, c71);
        }

        c00.Store(sums);
        c01.Store(sums + Lanes);
        c10.Store(sums + filters);
        c11.Store(sums + filters + Lanes);
        c20.Store(sums + (2 * filters));
        c21.Store(sums + (2 * filters) + Lanes);
        c30.Store(sums + (3 * filters));
        c31.Store(sums + (3 * filters) + Lanes);
        c40.Store(sums + (4 * filters));
        c41.Store(sums + (4 * filters) + Lanes);
        c50.Store(sums + (5 * filters));
        c51.Store(sums + (5 * filters) + Lanes);
        c60.Store(sums + (6 * filters));
        c61.Store(sums + (6 * filters) + Lanes);
        c70.Store(sums + (7 * filters));
        c71.Store(sums + (7 * filters) + Lanes);
    }

    /// <summary>
    /// <c>Gᵀ M G</c> of each channel and 16 filters' sums (<see cref="WinogradWeightGradient"/>'s order of
    /// operations), through a 12 × 16 buffer into the kernels <c>[filter][channel][3][3]</c> of <paramref name="dw"/>.
    /// </summary>
    private static void TransformBack(float* sums, int channels, int filters, float* dw)
    {
        var half = Vector512.Create(0.5f);
        var kernels = stackalloc float[12 * Lanes];
        var point = (nint)channels * filters;
        for (var c = 0; c < channels; c++)
        {
            for (var f = 0; f < filters; f += Lanes)
            {
                var m = sums + ((nint)c * filters) + f;
                for (var q = 0; q < 4; q++)
                {
                    // Row q of the 4×4 M is points 4q … 4q + 3; h holds Gᵀ M's three rows, column by column.
                    Vector512<float> m0 = Vector512.Load(m + (q * point)), m1 = Vector512.Load(m + ((4 + q) * point));
                    Vector512<float> m2 = Vector512.Load(m + ((8 + q) * point)), m3 = Vector512.Load(m + ((12 + q) * point));
                    var sum = (m1 + m2) * half;
                    (m0 + sum).Store(kernels + (q * Lanes));
                    ((m1 - m2) * half).Store(kernels + ((4 + q) * Lanes));
                    (sum + m3).Store(kernels + ((8 + q) * Lanes));
                }

                // kernels now holds h [3][4] (vectors); each row becomes its three taps in place, from the left,
                // so a row is read before the taps of the row above overwrite it.
                for (var k = 0; k < 3; k++)
                {
                    var row = kernels + (4 * k * Lanes);
                    Vector512<float> h0 = Vector512.Load(row), h1 = Vector512.Load(row + Lanes), h2 = Vector512.Load(row + (2 * Lanes)), h3 = Vector512.Load(row + (3 * Lanes));
                    var sum = (h1 + h2) * half;
                    var taps = kernels + (3 * k * Lanes);
                    (h0 + sum).Store(taps);
                    ((h1 - h2) * half).Store(taps + Lanes);
                    (sum + h3).Store(taps + (2 * Lanes));
                }

                for (var lane = 0; lane < Lanes; lane++)
                {
                    var kernel = dw + ((((nint)(f + lane) * channels) + c) * 9);
                    for (var tap = 0; tap < 9; tap++)
                    {
                        kernel[tap] = kernels[(tap * Lanes) + lane];
                    }
                }
            }
        }
    }
}
