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
/// <c>A dY Aᵀ</c> is built 16 tiles by 16 filters at a time from the pooled gradient, output and positions,
/// transposed to <c>[point][tile][filter]</c>. Each product then runs a register
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

    /// <summary>Tiles ahead of the block being transformed whose pooled gradient, output and positions are prefetched: two blocks.</summary>
    private const int PrefetchTiles = 2 * Lanes;

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

        // One point's inputs or gradients a cache line further than their length, so the 16 points' rows that each
        // tile's transform writes do not all fall in one set of L1 (at 4 KiB multiples they would, and evict each other).
        int inputsPoint = (channels * chunk) + Lanes, gradientsPoint = (chunk * filters) + Lanes;
        var scratch = ThreadScratch<ScratchPurpose.WinogradTiles, float>.Rent(sumsLength + (Points * (inputsPoint + gradientsPoint)) + filters + Lanes);
        var cornerTable = ThreadScratch<ScratchPurpose.WinogradTiles, int>.Rent(tiles + Lanes);
        fixed (float* raw = scratch, pdy = dy, py = y, px = x, dw = weightPartial)
        fixed (int* at = positions, corners = cornerTable)
        {
            // Each tile's top-left position in its convolution plane, repeated past the last tile so 16 tiles that
            // run into the next samples read their corners in one load.
            for (var u = 0; u < tiles + Lanes && tiles > 0; u++)
            {
                var (i, j) = Math.DivRem(u % tiles, tileColumns);
                corners[u] = (2 * i * g.OutputWidth) + (2 * j);
            }

            // 64-byte aligned, so every vector of the products is one cache line.
            var sums = (float*)(((nint)raw + 63) & ~(nint)63);
            var inputs = sums + sumsLength;
            var gradients = inputs + ((nint)Points * inputsPoint);
            var bias = gradients + ((nint)Points * gradientsPoint);
            new Span<float>(sums, sumsLength).Clear();
            new Span<float>(bias, filters).Clear();
            for (var t0 = 0; t0 < total; t0 += chunk)
            {
                var n = Math.Min(chunk, total - t0);
                TransformInputs(px, g, tiles, tileColumns, t0, n, inputs, chunk, inputsPoint);
                TransformGradients(pdy, py, at, corners, g.OutputWidth, filters, tiles, t0, n, gradients, gradientsPoint, bias);
                for (var point = 0; point < Points; point++)
                {
                    for (var f = 0; f < filters; f += TileFilters)
                    {
                        for (var c = 0; c < channels; c += TileChannels)
                        {
                            Products(inputs + ((nint)point * inputsPoint) + ((nint)c * chunk), chunk, gradients + ((nint)point * gradientsPoint) + f, filters, n, sums + ((((nint)point * channels) + c) * filters) + f);
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
    /// <c>V = Bᵀ d B</c> of the tiles <c>[t0, t0 + n)</c> into <paramref name="inputs"/> <c>[point][channel][chunk]</c> (points <paramref name="step"/> apart),
    /// a run of one tile row 16 tiles at a time (<see cref="WinogradTilesFloat.RowTransform"/>), pixels outside the image zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputs(float* x, in WindowGeometry g, int tiles, int tileColumns, int t0, int n, float* inputs, int chunk, nint step)
    {
        int channels = g.Channels, height = g.Height, width = g.Width;
        var (even, odd) = MaxPool2DFloat.Deinterleave();
        var planeSize = (nint)height * width;
        for (var c = 0; c < channels; c++)
        {
            for (var t = t0; t < t0 + n;)
            {
                var (sample, within) = Math.DivRem(t, tiles);
                var (i, j) = Math.DivRem(within, tileColumns);
                var length = Math.Min(tileColumns - j, t0 + n - t);
                var plane = x + ((((nint)sample * channels) + c) * planeSize);
                if (c + WinogradTilesFloat.PrefetchChannels < channels)
                {
                    WinogradTilesFloat.PrefetchRows(plane + (WinogradTilesFloat.PrefetchChannels * planeSize), (2 * i) - g.PadTop, 4, height, width, (2 * j) - g.PadLeft, (2 * length) + 2);
                }

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
    /// <c>A dY Aᵀ</c> of the tiles <c>[t0, t0 + n)</c> into <paramref name="gradients"/> <c>[point][chunk][filter]</c> (points <paramref name="step"/> apart).
    /// Each tile's pooled gradient where its output is positive (ReLU′), else zero, goes to the points as
    /// <c>A[r][a] · A[c][b]</c> say for its maximum's row a and column b in the window (A = [[1, 0], [1, 1], [1, −1], [0, −1]]:
    /// a select, a negation or a zero each). 16 tiles by 16 filters at a time: each filter's 16 tiles are read
    /// as runs of its planes (gathers across 16 planes a tile, 5 KiB apart, cost more than the products: a
    /// page each) and turned to 16 filters a tile by a 16 × 16 transpose. The bias sums take the same gradients
    /// in the same order, tile after tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformGradients(float* dy, float* y, int* positions, int* corners, int outWidth, int filters, int tiles, int t0, int n, float* gradients, nint step, float* bias)
    {
        var width = Vector512.Create(outWidth);
        var rows = stackalloc Vector512<int>[2 * Lanes];
        var spare = stackalloc Vector512<int>[Lanes];
        var runs = stackalloc int[4 * Lanes];
        for (var block = 0; block < n; block += Lanes)
        {
            // The block's runs of tiles within one sample: lanes [from, to) start at tile `within` of `sample`.
            var count = Math.Min(Lanes, n - block);
            var runCount = 0;
            for (var from = 0; from < count; runCount++)
            {
                var (sample, within) = Math.DivRem(t0 + block + from, tiles);
                var to = Math.Min(count, from + tiles - within);
                (runs[4 * runCount], runs[(4 * runCount) + 1], runs[(4 * runCount) + 2], runs[(4 * runCount) + 3]) = (from, to, sample, within);
                from = to;
            }

            var corner = Vector512.Load(corners + runs[3]);
            for (var f = 0; f < filters; f += Lanes)
            {
                for (var r = 0; r < Lanes; r++)
                {
                    Vector512<float> gradient = default, output = default;
                    Vector512<int> position = default;
                    for (var run = 0; run < runCount; run++)
                    {
                        var lanes = WinogradTilesFloat.LaneRange(runs[4 * run], runs[(4 * run) + 1]);
                        var at = (((((nint)runs[(4 * run) + 2] * filters) + f + r) * tiles) + runs[(4 * run) + 3]) - runs[4 * run];
                        if (run == 0)
                        {
                            // Two blocks ahead in this plane: the 3 × filters planes read a block at a time are too
                            // many streams for the hardware prefetchers (perf, Chollet's conv2: without this, this
                            // transform took longer than the products).
                            Sse.Prefetch0(dy + at + PrefetchTiles);
                            Sse.Prefetch0(y + at + PrefetchTiles);
                            Sse.Prefetch0(positions + at + PrefetchTiles);
                        }

                        gradient = Vector512.ConditionalSelect(lanes, Avx512F.MaskLoad(dy + at, lanes, default), gradient);
                        output = Vector512.ConditionalSelect(lanes, Avx512F.MaskLoad(y + at, lanes, default), output);
                        position = Vector512.ConditionalSelect(lanes.AsInt32(), Avx512F.MaskLoad(positions + at, lanes.AsInt32(), default), position);
                    }

                    var offset = position - corner;
                    var down = Vector512.GreaterThanOrEqual(offset, width);
                    var right = Vector512.Equals(offset - (down & width), Vector512<int>.One);
                    rows[r] = (gradient & Vector512.GreaterThan(output, Vector512<float>.Zero)).AsInt32();
                    rows[Lanes + r] = (down & Vector512.Create(2)) | (right & Vector512<int>.One);
                }

                Transpose(rows, spare);
                Transpose(rows + Lanes, spare);
                for (var l = 0; l < count; l++)
                {
                    var gradient = rows[l].AsSingle();
                    var code = rows[Lanes + l];
                    var lower = Vector512.Equals(code & Vector512.Create(2), Vector512.Create(2)).AsSingle();
                    var right = Vector512.Equals(code & Vector512<int>.One, Vector512<int>.One).AsSingle();
                    (Vector512.Load(bias + f) + gradient).Store(bias + f);

                    // The columns' factors A[c][b] · gradient, then each row's A[r][a] times those.
                    var negative = -gradient;
                    var target = gradients + ((nint)(block + l) * filters) + f;
                    Rows(target, step, lower, Vector512.AndNot(gradient, right));
                    Rows(target + step, step, lower, gradient);
                    Rows(target + (2 * step), step, lower, Vector512.ConditionalSelect(right, negative, gradient));
                    Rows(target + (3 * step), step, lower, negative & right);
                }
            }
        }
    }

    /// <summary>
    /// Transposes the 16 × 16 ints at <paramref name="m"/> in place (<paramref name="s"/> is scratch): pairs of
    /// rows interleaved by 32 then by 64 bits leave 4 × 4 blocks transposed in each 128-bit lane, and two
    /// rounds of 128-bit shuffles put the blocks in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector512<int>* m, Vector512<int>* s)
    {
        for (var k = 0; k < 16; k += 2)
        {
            s[k] = Avx512F.UnpackLow(m[k], m[k + 1]);
            s[k + 1] = Avx512F.UnpackHigh(m[k], m[k + 1]);
        }

        for (var k = 0; k < 16; k += 4)
        {
            m[k] = Avx512F.UnpackLow(s[k].AsInt64(), s[k + 2].AsInt64()).AsInt32();
            m[k + 1] = Avx512F.UnpackHigh(s[k].AsInt64(), s[k + 2].AsInt64()).AsInt32();
            m[k + 2] = Avx512F.UnpackLow(s[k + 1].AsInt64(), s[k + 3].AsInt64()).AsInt32();
            m[k + 3] = Avx512F.UnpackHigh(s[k + 1].AsInt64(), s[k + 3].AsInt64()).AsInt32();
        }

        // Now lane j of m[4k + c] holds column 4j + c of rows 4k … 4k + 3.
        for (var c = 0; c < 4; c++)
        {
            s[c] = Avx512F.Shuffle4x128(m[c], m[4 + c], 0x88);
            s[4 + c] = Avx512F.Shuffle4x128(m[c], m[4 + c], 0xDD);
            s[8 + c] = Avx512F.Shuffle4x128(m[8 + c], m[12 + c], 0x88);
            s[12 + c] = Avx512F.Shuffle4x128(m[8 + c], m[12 + c], 0xDD);
        }

        for (var c = 0; c < 4; c++)
        {
            m[c] = Avx512F.Shuffle4x128(s[c], s[8 + c], 0x88);
            m[8 + c] = Avx512F.Shuffle4x128(s[c], s[8 + c], 0xDD);
            m[4 + c] = Avx512F.Shuffle4x128(s[4 + c], s[12 + c], 0x88);
            m[12 + c] = Avx512F.Shuffle4x128(s[4 + c], s[12 + c], 0xDD);
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
