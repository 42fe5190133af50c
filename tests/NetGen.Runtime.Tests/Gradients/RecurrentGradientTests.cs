using System;
using NetGen.Kernels;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// The recurrent layers' backward through time (LSTM, GRU, SimpleRNN with tanh and ReLU) against central finite differences in
/// float64. The model is a per-step Dense (its activation's derivative fused into the recurrent
/// layer's input-gradient product, as generated code drives it), the recurrent layer returning every
/// step or the last, a Dense classifier over what it returns, and softmax cross-entropy.
/// </summary>
public sealed class RecurrentGradientTests
{
    public enum Cell
    {
        Lstm,
        Gru,
        RnnTanh,
        RnnRelu,
    }

    private const int Batch = 3, Features = 4, Inputs = 5, Hidden = 3, Classes = 4;
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(Cell.Lstm, 4, false, Activation.Tanh)]
    [InlineData(Cell.Lstm, 4, true, Activation.Tanh)]
    [InlineData(Cell.Lstm, 3, false, Activation.ReLU)]
    [InlineData(Cell.Lstm, 3, true, Activation.None)]
    [InlineData(Cell.Lstm, 1, false, Activation.Sigmoid)]
    [InlineData(Cell.Lstm, 5, false, Activation.Softmax)]
    [InlineData(Cell.Gru, 4, false, Activation.Tanh)]
    [InlineData(Cell.Gru, 4, true, Activation.Tanh)]
    [InlineData(Cell.Gru, 3, true, Activation.None)]
    [InlineData(Cell.Gru, 1, false, Activation.Sigmoid)]
    [InlineData(Cell.Gru, 5, false, Activation.Softmax)]
    [InlineData(Cell.RnnTanh, 4, false, Activation.Tanh)]
    [InlineData(Cell.RnnTanh, 4, true, Activation.None)]
    [InlineData(Cell.RnnTanh, 1, false, Activation.Sigmoid)]
    [InlineData(Cell.RnnRelu, 4, false, Activation.Tanh)]
    [InlineData(Cell.RnnRelu, 3, true, Activation.Softmax)]
    public void BackwardThroughTimeMatchesFiniteDifferences(Cell cell, int steps, bool returnSequences, Activation producer)
    {
        var model = new SequenceModel(cell, steps, returnSequences, producer, seed: (ulong)(steps + (returnSequences ? 10 : 0)));
        var analytic = model.Run(backward: true);
        foreach (var (name, values, gradient) in model.Tensors(analytic))
        {
            var numeric = FiniteDifferences.Gradient(values, () => model.Run(backward: false).Loss);
            var error = FiniteDifferences.RelativeError(gradient, numeric);
            Assert.True(error < Tolerance, $"{name}: relative error {error:E2} ≥ {Tolerance:E0}");
            if (steps == 1 && name == "weight_hh_l0")
            {
                Assert.All(gradient, g => Assert.Equal(0, g)); // h_{−1} = 0: cleared, not left stale
            }
            else
            {
                Assert.Contains(gradient, g => g != 0); // a vanishing gradient would pass trivially
            }
        }
    }

    /// <summary>x[B, steps, Features] → Dense(Inputs, act) per step → LSTM or GRU(Hidden) → Dense(Classes) → softmax CE.</summary>
    private sealed class SequenceModel(Cell cell, int steps, bool returnSequences, Activation producer, ulong seed)
    {
        private readonly int _gates = cell switch { Cell.Lstm => 4, Cell.Gru => 3, Cell.RnnTanh or Cell.RnnRelu => 1 };

        private Activation Nonlinearity => cell == Cell.RnnRelu ? Activation.ReLU : Activation.Tanh;

        private readonly SeededRandom _random = new(seed);
        private readonly double[] _x = FiniteDifferences.Random(Batch * steps * Features, new SeededRandom(seed + 100));
        private readonly int[] _labels = [1, 3, 0];

        private double[]? _w0, _b0, _wIh, _wHh, _bIh, _bHh, _w1, _b1;

        private int Returned => returnSequences ? steps * Hidden : Hidden;

        public Gradients Run(bool backward)
        {
            InitialiseOnce();
            int rows = Batch * steps;
            var h0 = new double[rows * Inputs];
            var h0Pre = new double[rows * Inputs];
            Dense.Forward<double>(_x, _w0, _b0, h0, h0Pre, rows, Features, Inputs, producer);
            var y = new double[Batch * Returned];
            var saved = new double[Batch * cell switch
            {
                Cell.Lstm => LSTM.SavedPerSample(steps, Hidden),
                Cell.Gru => GRU.SavedPerSample(steps, Hidden),
                Cell.RnnTanh or Cell.RnnRelu => SimpleRNN.SavedPerSample(steps, Hidden),
            }];
            switch (cell)
            {
                case Cell.Lstm:
                    LSTM.Forward<double>(h0, _wIh, _wHh, _bIh, _bHh, y, saved, Batch, steps, Inputs, Hidden, returnSequences);
                    break;
                case Cell.Gru:
                    GRU.Forward<double>(h0, _wIh, _wHh, _bIh, _bHh, y, saved, Batch, steps, Inputs, Hidden, returnSequences);
                    break;
                case Cell.RnnTanh or Cell.RnnRelu:
                    SimpleRNN.Forward<double>(h0, _wIh, _wHh, _bIh, _bHh, y, saved, Batch, steps, Inputs, Hidden, returnSequences, Nonlinearity);
                    break;
            }

            var logits = new double[Batch * Classes];
            Dense.Forward<double>(y, _w1, _b1, logits, default, Batch, Returned, Classes, Activation.None);
            var dLogits = backward ? new double[logits.Length] : null;
            var loss = SoftmaxCrossEntropy.Compute<double>(logits, _labels, dLogits, default, Batch, Classes, 0);
            if (dLogits is null)
            {
                return new Gradients(loss);
            }

            var g = new Gradients(loss)
            {
                W1 = new double[_w1!.Length], B1 = new double[Classes], WIh = new double[_wIh!.Length], WHh = new double[_wHh!.Length],
                BIh = new double[_gates * Hidden], BHh = new double[_gates * Hidden], W0 = new double[_w0!.Length], B0 = new double[Inputs], X = new double[_x.Length],
            };
            var dy = new double[y.Length];
            Dense.Backward<double>(dLogits, y, _w1, g.W1, g.B1, dy, Batch, Returned, Classes, Activation.None, default);
            var dh0 = new double[h0.Length];
            var producerSaved = Activations.SavesPreActivation(producer) ? h0Pre : h0;
            switch (cell)
            {
                case Cell.Lstm:
                    LSTM.Backward<double>(dy, h0, _wIh, _wHh, saved, g.WIh, g.WHh, g.BIh, g.BHh, dh0, Batch, steps, Inputs, Hidden, returnSequences, producer, producerSaved);
                    break;
                case Cell.Gru:
                    GRU.Backward<double>(dy, h0, _wIh, _wHh, saved, g.WIh, g.WHh, g.BIh, g.BHh, dh0, Batch, steps, Inputs, Hidden, returnSequences, producer, producerSaved);
                    break;
                case Cell.RnnTanh or Cell.RnnRelu:
                    SimpleRNN.Backward<double>(dy, h0, _wIh, _wHh, saved, g.WIh, g.WHh, g.BIh, g.BHh, dh0, Batch, steps, Inputs, Hidden, returnSequences, Nonlinearity, producer, producerSaved);
                    break;
            }

            Dense.Backward<double>(dh0, _x, _w0, g.W0, g.B0, g.X, rows, Features, Inputs, Activation.None, default);
            return g;
        }

        public (string, double[], double[])[] Tensors(Gradients g) =>
        [
            ("x", _x, g.X), ("dense0.weight", _w0!, g.W0), ("dense0.bias", _b0!, g.B0),
            ("weight_ih_l0", _wIh!, g.WIh), ("weight_hh_l0", _wHh!, g.WHh), ("bias_ih_l0", _bIh!, g.BIh), ("bias_hh_l0", _bHh!, g.BHh),
            ("dense1.weight", _w1!, g.W1), ("dense1.bias", _b1!, g.B1),
        ];

        private void InitialiseOnce()
        {
            if (_w0 is not null)
            {
                return;
            }

            _w0 = FiniteDifferences.Random(Inputs * Features, _random, 0.8);
            _b0 = FiniteDifferences.Random(Inputs, _random, 0.3);
            _wIh = FiniteDifferences.Random(_gates * Hidden * Inputs, _random, 0.8);
            _wHh = FiniteDifferences.Random(_gates * Hidden * Hidden, _random, 0.8);
            _bIh = FiniteDifferences.Random(_gates * Hidden, _random, 0.5);
            _bHh = FiniteDifferences.Random(_gates * Hidden, _random, 0.5);
            _w1 = FiniteDifferences.Random(Classes * Returned, _random, 0.8);
            _b1 = FiniteDifferences.Random(Classes, _random, 0.3);
        }
    }

    private sealed record Gradients(double Loss)
    {
        public double[] X { get; init; } = [];
        public double[] W0 { get; init; } = [];
        public double[] B0 { get; init; } = [];
        public double[] WIh { get; init; } = [];
        public double[] WHh { get; init; } = [];
        public double[] BIh { get; init; } = [];
        public double[] BHh { get; init; } = [];
        public double[] W1 { get; init; } = [];
        public double[] B1 { get; init; } = [];
    }
}
