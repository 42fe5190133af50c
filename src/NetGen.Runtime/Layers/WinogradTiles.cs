using System;
using System.Numerics;
using System.Runtime.InteropServices;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// The three steps of Winograd F(2×2, 3×3) over a chunk of samples: every 4×4 input tile (two
/// pixels of overlap with its neighbours) becomes <c>V = Bᵀ d B</c>, scattered into 16 matrices
/// <c>V[ξ][in, tiles]</c>; the weights become <c>U[ξ][out, in] = G g Gᵀ</c>; 16 products
/// <c>M[ξ] = U[ξ] · V[ξ]</c>; each tile's 2×2 output is <c>Aᵀ M A</c> (+ bias). Tiles past the last
/// output row or column (odd output sizes) are computed and dropped. The input and output transforms
/// run on the worker pool by planes; the products thread themselves.
/// </summary>
internal static unsafe class WinogradTiles
{
    /// <summary>Values of transformed inputs and products one chunk of samples may fill (16 MiB of floats).</summary>
    private const int ScratchBudget = 1 << 22;

    /// <summary>Points of the transformed 4×4 tile, each one element-wise product of the algorithm.</summary>
    private const int Points = 16;

    /// <summary>
    /// Correlates the 3×3 kernels with <paramref name="input"/> (<paramref name="batch"/> samples of
    /// <paramref name="g"/>) into <paramref name="output"/> (<c>[batch, outChannels, OH, OW]</c>,
    /// overwritten). <paramref name="weight"/> is <c>[outChannels, in, 3, 3]</c>, or when
    /// <paramref name="flipped"/> <c>[in, outChannels, 3, 3]</c> read turned by 180° (the input gradient).
    /// </summary>
    public static void Convolve<T>(ReadOnlySpan<T> input, int batch, in WindowGeometry g, int outChannels, ReadOnlySpan<T> weight, bool flipped, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inChannels = g.Channels, tiles = ((g.OutputHeight + 1) / 2) * ((g.OutputWidth + 1) / 2);
        var chunk = ChunkSamples(batch, Points * (inChannels + outChannels) * (long)tiles);
        var weightsSize = Points * outChannels * inChannels;
        var scratch = ThreadScratch<ScratchPurpose.ConvolutionColumns, T>.Rent(weightsSize + (Points * (inChannels + outChannels) * chunk * tiles));
        var transformedWeights = scratch[..weightsSize];
        TransformWeights(weight, outChannels, inChannels, flipped, transformedWeights);
        var work = TileWork<T>.Instance;
        fixed (T* source = input, target = output, biasValues = bias, buffer = scratch)
        {
            for (var first = 0; first < batch; first += chunk)
            {
                var samples = Math.Min(chunk, batch - first);
                var width = samples * tiles;
                var transformed = scratch.Slice(weightsSize, Points * inChannels * width);
                var products = scratch.Slice(weightsSize + transformed.Length, Points * outChannels * width);
                work.Prepare(g, outChannels, samples, source + ((nint)first * g.InputSize), buffer + weightsSize, buffer + weightsSize + transformed.Length, biasValues, !bias.IsEmpty, target + ((nint)first * outChannels * g.OutputPlane));
                work.Outputs = false;
                StepParallel.Run(work, StepParallel.Parts(samples * inChannels, Points * tiles));
                for (var point = 0; point < Points; point++)
                {
                    Gemm.Multiply(false, false, outChannels, width, inChannels, transformedWeights.Slice(point * outChannels * inChannels, outChannels * inChannels), transformed.Slice(point * inChannels * width, inChannels * width), products.Slice(point * outChannels * width, outChannels * width), false);
                }

                work.Outputs = true;
                StepParallel.Run(work, StepParallel.Parts(samples * outChannels, Points * tiles));
            }
        }
    }

    /// <summary><c>U[ξ][o, i] = (G g Gᵀ)[ξ]</c> for every kernel <c>g</c>: G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]].</summary>
    private static void TransformWeights<T>(ReadOnlySpan<T> weight, int outChannels, int inChannels, bool flipped, Span<T> transformed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        Span<T> h = stackalloc T[12];
        for (var o = 0; o < outChannels; o++)
        {
            for (var i = 0; i < inChannels; i++)
            {
                var kernel = flipped ? weight.Slice(((i * outChannels) + o) * 9, 9) : weight.Slice(((o * inChannels) + i) * 9, 9);
                for (var q = 0; q < 3; q++)
                {
                    // G g, one kernel column at a time (a flipped kernel read from its far corner).
                    T g0 = Tap(kernel, 0, q, flipped), g1 = Tap(kernel, 1, q, flipped), g2 = Tap(kernel, 2, q, flipped);
                    h[q] = g0;
                    h[3 + q] = (g0 + g1 + g2) * half;
                    h[6 + q] = (g0 - g1 + g2) * half;
                    h[9 + q] = g2;
                }

                for (var r = 0; r < 4; r++)
                {
                    T h0 = h[3 * r], h1 = h[(3 * r) + 1], h2 = h[(3 * r) + 2];
                    var at = (((4 * r) * outChannels) + o) * inChannels + i;
                    var step = outChannels * inChannels;
                    transformed[at] = h0;
                    transformed[at + step] = (h0 + h1 + h2) * half;
                    transformed[at + (2 * step)] = (h0 - h1 + h2) * half;
                    transformed[at + (3 * step)] = h2;
                }
            }
        }
    }

    private static T Tap<T>(ReadOnlySpan<T> kernel, int row, int column, bool flipped) =>
        flipped ? kernel[((2 - row) * 3) + 2 - column] : kernel[(row * 3) + column];

    /// <summary>Samples per chunk: as many as keep a chunk within <see cref="ScratchBudget"/>, spread evenly over the chunks the batch needs.</summary>
    private static int ChunkSamples(int batch, long perSample)
    {
        var most = (int)Math.Clamp(ScratchBudget / perSample, 1, batch);
        var chunks = (batch + most - 1) / most;
        return (batch + chunks - 1) / chunks;
    }

    /// <summary>The input transform by (sample, channel) planes, or the output transform by (sample, output channel) planes.</summary>
    private sealed class TileWork<T> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static TileWork<T>? t_instance;

        private WindowGeometry _g;
        private int _outChannels, _samples, _tileRows, _tileColumns;
        private T* _input, _transformed, _products, _bias, _output;
        private bool _hasBias;

        public static TileWork<T> Instance => t_instance ??= new TileWork<T>();

        /// <summary>Whether the next run transforms the products into outputs rather than the inputs into tiles.</summary>
        public bool Outputs { get; set; }

        public void Prepare(in WindowGeometry g, int outChannels, int samples, T* input, T* transformed, T* products, T* bias, bool hasBias, T* output)
        {
            (_g, _outChannels, _samples, _hasBias) = (g, outChannels, samples, hasBias);
            _input = input;
            _transformed = transformed;
            _products = products;
            _bias = bias;
            _output = output;
            (_tileRows, _tileColumns) = ((g.OutputHeight + 1) / 2, (g.OutputWidth + 1) / 2);
        }

        public void Execute(int part, int partCount)
        {
            var channels = Outputs ? _outChannels : _g.Channels;
            var (start, end) = StepParallel.Range(_samples * channels, part, partCount);
            var length = RowLength(_tileColumns);
            var rows = ThreadScratch<ScratchPurpose.WinogradRows, T>.Rent(2 * Points * length);
            for (var item = start; item < end; item++)
            {
                var (sample, channel) = Math.DivRem(item, channels);
                if (Outputs)
                {
                    TransformOutputPlane(sample, channel, rows, length);
                }
                else
                {
                    TransformInputPlane(sample, channel, rows, length);
                }
            }
        }

        /// <summary>Values per scratch row: a row of tiles and one more (the horizontal step reads one ahead), rounded up to whole vectors, plus one vector of slack for the shifted loads.</summary>
        private static int RowLength(int tileColumns) => ((tileColumns + Vector<T>.Count) / Vector<T>.Count * Vector<T>.Count) + Vector<T>.Count;

        /// <summary>
        /// <c>V = Bᵀ d B</c> for every tile of one plane, with Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]],
        /// a row of tiles at a time and vectorised across it: the four input rows are split into even and
        /// odd columns (tile j starts at column 2j), so both steps of the transform are whole-vector
        /// adds over the tiles; padding reads as zero.
        /// </summary>
        private void TransformInputPlane(int sample, int channel, Span<T> rows, int length)
        {
            int height = _g.Height, width = _g.Width, tiles = _tileRows * _tileColumns;
            var plane = _input + ((((nint)sample * _g.Channels) + channel) * height * width);
            var pointStride = (nint)_g.Channels * _samples * tiles;
            var target = _transformed + ((nint)channel * _samples * tiles) + ((nint)sample * tiles);
            var even = rows[..(4 * length)];
            var odd = rows.Slice(4 * length, 4 * length);
            var points = rows.Slice(8 * length, Points * length);
            for (var tileRow = 0; tileRow < _tileRows; tileRow++, target += _tileColumns)
            {
                for (var r = 0; r < 4; r++)
                {
                    var row = (2 * tileRow) - _g.PadTop + r;
                    Span<T> e = even.Slice(r * length, length), o = odd.Slice(r * length, length);
                    e.Clear();
                    o.Clear();
                    if ((uint)row >= (uint)height)
                    {
                        continue;
                    }

                    var pixels = plane + ((nint)row * width);
                    for (var j = 0; j <= _tileColumns; j++)
                    {
                        var column = (2 * j) - _g.PadLeft;
                        e[j] = (uint)column < (uint)width ? pixels[column] : T.Zero;
                        o[j] = (uint)(column + 1) < (uint)width ? pixels[column + 1] : T.Zero;
                    }
                }

                Vertical(even, length);
                Vertical(odd, length);
                for (var k = 0; k < 4; k++)
                {
                    ReadOnlySpan<T> e = even.Slice(k * length, length), o = odd.Slice(k * length, length);
                    for (var j = 0; j < _tileColumns; j += Vector<T>.Count)
                    {
                        Vector<T> e0 = new(e[j..]), e1 = new(e[(j + 1)..]), o0 = new(o[j..]), o1 = new(o[(j + 1)..]);
                        (e0 - e1).CopyTo(points[(((4 * k) + 0) * length + j)..]);
                        (o0 + e1).CopyTo(points[(((4 * k) + 1) * length + j)..]);
                        (e1 - o0).CopyTo(points[(((4 * k) + 2) * length + j)..]);
                        (o0 - o1).CopyTo(points[(((4 * k) + 3) * length + j)..]);
                    }
                }

                for (var point = 0; point < Points; point++)
                {
                    points.Slice(point * length, _tileColumns).CopyTo(new Span<T>(target + (point * pointStride), _tileColumns));
                }
            }
        }

        /// <summary>Rows 0-3 of <paramref name="rows"/> become Bᵀ times them: (r0 − r2, r1 + r2, r2 − r1, r1 − r3).</summary>
        private static void Vertical(Span<T> rows, int length)
        {
            var v = MemoryMarshal.Cast<T, Vector<T>>(rows[..(4 * length)]);
            var n = length / Vector<T>.Count;
            for (var i = 0; i < n; i++)
            {
                Vector<T> r0 = v[i], r1 = v[n + i], r2 = v[(2 * n) + i], r3 = v[(3 * n) + i];
                (v[i], v[n + i], v[(2 * n) + i], v[(3 * n) + i]) = (r0 - r2, r1 + r2, r2 - r1, r1 - r3);
            }
        }

        /// <summary>
        /// <c>Y = Aᵀ M A</c> (+ bias) for every tile of one output plane, with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]],
        /// a row of tiles at a time and vectorised across it; the even and odd output columns are then
        /// interleaved into the image, rows and columns past the output dropped.
        /// </summary>
        private void TransformOutputPlane(int sample, int channel, Span<T> rows, int length)
        {
            int outHeight = _g.OutputHeight, outWidth = _g.OutputWidth, tiles = _tileRows * _tileColumns;
            var pointStride = (nint)_outChannels * _samples * tiles;
            var source = _products + ((nint)channel * _samples * tiles) + ((nint)sample * tiles);
            var plane = _output + ((((nint)sample * _outChannels) + channel) * outHeight * outWidth);
            var bias = _hasBias ? _bias[channel] : T.Zero;
            var n = length / Vector<T>.Count;
            var m = MemoryMarshal.Cast<T, Vector<T>>(rows[..(Points * length)]);
            var halves = MemoryMarshal.Cast<T, Vector<T>>(rows.Slice(Points * length, 4 * length));
            var columns = rows.Slice(Points * length, 4 * length);
            Span<Vector<T>> a = stackalloc Vector<T>[4];
            for (var tileRow = 0; tileRow < _tileRows; tileRow++, source += _tileColumns)
            {
                for (var point = 0; point < Points; point++)
                {
                    new ReadOnlySpan<T>(source + (point * pointStride), _tileColumns).CopyTo(rows.Slice(point * length, _tileColumns));
                }

                for (var i = 0; i * Vector<T>.Count < _tileColumns; i++)
                {
                    for (var r = 0; r < 2; r++)
                    {
                        // Row r of Aᵀ M for the four tile columns q, then its even and odd outputs.
                        for (var q = 0; q < 4; q++)
                        {
                            Vector<T> m0 = m[(q * n) + i], m1 = m[((4 + q) * n) + i], m2 = m[((8 + q) * n) + i], m3 = m[((12 + q) * n) + i];
                            a[q] = r == 0 ? m0 + m1 + m2 : m1 - m2 - m3;
                        }

                        halves[(2 * r * n) + i] = a[0] + a[1] + a[2];
                        halves[(((2 * r) + 1) * n) + i] = a[1] - a[2] - a[3];
                    }
                }

                for (var r = 0; r < 2 && (2 * tileRow) + r < outHeight; r++)
                {
                    var output = plane + ((nint)((2 * tileRow) + r) * outWidth);
                    ReadOnlySpan<T> evens = columns.Slice(2 * r * length, length), odds = columns.Slice(((2 * r) + 1) * length, length);
                    for (var column = 0; column < outWidth; column++)
                    {
                        output[column] = ((column & 1) == 0 ? evens[column >> 1] : odds[column >> 1]) + bias;
                    }
                }
            }
        }
    }
}
