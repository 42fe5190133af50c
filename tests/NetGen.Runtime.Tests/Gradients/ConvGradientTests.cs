using System;
using NetGen.Kernels;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// Conv2D's and the pooling layers' backward against central finite differences in float64. Each
/// model is a convolution followed by a second layer, driven exactly as generated code drives them:
/// the convolution's activation derivative is applied by the second layer's backward, and a mean
/// squared error seeds the pass.
/// </summary>
public sealed class ConvGradientTests
{
    private const int Batch = 2;
    private const double Tolerance = 1e-6;

    /// <summary>The layer after the convolution under test.</summary>
    public enum Consumer
    {
        Conv,
        MaxPool,
        AvgPool,
        GlobalAverage,
    }

    [Theory]
    [InlineData(7, 5, 2, 3, 3, 1, 0, true, Activation.ReLU)] // valid padding, odd sizes
    [InlineData(7, 5, 2, 3, 3, 2, 0, true, Activation.Tanh)] // stride 2
    [InlineData(6, 5, 1, 2, 3, 1, 1, false, Activation.Sigmoid)] // same padding, no bias
    [InlineData(7, 6, 3, 2, 2, 2, 1, true, Activation.GELU)] // 2×2 kernel, explicit padding, stride 2
    [InlineData(5, 7, 2, 4, 2, 1, 2, true, Activation.LeakyReLU)] // padding wider than half the kernel
    [InlineData(4, 5, 3, 2, 1, 1, 0, true, Activation.None)] // pointwise: no im2col
    [InlineData(9, 8, 2, 3, 3, 3, 1, false, Activation.Tanh)] // stride equal to the kernel
    public void Conv2DThenConv2D(int height, int width, int channels, int filters, int kernel, int stride, int padding, bool bias, Activation activation) =>
        AssertGradientsMatch(new ConvModel(new WindowGeometry(channels, height, width, kernel, stride, padding), filters, activation, bias, Consumer.Conv, 0, 0, seed: 7));

    [Theory]
    [InlineData(7, 5, 2, 3, 3, 1, 0, 1, 1, 2, true, Activation.ReLU)] // more padding after than before (ONNX SAME_UPPER)
    [InlineData(6, 6, 1, 2, 2, 2, 1, 0, 0, 1, false, Activation.Tanh)] // top and right only, stride 2
    [InlineData(8, 7, 2, 2, 3, 1, 2, 0, 1, 0, true, Activation.GELU)] // stride 1 padded on two sides
    public void Conv2DWithUnevenPaddingThenConv2D(int height, int width, int channels, int filters, int kernel, int stride, int top, int left, int bottom, int right, bool bias, Activation activation) =>
        AssertGradientsMatch(new ConvModel(new WindowGeometry(channels, height, width, kernel, stride, top, left, bottom, right), filters, activation, bias, Consumer.Conv, 0, 0, seed: 3));

    [Theory]
    [InlineData(Consumer.MaxPool, 7, 5, 2, 2, 1, 0, 0, 1, true, Activation.Tanh)] // windows hanging over the top and right
    [InlineData(Consumer.MaxPool, 6, 6, 3, 2, 1, 1, 1, 1, true, Activation.None)] // PyTorch's padding = 1
    [InlineData(Consumer.MaxPool, 5, 7, 3, 1, 2, 0, 1, 2, true, Activation.Sigmoid)] // overlapping, uneven
    [InlineData(Consumer.AvgPool, 7, 5, 2, 2, 1, 0, 0, 1, true, Activation.Tanh)]
    [InlineData(Consumer.AvgPool, 7, 5, 2, 2, 1, 0, 0, 1, false, Activation.Tanh)]
    [InlineData(Consumer.AvgPool, 6, 6, 3, 2, 1, 1, 1, 1, false, Activation.GELU)]
    [InlineData(Consumer.AvgPool, 5, 7, 3, 1, 2, 0, 1, 2, false, Activation.LeakyReLU)]
    [InlineData(Consumer.AvgPool, 5, 7, 3, 1, 2, 0, 1, 2, true, Activation.ReLU)]
    public void Conv2DThenPaddedPooling(Consumer consumer, int height, int width, int pool, int stride, int top, int left, int bottom, int right, bool countIncludePad, Activation activation) =>
        AssertGradientsMatch(new ConvModel(new WindowGeometry(2, height, width, 3, 1, 1), 3, activation, true, consumer, pool, stride, seed: 17, [top, left, bottom, right], countIncludePad));

    [Theory]
    [InlineData(Consumer.MaxPool, 7, 5, 2, 1, Activation.Tanh)] // overlapping windows
    [InlineData(Consumer.MaxPool, 7, 5, 3, 2, Activation.None)] // odd window, stride below it
    [InlineData(Consumer.MaxPool, 8, 7, 2, 3, Activation.Sigmoid)] // stride above the window: skipped pixels
    [InlineData(Consumer.MaxPool, 6, 6, 2, 2, Activation.ReLU)] // the MNIST pattern
    [InlineData(Consumer.AvgPool, 7, 5, 2, 1, Activation.Tanh)]
    [InlineData(Consumer.AvgPool, 7, 5, 3, 2, Activation.GELU)]
    [InlineData(Consumer.AvgPool, 8, 7, 2, 3, Activation.LeakyReLU)]
    [InlineData(Consumer.GlobalAverage, 5, 3, 0, 0, Activation.Sigmoid)]
    [InlineData(Consumer.GlobalAverage, 4, 7, 0, 0, Activation.GELU)]
    public void Conv2DThenPooling(Consumer consumer, int height, int width, int pool, int stride, Activation activation) =>
        AssertGradientsMatch(new ConvModel(new WindowGeometry(2, height, width, 3, 1, 1), 3, activation, true, consumer, pool, stride, seed: 11));

    private static void AssertGradientsMatch(ConvModel model)
    {
        foreach (var (name, values, gradient) in model.Tensors())
        {
            var numeric = FiniteDifferences.Gradient(values, model.Loss);
            var error = FiniteDifferences.RelativeError(gradient, numeric);
            Assert.True(error < Tolerance, $"{name}: relative error {error:E2} ≥ {Tolerance:E0}");
            Assert.Contains(gradient, g => g != 0); // a vanishing gradient would pass trivially
        }
    }

    /// <summary>x → Conv2D(activation) → consumer → mean squared error, all in double.</summary>
    private sealed class ConvModel
    {
        private const int SecondFilters = 2;
        private readonly WindowGeometry _first;
        private readonly WindowGeometry _second;
        private readonly int _filters;
        private readonly Activation _activation;
        private readonly bool _bias;
        private readonly Consumer _consumer;
        private readonly bool _countIncludePad;
        private readonly double[] _x, _w1, _b1, _w2, _b2, _targets;

        public ConvModel(WindowGeometry first, int filters, Activation activation, bool bias, Consumer consumer, int pool, int stride, ulong seed, int[]? poolPads = null, bool countIncludePad = true)
        {
            int[] pads = poolPads ?? [0, 0, 0, 0];
            var random = new SeededRandom(seed);
            _first = first;
            _filters = filters;
            _activation = activation;
            _bias = bias;
            _consumer = consumer;
            _countIncludePad = countIncludePad;
            _second = consumer switch
            {
                Consumer.Conv => new WindowGeometry(filters, first.OutputHeight, first.OutputWidth, 2, 1, 1),
                Consumer.GlobalAverage => new WindowGeometry(filters, first.OutputHeight, first.OutputWidth, 1, 1, 0),
                _ => new WindowGeometry(filters, first.OutputHeight, first.OutputWidth, pool, stride, pads[0], pads[1], pads[2], pads[3]),
            };
            _x = FiniteDifferences.Random(Batch * first.InputSize, random);
            _w1 = FiniteDifferences.Random(filters * first.PatchSize, random, 0.8);
            _b1 = FiniteDifferences.Random(filters, random, 0.3);
            _w2 = FiniteDifferences.Random(SecondFilters * _second.PatchSize, random, 0.8);
            _b2 = FiniteDifferences.Random(SecondFilters, random, 0.3);
            _targets = FiniteDifferences.Random(Batch * OutputSize, random);
        }

        private int HiddenSize => _filters * _first.OutputPlane;

        private int OutputSize => _consumer switch
        {
            Consumer.Conv => SecondFilters * _second.OutputPlane,
            Consumer.GlobalAverage => _filters,
            _ => _filters * _second.OutputPlane,
        };

        public double Loss() => Run(null);

        public (string, double[], double[])[] Tensors()
        {
            var g = new Gradients(_x.Length, _w1.Length, _b1.Length, _w2.Length, _b2.Length);
            Run(g);
            var result = new System.Collections.Generic.List<(string, double[], double[])> { ("x", _x, g.X), ("w1", _w1, g.W1) };
            if (_bias)
            {
                result.Add(("b1", _b1, g.B1));
            }

            if (_consumer == Consumer.Conv)
            {
                result.Add(("w2", _w2, g.W2));
                result.Add(("b2", _b2, g.B2));
            }

            return result.ToArray();
        }

        private double Run(Gradients? g)
        {
            var h = new double[Batch * HiddenSize];
            var hPre = new double[Batch * HiddenSize];
            var y = new double[Batch * OutputSize];
            var b1 = _bias ? _b1.AsSpan() : default;
            Conv2D.Forward<double>(_x, _w1, b1, h, hPre, Batch, _first, _filters, _activation);
            switch (_consumer)
            {
                case Consumer.Conv:
                    Conv2D.Forward<double>(h, _w2, _b2, y, default, Batch, _second, SecondFilters, Activation.None);
                    break;
                case Consumer.MaxPool:
                    MaxPool2D.Forward<double>(h, y, Batch, _second);
                    break;
                case Consumer.AvgPool:
                    AvgPool2D.Forward<double>(h, y, Batch, _second, _countIncludePad);
                    break;
                default:
                    GlobalAveragePool2D.Forward<double>(h, y, Batch, _filters, _first.OutputPlane);
                    break;
            }

            var dy = g is null ? null : new double[y.Length];
            var loss = MeanSquaredError.Compute<double>(y, _targets, dy, y.Length);
            if (g is null)
            {
                return loss;
            }

            var saved = Activations.SavesPreActivation(_activation) ? hPre : h;
            var dh = new double[h.Length];
            switch (_consumer)
            {
                case Consumer.Conv:
                    Conv2D.Backward<double>(dy, h, _w2, g.W2, g.B2, dh, Batch, _second, SecondFilters, _activation, saved);
                    break;
                case Consumer.MaxPool:
                    MaxPool2D.Backward<double>(dy, h, dh, Batch, _second, _activation, saved);
                    break;
                case Consumer.AvgPool:
                    AvgPool2D.Backward<double>(dy, dh, Batch, _second, _countIncludePad, _activation, saved);
                    break;
                default:
                    GlobalAveragePool2D.Backward<double>(dy, dh, Batch, _filters, _first.OutputPlane, _activation, saved);
                    break;
            }

            Conv2D.Backward<double>(dh, _x, _w1, g.W1, _bias ? g.B1 : default, g.X, Batch, _first, _filters, Activation.None, default);
            return loss;
        }

        private sealed record Gradients(double[] X, double[] W1, double[] B1, double[] W2, double[] B2)
        {
            public Gradients(int x, int w1, int b1, int w2, int b2)
                : this(new double[x], new double[w1], new double[b1], new double[w2], new double[b2])
            {
            }
        }
    }
}
