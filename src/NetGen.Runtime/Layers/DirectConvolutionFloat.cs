using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen;

/// <summary>
/// The float convolution of few input channels without im2col, on AVX-512, for unpadded stride-1
/// windows (the first layer of an image network: 1 or 3 channels, <c>channels·k·k</c> = 9 or 27). There
/// im2col copies each pixel k·k times and the product's depth is too short to pay for its packing;
/// here every tap is one unaligned load of the input at a fixed offset.
/// <list type="bullet">
/// <item>Forward: output pixel <c>(oh, ow)</c> is computed at the "wide" index <c>q = oh·W + ow</c> of a
/// plane as wide as the input, so tap <c>(c, i, j)</c> reads <c>x[c·H·W + i·W + j + q]</c> for every
/// pixel alike; the <c>W − OW</c> columns past each row's end are computed and never read. 8 filters ×
/// 48 pixels are accumulated in 24 registers over the taps in im2col's row order, from zero, then the
/// bias is added: the sums round as <see cref="Kernels.Gemm"/>'s do on the im2col columns.</item>
/// <item>Weight gradient: <c>dW[f, t] = Σ dz[f, p] · x[p + offset(t)]</c>, 8 filters × 3 taps in 24
/// registers of 16 lanes, over bands of rows that stay in L1 with their inputs, the lanes kept in memory
/// across bands and samples and added up at the end. The order of these sums depends on the geometry
/// only, never on the batch or the thread.</item>
/// </list>
/// </summary>
internal static unsafe class DirectConvolutionFloat
{
    /// <summary>Filters accumulated together; a last, partial block repeats its last filter in the spare lanes.</summary>
    public const int FilterBlock = 8;

    /// <summary>Taps of the weight gradient accumulated together; a last, partial block repeats its last tap.</summary>
    private const int TapBlock = 3;

    private const int Lanes = 16;

    /// <summary>Output pixels of a weight-gradient band: with 8 filters' gradient and the input rows under it, about 24 KiB.</summary>
    private const int BandPixels = 512;

    /// <summary>Whether the kernels apply to <paramref name="g"/> on this CPU: stride 1, no padding.</summary>
    public static bool Handles(in WindowGeometry g) => Avx512F.IsSupported && g.Stride == 1 && !g.IsPadded;

    /// <summary>Floats of <see cref="PackWeights"/>'s output for <paramref name="filters"/> filters.</summary>
    public static int PackedWeightLength(in WindowGeometry g, int filters) => Blocks(filters) * FilterBlock * g.PatchSize;

    /// <summary>Values of one wide output plane: <c>(OH − 1)·W + OW</c>.</summary>
    public static int WidePlane(in WindowGeometry g) => ((g.OutputHeight - 1) * g.Width) + g.OutputWidth;

    /// <summary>Floats of a wide output whose filters lie <paramref name="planeStride"/> apart, filters rounded up to a whole block.</summary>
    public static int WideOutputLength(int filters, int planeStride) => Blocks(filters) * FilterBlock * planeStride;

    /// <summary>Floats of <see cref="WeightGradient"/>'s lane sums.</summary>
    public static int LaneSumLength(in WindowGeometry g, int filters) => Blocks(filters) * TapRows(g) * FilterBlock * TapBlock * Lanes;

    /// <summary>
    /// Lays <paramref name="weight"/> <c>[filters, patch]</c> out as <c>[block][tap][8]</c>, so each tap's 8
    /// broadcasts read one cache line; a partial last block repeats its last filter.
    /// </summary>
    public static void PackWeights(ReadOnlySpan<float> weight, Span<float> packed, in WindowGeometry g, int filters)
    {
        var patch = g.PatchSize;
        var o = 0;
        for (var block = 0; block < Blocks(filters); block++)
        {
            for (var t = 0; t < patch; t++)
            {
                for (var lane = 0; lane < FilterBlock; lane++, o++)
                {
                    packed[o] = weight[(Math.Min((block * FilterBlock) + lane, filters - 1) * patch) + t];
                }
            }
        }
    }

    /// <summary>
    /// One sample's convolution rows <c>[firstRow, firstRow + rows)</c> into <paramref name="wide"/>
    /// (<see cref="WideOutputLength"/> floats: filter <c>f</c>'s output pixel <c>(firstRow + r, ow)</c> at
    /// <c>f·planeStride + r·W + ow</c>), plus the bias and, when <paramref name="relu"/>, ReLU. Each pixel's
    /// sum is the same whichever rows a call computes. The caller has checked <see cref="Handles"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> image, ReadOnlySpan<float> packed, ReadOnlySpan<float> bias, Span<float> wide, int planeStride, in WindowGeometry g, int filters, bool relu, int firstRow, int rows)
    {
        // The last row stops at OW: past it, the taps would read past the image.
        var planeLength = ((rows - 1) * g.Width) + g.OutputWidth;
        if (image.Length < g.InputSize || packed.Length < PackedWeightLength(g, filters) || planeStride < planeLength || wide.Length < WideOutputLength(filters, planeStride)
            || (!bias.IsEmpty && bias.Length < filters) || rows < 1 || firstRow < 0 || firstRow + rows > g.OutputHeight)
        {
            throw new ArgumentException($"Direct convolution spans too short for {g} and {filters} filters.");
        }

        var taps = new Taps(g);
        Span<float> blockBias = stackalloc float[FilterBlock];
        fixed (float* origin = image, w = packed, y = wide)
        {
            for (var block = 0; block < Blocks(filters); block++)
            {
                for (var lane = 0; lane < FilterBlock; lane++)
                {
                    blockBias[lane] = bias.IsEmpty ? 0 : bias[Math.Min((block * FilterBlock) + lane, filters - 1)];
                }

                var epilogue = new Epilogue(blockBias, !bias.IsEmpty, relu);
                var weights = w + ((nint)block * FilterBlock * g.PatchSize);
                var output = y + ((nint)block * FilterBlock * planeStride);
                var x = origin + ((nint)firstRow * g.Width);
                var q = 0;
                for (; q + (3 * Lanes) <= planeLength; q += 3 * Lanes)
                {
                    Block8x48(x + q, weights, taps, output + q, planeStride, epilogue);
                }

                for (; q < planeLength; q += Lanes)
                {
                    Block8x16(x + q, weights, taps, output + q, planeStride, epilogue, Lanes512(planeLength - q));
                }
            }
        }
    }

    /// <summary>
    /// Adds one sample's <c>dW</c> terms of output rows <c>[firstRow, firstRow + rows)</c> to
    /// <paramref name="laneSums"/> (<see cref="LaneSumLength"/> floats, zeroed by the caller before the
    /// first call): filter <c>f</c>'s gradient pixel <c>(firstRow + r, ow)</c> lies at
    /// <c>f·filterStride + r·rowStride + ow</c> of <paramref name="dz"/>. Rows as wide as the input's
    /// (<paramref name="rowStride"/> = <c>W</c>) must hold zeros past column <c>OW</c>: their pixels are then
    /// summed as one run, as the forward pass's wide planes are computed. The caller has checked
    /// <see cref="Handles"/> and the lengths; <see cref="ReduceLanes"/> finishes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightGradient(ReadOnlySpan<float> dz, int filterStride, int rowStride, ReadOnlySpan<float> image, Span<float> laneSums, in WindowGeometry g, int filters, int firstRow, int rows)
    {
        int outWidth = g.OutputWidth, tapRows = TapRows(g);
        if (image.Length < g.InputSize || laneSums.Length < LaneSumLength(g, filters) || rowStride < outWidth || rows < 1 || firstRow < 0 || firstRow + rows > g.OutputHeight
            || dz.Length < ((long)(filters - 1) * filterStride) + ((long)(rows - 1) * rowStride) + outWidth)
        {
            throw new ArgumentException($"Direct convolution gradient spans too short for {g} and {filters} filters.");
        }

        var outHeight = firstRow + rows;
        var bandRows = Math.Clamp(BandPixels / outWidth, 1, rows);
        var wide = rowStride == g.Width;
        Span<nint> filterOffsets = stackalloc nint[FilterBlock];
        Span<nint> tapOffsets = stackalloc nint[TapBlock];
        fixed (float* gradient = dz, x = image, sums = laneSums)
        {
            for (var top = firstRow; top < outHeight; top += bandRows)
            {
                var height = Math.Min(bandRows, outHeight - top);

                // Wide rows make the band one run of pixels, whose only partial vector is its last.
                var (runs, run) = wide ? (1, ((height - 1) * g.Width) + outWidth) : (height, outWidth);
                var vectors = (run + Lanes - 1) / Lanes;
                var tail = Lanes512(run - ((vectors - 1) * Lanes));
                for (var block = 0; block < Blocks(filters); block++)
                {
                    for (var lane = 0; lane < FilterBlock; lane++)
                    {
                        filterOffsets[lane] = ((nint)Math.Min((block * FilterBlock) + lane, filters - 1) * filterStride) + ((nint)(top - firstRow) * rowStride);
                    }

                    for (var tapRow = 0; tapRow < tapRows; tapRow++)
                    {
                        for (var lane = 0; lane < TapBlock; lane++)
                        {
                            var t = Math.Min((tapRow * TapBlock) + lane, g.PatchSize - 1);
                            var (c, rest) = Math.DivRem(t, g.Window * g.Window);
                            var (i, j) = Math.DivRem(rest, g.Window);
                            tapOffsets[lane] = ((nint)c * g.Height * g.Width) + ((nint)(top + i) * g.Width) + j;
                        }

                        var target = sums + ((((nint)block * tapRows) + tapRow) * FilterBlock * TapBlock * Lanes);
                        Gradient8x3(gradient, filterOffsets, rowStride, x, tapOffsets, g.Width, runs, vectors, tail, target);
                    }
                }
            }
        }
    }

    /// <summary>Adds up each weight's 16 lane sums into <paramref name="weightGradient"/> <c>[filters, patch]</c>, or stores them unless <paramref name="accumulate"/>.</summary>
    public static void ReduceLanes(ReadOnlySpan<float> laneSums, Span<float> weightGradient, in WindowGeometry g, int filters, bool accumulate)
    {
        var tapRows = TapRows(g);
        for (var f = 0; f < filters; f++)
        {
            var (block, lane) = Math.DivRem(f, FilterBlock);
            for (var t = 0; t < g.PatchSize; t++)
            {
                var (tapRow, tapLane) = Math.DivRem(t, TapBlock);
                var at = ((((((block * tapRows) + tapRow) * FilterBlock) + lane) * TapBlock) + tapLane) * Lanes;
                var sum = Vector512.Sum(Vector512.Create(laneSums.Slice(at, Lanes)));
                ref var target = ref weightGradient[(f * g.PatchSize) + t];
                target = accumulate ? target + sum : sum;
            }
        }
    }

    private static int Blocks(int filters) => (filters + FilterBlock - 1) / FilterBlock;

    private static int TapRows(in WindowGeometry g) => (g.PatchSize + TapBlock - 1) / TapBlock;

    private static Vector512<float> Lanes512(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>8 filters × 48 wide pixels, all inside the plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8x48(float* x, float* w, in Taps taps, float* y, nint ldy, in Epilogue epilogue)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a30 = default, a31 = default, a32 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a50 = default, a51 = default, a52 = default;
        Vector512<float> a60 = default, a61 = default, a62 = default, a70 = default, a71 = default, a72 = default;
        for (var c = 0; c < taps.Channels; c++)
        {
            for (var i = 0; i < taps.Window; i++)
            {
                var row = x + (c * taps.Plane) + (i * taps.Width);
                for (var j = 0; j < taps.Window; j++, w += FilterBlock)
                {
                    var x0 = Vector512.Load(row + j);
                    var x1 = Vector512.Load(row + j + Lanes);
                    var x2 = Vector512.Load(row + j + (2 * Lanes));
                    var wv = Vector512.Create(w[0]);
                    a00 = Avx512F.FusedMultiplyAdd(wv, x0, a00);
                    a01 = Avx512F.FusedMultiplyAdd(wv, x1, a01);
                    a02 = Avx512F.FusedMultiplyAdd(wv, x2, a02);
                    wv = Vector512.Create(w[1]);
                    a10 = Avx512F.FusedMultiplyAdd(wv, x0, a10);
                    a11 = Avx512F.FusedMultiplyAdd(wv, x1, a11);
                    a12 = Avx512F.FusedMultiplyAdd(wv, x2, a12);
                    wv = Vector512.Create(w[2]);
                    a20 = Avx512F.FusedMultiplyAdd(wv, x0, a20);
                    a21 = Avx512F.FusedMultiplyAdd(wv, x1, a21);
                    a22 = Avx512F.FusedMultiplyAdd(wv, x2, a22);
                    wv = Vector512.Create(w[3]);
                    a30 = Avx512F.FusedMultiplyAdd(wv, x0, a30);
                    a31 = Avx512F.FusedMultiplyAdd(wv, x1, a31);
                    a32 = Avx512F.FusedMultiplyAdd(wv, x2, a32);
                    wv = Vector512.Create(w[4]);
                    a40 = Avx512F.FusedMultiplyAdd(wv, x0, a40);
                    a41 = Avx512F.FusedMultiplyAdd(wv, x1, a41);
                    a42 = Avx512F.FusedMultiplyAdd(wv, x2, a42);
                    wv = Vector512.Create(w[5]);
                    a50 = Avx512F.FusedMultiplyAdd(wv, x0, a50);
                    a51 = Avx512F.FusedMultiplyAdd(wv, x1, a51);
                    a52 = Avx512F.FusedMultiplyAdd(wv, x2, a52);
                    wv = Vector512.Create(w[6]);
                    a60 = Avx512F.FusedMultiplyAdd(wv, x0, a60);
                    a61 = Avx512F.FusedMultiplyAdd(wv, x1, a61);
                    a62 = Avx512F.FusedMultiplyAdd(wv, x2, a62);
                    wv = Vector512.Create(w[7]);
                    a70 = Avx512F.FusedMultiplyAdd(wv, x0, a70);
                    a71 = Avx512F.FusedMultiplyAdd(wv, x1, a71);
                    a72 = Avx512F.FusedMultiplyAdd(wv, x2, a72);
                }
            }
        }

        epilogue.Store3(y, 0, a00, a01, a02);
        epilogue.Store3(y + ldy, 1, a10, a11, a12);
        epilogue.Store3(y + (2 * ldy), 2, a20, a21, a22);
        epilogue.Store3(y + (3 * ldy), 3, a30, a31, a32);
        epilogue.Store3(y + (4 * ldy), 4, a40, a41, a42);
        epilogue.Store3(y + (5 * ldy), 5, a50, a51, a52);
        epilogue.Store3(y + (6 * ldy), 6, a60, a61, a62);
        epilogue.Store3(y + (7 * ldy), 7, a70, a71, a72);
    }

    /// <summary>8 filters × up to 16 wide pixels, those of the lanes set in <paramref name="lanes"/> (the others are neither read nor written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block8x16(float* x, float* w, in Taps taps, float* y, nint ldy, in Epilogue epilogue, Vector512<float> lanes)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (var c = 0; c < taps.Channels; c++)
        {
            for (var i = 0; i < taps.Window; i++)
            {
                var row = x + (c * taps.Plane) + (i * taps.Width);
                for (var j = 0; j < taps.Window; j++, w += FilterBlock)
                {
                    var x0 = Avx512F.MaskLoad(row + j, lanes, default);
                    a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[0]), x0, a0);
                    a1 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[1]), x0, a1);
                    a2 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[2]), x0, a2);
                    a3 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[3]), x0, a3);
                    a4 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[4]), x0, a4);
                    a5 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[5]), x0, a5);
                    a6 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[6]), x0, a6);
                    a7 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[7]), x0, a7);
                }
            }
        }

        Avx512F.MaskStore(y, lanes, epilogue.Apply(a0, 0));
        Avx512F.MaskStore(y + ldy, lanes, epilogue.Apply(a1, 1));
        Avx512F.MaskStore(y + (2 * ldy), lanes, epilogue.Apply(a2, 2));
        Avx512F.MaskStore(y + (3 * ldy), lanes, epilogue.Apply(a3, 3));
        Avx512F.MaskStore(y + (4 * ldy), lanes, epilogue.Apply(a4, 4));
        Avx512F.MaskStore(y + (5 * ldy), lanes, epilogue.Apply(a5, 5));
        Avx512F.MaskStore(y + (6 * ldy), lanes, epilogue.Apply(a6, 6));
        Avx512F.MaskStore(y + (7 * ldy), lanes, epilogue.Apply(a7, 7));
    }

    /// <summary>
    /// 8 filters × 3 taps of one band: 24 vectors of lane sums loaded from <paramref name="sums"/>, every
    /// pixel vector of the band's rows added (the last of each row masked), stored back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gradient8x3(float* dz, ReadOnlySpan<nint> filterOffsets, nint rowStride, float* x, ReadOnlySpan<nint> tapOffsets, nint width, int rows, int vectors, Vector512<float> tail, float* sums)
    {
        var s = sums;
        Vector512<float> a00 = Vector512.Load(s), a01 = Vector512.Load(s + 16), a02 = Vector512.Load(s + 32);
        Vector512<float> a10 = Vector512.Load(s + 48), a11 = Vector512.Load(s + 64), a12 = Vector512.Load(s + 80);
        Vector512<float> a20 = Vector512.Load(s + 96), a21 = Vector512.Load(s + 112), a22 = Vector512.Load(s + 128);
        Vector512<float> a30 = Vector512.Load(s + 144), a31 = Vector512.Load(s + 160), a32 = Vector512.Load(s + 176);
        Vector512<float> a40 = Vector512.Load(s + 192), a41 = Vector512.Load(s + 208), a42 = Vector512.Load(s + 224);
        Vector512<float> a50 = Vector512.Load(s + 240), a51 = Vector512.Load(s + 256), a52 = Vector512.Load(s + 272);
        Vector512<float> a60 = Vector512.Load(s + 288), a61 = Vector512.Load(s + 304), a62 = Vector512.Load(s + 320);
        Vector512<float> a70 = Vector512.Load(s + 336), a71 = Vector512.Load(s + 352), a72 = Vector512.Load(s + 368);
        float* d0 = dz + filterOffsets[0], d1 = dz + filterOffsets[1], d2 = dz + filterOffsets[2], d3 = dz + filterOffsets[3];
        float* d4 = dz + filterOffsets[4], d5 = dz + filterOffsets[5], d6 = dz + filterOffsets[6], d7 = dz + filterOffsets[7];
        float* t0 = x + tapOffsets[0], t1 = x + tapOffsets[1], t2 = x + tapOffsets[2];
        for (var r = 0; r < rows; r++)
        {
            var dRow = r * rowStride;
            var xRow = r * width;
            for (var v = 0; v < vectors; v++)
            {
                var lanes = v == vectors - 1 ? tail : Vector512<float>.AllBitsSet;
                var at = dRow + (v * Lanes);
                var from = xRow + (v * Lanes);
                var x0 = Avx512F.MaskLoad(t0 + from, lanes, default);
                var x1 = Avx512F.MaskLoad(t1 + from, lanes, default);
                var x2 = Avx512F.MaskLoad(t2 + from, lanes, default);
                var g = Avx512F.MaskLoad(d0 + at, lanes, default);
                a00 = Avx512F.FusedMultiplyAdd(g, x0, a00);
                a01 = Avx512F.FusedMultiplyAdd(g, x1, a01);
                a02 = Avx512F.FusedMultiplyAdd(g, x2, a02);
                g = Avx512F.MaskLoad(d1 + at, lanes, default);
                a10 = Avx512F.FusedMultiplyAdd(g, x0, a10);
                a11 = Avx512F.FusedMultiplyAdd(g, x1, a11);
                a12 = Avx512F.FusedMultiplyAdd(g, x2, a12);
                g = Avx512F.MaskLoad(d2 + at, lanes, default);
                a20 = Avx512F.FusedMultiplyAdd(g, x0, a20);
                a21 = Avx512F.FusedMultiplyAdd(g, x1, a21);
                a22 = Avx512F.FusedMultiplyAdd(g, x2, a22);
                g = Avx512F.MaskLoad(d3 + at, lanes, default);
                a30 = Avx512F.FusedMultiplyAdd(g, x0, a30);
                a31 = Avx512F.FusedMultiplyAdd(g, x1, a31);
                a32 = Avx512F.FusedMultiplyAdd(g, x2, a32);
                g = Avx512F.MaskLoad(d4 + at, lanes, default);
                a40 = Avx512F.FusedMultiplyAdd(g, x0, a40);
                a41 = Avx512F.FusedMultiplyAdd(g, x1, a41);
                a42 = Avx512F.FusedMultiplyAdd(g, x2, a42);
                g = Avx512F.MaskLoad(d5 + at, lanes, default);
                a50 = Avx512F.FusedMultiplyAdd(g, x0, a50);
                a51 = Avx512F.FusedMultiplyAdd(g, x1, a51);
                a52 = Avx512F.FusedMultiplyAdd(g, x2, a52);
                g = Avx512F.MaskLoad(d6 + at, lanes, default);
                a60 = Avx512F.FusedMultiplyAdd(g, x0, a60);
                a61 = Avx512F.FusedMultiplyAdd(g, x1, a61);
                a62 = Avx512F.FusedMultiplyAdd(g, x2, a62);
                g = Avx512F.MaskLoad(d7 + at, lanes, default);
                a70 = Avx512F.FusedMultiplyAdd(g, x0, a70);
                a71 = Avx512F.FusedMultiplyAdd(g, x1, a71);
                a72 = Avx512F.FusedMultiplyAdd(g, x2, a72);
            }
        }

        a00.Store(s);
        a01.Store(s + 16);
        a02.Store(s + 32);
        a10.Store(s + 48);
        a11.Store(s + 64);
        a12.Store(s + 80);
        a20.Store(s + 96);
        a21.Store(s + 112);
        a22.Store(s + 128);
        a30.Store(s + 144);
        a31.Store(s + 160);
        a32.Store(s + 176);
        a40.Store(s + 192);
        a41.Store(s + 208);
        a42.Store(s + 224);
        a50.Store(s + 240);
        a51.Store(s + 256);
        a52.Store(s + 272);
        a60.Store(s + 288);
        a61.Store(s + 304);
        a62.Store(s + 320);
        a70.Store(s + 336);
        a71.Store(s + 352);
        a72.Store(s + 368);
    }

    /// <summary>The input's shape as the tap loops walk it.</summary>
    private readonly struct Taps(in WindowGeometry g)
    {
        public readonly int Channels = g.Channels;
        public readonly int Window = g.Window;
        public readonly nint Width = g.Width;
        public readonly nint Plane = (nint)g.Height * g.Width;
    }

    /// <summary>
    /// Bias then ReLU, as <see cref="Kernels.GemmEpilogue{T}"/> applies them to a finished tile (ReLU as
    /// <c>TensorPrimitives.Max(values, 0)</c>: NaN stays NaN, −0 becomes +0).
    /// </summary>
    private readonly ref struct Epilogue(Span<float> bias, bool hasBias, bool relu)
    {
        private readonly Span<float> _bias = bias;
        private readonly bool _hasBias = hasBias;
        private readonly bool _relu = relu;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Apply(Vector512<float> sum, int lane)
        {
            if (_hasBias)
            {
                sum += Vector512.Create(_bias[lane]);
            }

            return _relu ? Vector512.Max(sum, Vector512<float>.Zero) : sum;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store3(float* y, int lane, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2)
        {
            Apply(v0, lane).Store(y);
            Apply(v1, lane).Store(y + Lanes);
            Apply(v2, lane).Store(y + (2 * Lanes));
        }
    }
}
