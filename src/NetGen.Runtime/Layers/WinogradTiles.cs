using System;
using System.Numerics;
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
        var scratch = ConvolutionWorkspace<T>.Rent(weightsSize + (Points * (inChannels + outChannels) * chunk * tiles));
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
            Span<T> d = stackalloc T[Points];
            for (var item = start; item < end; item++)
            {
                var (sample, channel) = Math.DivRem(item, channels);
                if (Outputs)
                {
                    TransformOutputPlane(sample, channel, d);
                }
                else
                {
                    TransformInputPlane(sample, channel, d);
                }
            }
        }

        /// <summary><c>V = Bᵀ d B</c> for every tile of one plane, with Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]; padding reads as zero.</summary>
        private void TransformInputPlane(int sample, int channel, Span<T> d)
        {
            int height = _g.Height, width = _g.Width, tiles = _tileRows * _tileColumns;
            var plane = _input + (((nint)sample * _g.Channels) + channel) * height * width;
            var pointStride = (nint)_g.Channels * _samples * tiles;
            var target = _transformed + ((nint)channel * _samples * tiles) + ((nint)sample * tiles);
            for (var tileRow = 0; tileRow < _tileRows; tileRow++)
            {
                var top = (2 * tileRow) - _g.PadTop;
                for (var tileColumn = 0; tileColumn < _tileColumns; tileColumn++, target++)
                {
                    var left = (2 * tileColumn) - _g.PadLeft;
                    var inside = top >= 0 && top + 4 <= height && left >= 0 && left + 4 <= width;
                    for (var r = 0; r < 4; r++)
                    {
                        var row = top + r;
                        for (var q = 0; q < 4; q++)
                        {
                            var column = left + q;
                            d[(4 * r) + q] = inside || ((uint)row < (uint)height && (uint)column < (uint)width) ? plane[(row * width) + column] : T.Zero;
                        }
                    }

                    for (var q = 0; q < 4; q++)
                    {
                        T d0 = d[q], d1 = d[4 + q], d2 = d[8 + q], d3 = d[12 + q];
                        (d[q], d[4 + q], d[8 + q], d[12 + q]) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
                    }

                    for (var r = 0; r < 4; r++)
                    {
                        T t0 = d[4 * r], t1 = d[(4 * r) + 1], t2 = d[(4 * r) + 2], t3 = d[(4 * r) + 3];
                        var at = target + (4 * r * pointStride);
                        at[0] = t0 - t2;
                        at[pointStride] = t1 + t2;
                        at[2 * pointStride] = t2 - t1;
                        at[3 * pointStride] = t1 - t3;
                    }
                }
            }
        }

        /// <summary><c>Y = Aᵀ M A</c> (+ bias) for every tile of one output plane, with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]; rows and columns past the output are dropped.</summary>
        private void TransformOutputPlane(int sample, int channel, Span<T> m)
        {
            int outHeight = _g.OutputHeight, outWidth = _g.OutputWidth, tiles = _tileRows * _tileColumns;
            var pointStride = (nint)_outChannels * _samples * tiles;
            var source = _products + ((nint)channel * _samples * tiles) + ((nint)sample * tiles);
            var plane = _output + (((nint)sample * _outChannels) + channel) * outHeight * outWidth;
            var bias = _hasBias ? _bias[channel] : T.Zero;
            for (var tileRow = 0; tileRow < _tileRows; tileRow++)
            {
                for (var tileColumn = 0; tileColumn < _tileColumns; tileColumn++, source++)
                {
                    for (var point = 0; point < Points; point++)
                    {
                        m[point] = source[point * pointStride];
                    }

                    var (row, column) = (2 * tileRow, 2 * tileColumn);
                    for (var r = 0; r < 2; r++)
                    {
                        if (row + r >= outHeight)
                        {
                            break;
                        }

                        // Row r of Aᵀ M, then its two columns of (Aᵀ M) A.
                        Span<T> a = [T.Zero, T.Zero, T.Zero, T.Zero];
                        for (var q = 0; q < 4; q++)
                        {
                            a[q] = r == 0 ? m[q] + m[4 + q] + m[8 + q] : m[4 + q] - m[8 + q] - m[12 + q];
                        }

                        var at = plane + ((row + r) * outWidth) + column;
                        at[0] = a[0] + a[1] + a[2] + bias;
                        if (column + 1 < outWidth)
                        {
                            at[1] = a[1] - a[2] - a[3] + bias;
                        }
                    }
                }
            }
        }
    }
}
