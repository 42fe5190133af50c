using System;
using System.Linq;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// Two masked recurrent layers stacked, as <c>NumLayers = 2</c> with <c>MaskPadding</c> drives them, against central finite
/// differences in float64: x[B, steps, features] → layer 0 returning every step → layer 1 returning every step or the last →
/// Dense → softmax cross-entropy, both layers given the same lengths (5, 2 and 1 of 5 steps), one or both directions. The
/// gradient reaching layer 0 through layer 1 must leave the padded steps alone: their inputs get none.
/// </summary>
public sealed class MaskedStackGradientTests
{
    public enum Cell
    {
        Lstm,
        Gru,
        Rnn,
    }

    private const int Batch = 3, Steps = 5, Features = 3, Hidden = 3, Classes = 4;
    private const double Tolerance = 1e-6;
    private static readonly double[] Lengths = [Steps, 2, 1];

    [Theory]
    [InlineData(Cell.Lstm, false, false)]
    [InlineData(Cell.Lstm, true, false)]
    [InlineData(Cell.Lstm, true, true)]
    [InlineData(Cell.Gru, true, false)]
    [InlineData(Cell.Gru, false, true)]
    [InlineData(Cell.Rnn, true, true)]
    public void MaskedStackMatchesFiniteDifferences(Cell cell, bool bidirectional, bool returnSequences)
    {
        var model = new StackModel(cell, bidirectional, returnSequences, seed: (ulong)(60 + (int)cell + (bidirectional ? 4 : 0) + (returnSequences ? 8 : 0)));
        var analytic = model.Run(backward: true);
        foreach (var (name, values, gradient) in model.Tensors(analytic))
        {
            var numeric = FiniteDifferences.Gradient(values, () => model.Run(backward: false).Loss);
            var error = FiniteDifferences.RelativeError(gradient, numeric);
            Assert.True(error < Tolerance, $"{name}: relative error {error:E2} ≥ {Tolerance:E0}");
            Assert.Contains(gradient, g => g != 0); // a vanishing gradient would pass trivially
        }

        for (var b = 0; b < Batch; b++)
        {
            for (var t = (int)Lengths[b]; t < Steps; t++)
            {
                Assert.All(analytic.X.AsSpan(((b * Steps) + t) * Features, Features).ToArray(), g => Assert.Equal(0, g));
            }
        }
    }

    /// <summary>The two layers' tensors, the classifier's and the input, each with its gradient of the last backward run.</summary>
    private sealed class StackModel(Cell cell, bool bidirectional, bool returnSequences, ulong seed)
    {
        private readonly int _gates = cell switch { Cell.Lstm => 4, Cell.Gru => 3, Cell.Rnn => 1 };
        private readonly SeededRandom _random = new(seed);
        private readonly double[] _x = FiniteDifferences.Random(Batch * Steps * Features, new SeededRandom(seed + 100));
        private readonly int[] _labels = [1, 3, 0];
        private (string Name, double[] Values)[]? _tensors;

        private int Width => (bidirectional ? 2 : 1) * Hidden;

        private int Returned => returnSequences ? Steps * Width : Width;

        public Gradients Run(bool backward)
        {
            var t = _tensors ??= Initialise();
            var y0 = new double[Batch * Steps * Width];
            var y1 = new double[Batch * Returned];
            double[] saved0 = new double[Batch * Saved()], saved1 = new double[Batch * Saved()];
            Forward(_x, t[0].Values, t[1].Values, t[2].Values, t[3].Values, y0, saved0, Features, sequences: true);
            Forward(y0, t[4].Values, t[5].Values, t[6].Values, t[7].Values, y1, saved1, Width, returnSequences);
            var logits = new double[Batch * Classes];
            Dense.Forward<double>(y1, t[8].Values, t[9].Values, logits, default, Batch, Returned, Classes, Activation.None);
            var dLogits = backward ? new double[logits.Length] : null;
            var loss = SoftmaxCrossEntropy.Compute<double>(logits, _labels, dLogits, default, Batch, Classes, 0);
            var g = new Gradients(loss, Array.ConvertAll(t, tensor => new double[tensor.Values.Length]), new double[_x.Length]);
            if (dLogits is null)
            {
                return g;
            }

            var dy1 = new double[y1.Length];
            Dense.Backward<double>(dLogits, y1, t[8].Values, g.Parameters[8], g.Parameters[9], dy1, Batch, Returned, Classes, Activation.None, default);
            var dy0 = new double[y0.Length];
            Backward(dy1, y0, t[4].Values, t[5].Values, saved1, g.Parameters[4..8], dy0, Width, returnSequences);
            Backward(dy0, _x, t[0].Values, t[1].Values, saved0, g.Parameters[0..4], g.X, Features, sequences: true);
            return g;
        }

        public (string, double[], double[])[] Tensors(Gradients g) =>
            [("x", _x, g.X), .. _tensors!.Select((tensor, i) => (tensor.Name, tensor.Values, g.Parameters[i]))];

        private (string, double[])[] Initialise()
        {
            int directions = bidirectional ? 2 : 1, rows = _gates * Hidden;
            (string, double[]) Tensor(string name, int length, double scale) => (name, FiniteDifferences.Random(length, _random, scale));
            return
            [
                Tensor("weight_ih_l0", directions * rows * Features, 0.8), Tensor("weight_hh_l0", directions * rows * Hidden, 0.8), Tensor("bias_ih_l0", directions * rows, 0.5), Tensor("bias_hh_l0", directions * rows, 0.5),
                Tensor("weight_ih_l1", directions * rows * Width, 0.8), Tensor("weight_hh_l1", directions * rows * Hidden, 0.8), Tensor("bias_ih_l1", directions * rows, 0.5), Tensor("bias_hh_l1", directions * rows, 0.5),
                Tensor("classifier.weight", Classes * Returned, 0.8), Tensor("classifier.bias", Classes, 0.3),
            ];
        }

        private int Saved() => cell switch
        {
            Cell.Lstm => LSTM.SavedPerSample(Steps, Hidden, bidirectional),
            Cell.Gru => GRU.SavedPerSample(Steps, Hidden, bidirectional),
            Cell.Rnn => SimpleRNN.SavedPerSample(Steps, Hidden, bidirectional),
        };

        private void Forward(double[] x, double[] wIh, double[] wHh, double[] bIh, double[] bHh, double[] y, double[] saved, int inputs, bool sequences)
        {
            switch (cell)
            {
                case Cell.Lstm:
                    LSTM.Forward<double>(x, wIh, wHh, bIh, bHh, y, saved, Batch, Steps, inputs, Hidden, sequences, bidirectional, Lengths);
                    break;
                case Cell.Gru:
                    GRU.Forward<double>(x, wIh, wHh, bIh, bHh, y, saved, Batch, Steps, inputs, Hidden, sequences, bidirectional, Lengths);
                    break;
                case Cell.Rnn:
                    SimpleRNN.Forward<double>(x, wIh, wHh, bIh, bHh, y, saved, Batch, Steps, inputs, Hidden, sequences, Activation.Tanh, bidirectional, Lengths);
                    break;
            }
        }

        // The layer below produced x with no activation of its own, so dx is the plain product.
        private void Backward(double[] dy, double[] x, double[] wIh, double[] wHh, double[] saved, double[][] gradients, double[] dx, int inputs, bool sequences)
        {
            switch (cell)
            {
                case Cell.Lstm:
                    LSTM.Backward<double>(dy, x, wIh, wHh, saved, gradients[0], gradients[1], gradients[2], gradients[3], dx, Batch, Steps, inputs, Hidden, sequences, Activation.None, default, bidirectional, Lengths);
                    break;
                case Cell.Gru:
                    GRU.Backward<double>(dy, x, wIh, wHh, saved, gradients[0], gradients[1], gradients[2], gradients[3], dx, Batch, Steps, inputs, Hidden, sequences, Activation.None, default, bidirectional, Lengths);
                    break;
                case Cell.Rnn:
                    SimpleRNN.Backward<double>(dy, x, wIh, wHh, saved, gradients[0], gradients[1], gradients[2], gradients[3], dx, Batch, Steps, inputs, Hidden, sequences, Activation.Tanh, Activation.None, default, bidirectional, Lengths);
                    break;
            }
        }
    }

    private sealed record Gradients(double Loss, double[][] Parameters, double[] X);
}
