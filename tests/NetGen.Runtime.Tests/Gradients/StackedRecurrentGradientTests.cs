using System;
using System.Linq;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// A stacked recurrent layer (<c>NumLayers = 2, Dropout = p</c>) as the generated code runs it, in float64
/// against central finite differences: layer 0 returning every step, the Dropout node's fixed mask, layer 1
/// returning every step or the last, a Dense classifier and softmax cross-entropy; backward in exact
/// reverse order, each input gradient handed down with no activation derivative (the recurrent outputs
/// and the dropout are linear for their reader). Every tensor of both layers and the input within 1e-6. Also
/// both directions, and masked (<c>MaskPadding</c>: both layers given the lengths 4, 2 and 1 of 4 steps, as each
/// finds them from the Embedding's ids): the gradient reaching layer 0 through layer 1 must leave the padded
/// steps alone, so their inputs get none.
/// </summary>
public sealed class StackedRecurrentGradientTests
{
    private const int Batch = 3, Steps = 4, Features = 5, Hidden = 3, Classes = 4;
    private const double Tolerance = 1e-6;
    private static readonly double[] Lengths = [Steps, 2, 1];

    [Theory]
    [InlineData("lstm", 0.0, false)]
    [InlineData("lstm", 0.4, true)]
    [InlineData("gru", 0.4, false)]
    [InlineData("gru", 0.0, true)]
    [InlineData("rnn", 0.4, false)]
    public void BackwardThroughBothLayersMatchesFiniteDifferences(string cell, double dropout, bool returnSequences) =>
        CheckGradients(new StackModel(Cells.Of(cell), dropout, returnSequences, bidirectional: false, lengths: []));

    [Theory]
    [InlineData("lstm", 0.0, false, false)]
    [InlineData("lstm", 0.4, true, true)]
    [InlineData("lstm", 0.0, false, true)]
    [InlineData("gru", 0.4, true, false)]
    [InlineData("gru", 0.0, false, true)]
    [InlineData("rnn", 0.4, true, true)]
    public void MaskedStackMatchesFiniteDifferences(string cell, double dropout, bool returnSequences, bool bidirectional)
    {
        var analytic = CheckGradients(new StackModel(Cells.Of(cell), dropout, returnSequences, bidirectional, Lengths));
        for (var b = 0; b < Batch; b++)
        {
            for (var t = (int)Lengths[b]; t < Steps; t++)
            {
                Assert.All(analytic.X.AsSpan(((b * Steps) + t) * Features, Features).ToArray(), g => Assert.Equal(0, g)); // a padded step changes nothing
            }
        }
    }

    [Fact]
    public void BidirectionalStackMatchesFiniteDifferences() =>
        CheckGradients(new StackModel(Cells.Of("gru"), 0.4, returnSequences: true, bidirectional: true, lengths: []));

    private static Gradients CheckGradients(StackModel model)
    {
        var analytic = model.Run(backward: true);
        foreach (var (name, values, gradient) in model.Tensors(analytic))
        {
            var numeric = FiniteDifferences.Gradient(values, () => model.Run(backward: false).Loss);
            var error = FiniteDifferences.RelativeError(gradient, numeric);
            Assert.True(error < Tolerance, $"{name}: relative error {error:E2} ≥ {Tolerance:E0}");
            Assert.Contains(gradient, g => g != 0); // a vanishing gradient would pass trivially
        }

        return analytic;
    }

    /// <summary>One cell's runtime numerics: gates, saved floats per sample, forward and backward (<c>d</c>: bidirectional, <c>l</c>: the lengths).</summary>
    private sealed record Cells(int Gates, Func<int, int, bool, int> Saved, Cells.ForwardCall Forward, Cells.BackwardCall Backward)
    {
        public delegate void ForwardCall(double[] x, double[] wIh, double[] wHh, double[] bIh, double[] bHh, double[] y, double[] saved, int inputs, bool returnSequences, bool bidirectional, double[] lengths);

        public delegate void BackwardCall(double[] dy, double[] x, double[] wIh, double[] wHh, double[] saved, double[][] gradients, double[] dx, int inputs, bool returnSequences, bool bidirectional, double[] lengths);

        public static Cells Of(string cell) => cell switch
        {
            "lstm" => new(4, LSTM.SavedPerSample,
                (x, wIh, wHh, bIh, bHh, y, s, inputs, r, d, l) => LSTM.Forward<double>(x, wIh, wHh, bIh, bHh, y, s, Batch, Steps, inputs, Hidden, r, d, l),
                (dy, x, wIh, wHh, s, g, dx, inputs, r, d, l) => LSTM.Backward<double>(dy, x, wIh, wHh, s, g[0], g[1], g[2], g[3], dx, Batch, Steps, inputs, Hidden, r, Activation.None, default, d, l)),
            "gru" => new(3, GRU.SavedPerSample,
                (x, wIh, wHh, bIh, bHh, y, s, inputs, r, d, l) => GRU.Forward<double>(x, wIh, wHh, bIh, bHh, y, s, Batch, Steps, inputs, Hidden, r, d, l),
                (dy, x, wIh, wHh, s, g, dx, inputs, r, d, l) => GRU.Backward<double>(dy, x, wIh, wHh, s, g[0], g[1], g[2], g[3], dx, Batch, Steps, inputs, Hidden, r, Activation.None, default, d, l)),
            _ => new(1, SimpleRNN.SavedPerSample,
                (x, wIh, wHh, bIh, bHh, y, s, inputs, r, d, l) => SimpleRNN.Forward<double>(x, wIh, wHh, bIh, bHh, y, s, Batch, Steps, inputs, Hidden, r, Activation.Tanh, d, l),
                (dy, x, wIh, wHh, s, g, dx, inputs, r, d, l) => SimpleRNN.Backward<double>(dy, x, wIh, wHh, s, g[0], g[1], g[2], g[3], dx, Batch, Steps, inputs, Hidden, r, Activation.Tanh, Activation.None, default, d, l)),
        };
    }

    /// <summary>x[B, steps, Features] → cell l0 (every step) → Dropout(p) → cell l1 → Dense(Classes) → softmax CE.</summary>
    private sealed class StackModel
    {
        private readonly Cells _cell;
        private readonly double _dropout;
        private readonly bool _returnSequences, _bidirectional;
        private readonly double[] _x, _lengths;
        private readonly double[][] _layer0, _layer1;
        private readonly double[] _w, _b;
        private readonly int[] _labels = [1, 3, 0];

        public StackModel(Cells cell, double dropout, bool returnSequences, bool bidirectional, double[] lengths)
        {
            (_cell, _dropout, _returnSequences, _bidirectional, _lengths) = (cell, dropout, returnSequences, bidirectional, lengths);
            var random = new SeededRandom(41);
            _x = FiniteDifferences.Random(Batch * Steps * Features, random);
            _layer0 = Layer(random, Features);
            _layer1 = Layer(random, Width);
            _w = FiniteDifferences.Random(Classes * Returned, random, 0.8);
            _b = FiniteDifferences.Random(Classes, random, 0.3);
        }

        /// <summary>Values per step of a layer's output: both directions' hidden states when bidirectional.</summary>
        private int Width => (_bidirectional ? 2 : 1) * Hidden;

        private int Returned => _returnSequences ? Steps * Width : Width;

        private double[][] Layer(SeededRandom random, int inputs)
        {
            var rows = (_bidirectional ? 2 : 1) * _cell.Gates * Hidden;
            return
            [
                FiniteDifferences.Random(rows * inputs, random, 0.8), FiniteDifferences.Random(rows * Hidden, random, 0.8),
                FiniteDifferences.Random(rows, random, 0.5), FiniteDifferences.Random(rows, random, 0.5),
            ];
        }

        public Gradients Run(bool backward)
        {
            int sequence = Batch * Steps * Width;
            double[] h0 = new double[sequence], saved0 = new double[Batch * _cell.Saved(Steps, Hidden, _bidirectional)];
            _cell.Forward(_x, _layer0[0], _layer0[1], _layer0[2], _layer0[3], h0, saved0, Features, true, _bidirectional, _lengths);
            double[] dropped = new double[sequence], mask = new double[sequence];
            Dropout.Forward<double>(h0, dropped, mask, _dropout, Dropout.StreamSeed(networkSeed: 7, layer: 1, step: 0));
            double[] y = new double[Batch * Returned], saved1 = new double[Batch * _cell.Saved(Steps, Hidden, _bidirectional)];
            _cell.Forward(dropped, _layer1[0], _layer1[1], _layer1[2], _layer1[3], y, saved1, Width, _returnSequences, _bidirectional, _lengths);
            var logits = new double[Batch * Classes];
            Dense.Forward<double>(y, _w, _b, logits, default, Batch, Returned, Classes, Activation.None);
            var dLogits = backward ? new double[logits.Length] : null;
            var loss = SoftmaxCrossEntropy.Compute<double>(logits, _labels, dLogits, default, Batch, Classes, 0);
            if (dLogits is null)
            {
                return new Gradients(loss, [], [], [], [], []);
            }

            var g = new Gradients(loss, new double[_x.Length], _layer0.Select(t => new double[t.Length]).ToArray(), _layer1.Select(t => new double[t.Length]).ToArray(), new double[_w.Length], new double[Classes]);
            var dy = new double[y.Length];
            Dense.Backward<double>(dLogits, y, _w, g.W, g.B, dy, Batch, Returned, Classes, Activation.None, default);
            var dDropped = new double[sequence];
            _cell.Backward(dy, dropped, _layer1[0], _layer1[1], saved1, g.Layer1, dDropped, Width, _returnSequences, _bidirectional, _lengths);
            var dh0 = new double[sequence];
            Dropout.Backward<double>(dDropped, mask, dh0, Batch * Steps, Width, Activation.None, default);
            _cell.Backward(dh0, _x, _layer0[0], _layer0[1], saved0, g.Layer0, g.X, Features, true, _bidirectional, _lengths);
            return g;
        }

        public (string, double[], double[])[] Tensors(Gradients g)
        {
            string[] names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"];
            return
            [
                ("x", _x, g.X), .. names.Select((n, i) => (n + "_l0", _layer0[i], g.Layer0[i])), .. names.Select((n, i) => (n + "_l1", _layer1[i], g.Layer1[i])),
                ("classifier.weight", _w, g.W), ("classifier.bias", _b, g.B),
            ];
        }
    }

    private sealed record Gradients(double Loss, double[] X, double[][] Layer0, double[][] Layer1, double[] W, double[] B);
}
