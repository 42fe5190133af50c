using System;
using NetGen.Kernels;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// The recurrent layers' backward through time (LSTM, GRU, SimpleRNN with tanh and ReLU) against central finite differences in
/// float64. The model is a per-step Dense (its activation's derivative fused into the recurrent
/// layer's input-gradient product, as generated code drives it), the recurrent layer returning every
/// step or the last, a Dense classifier over what it returns, and softmax cross-entropy. Each cell also
/// bidirectional (both directions' tensors checked) and over a padded batch (lengths 5, 2 and 1 of 5
/// steps: the padded steps' inputs must get no gradient, their outputs must be zero).
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
    public void BackwardThroughTimeMatchesFiniteDifferences(Cell cell, int steps, bool returnSequences, Activation producer) =>
        CheckGradients(new SequenceModel(cell, steps, returnSequences, producer, seed: (ulong)(steps + (returnSequences ? 10 : 0))), steps);

    [Theory]
    [InlineData(Cell.Lstm, 4, false, Activation.Tanh)]
    [InlineData(Cell.Lstm, 4, true, Activation.None)]
    [InlineData(Cell.Lstm, 1, false, Activation.Sigmoid)]
    [InlineData(Cell.Gru, 4, false, Activation.Tanh)]
    [InlineData(Cell.Gru, 3, true, Activation.Softmax)]
    [InlineData(Cell.RnnTanh, 4, true, Activation.Tanh)]
    [InlineData(Cell.RnnRelu, 4, false, Activation.None)]
    public void BidirectionalBackwardMatchesFiniteDifferences(Cell cell, int steps, bool returnSequences, Activation producer) =>
        CheckGradients(new SequenceModel(cell, steps, returnSequences, producer, seed: (ulong)(steps + (returnSequences ? 30 : 20))) { Bidirectional = true }, steps);

    [Theory]
    [InlineData(Cell.Lstm, false, false)]
    [InlineData(Cell.Lstm, true, false)]
    [InlineData(Cell.Lstm, false, true)]
    [InlineData(Cell.Lstm, true, true)]
    [InlineData(Cell.Gru, false, true)]
    [InlineData(Cell.Gru, true, false)]
    [InlineData(Cell.RnnTanh, false, true)]
    [InlineData(Cell.RnnRelu, true, true)]
    public void PaddedBatchMatchesFiniteDifferences(Cell cell, bool returnSequences, bool bidirectional)
    {
        const int Steps = 5;
        var model = new SequenceModel(cell, Steps, returnSequences, Activation.Tanh, seed: (ulong)(40 + (returnSequences ? 1 : 0) + (bidirectional ? 2 : 0))) { Bidirectional = bidirectional, Lengths = [Steps, 2, 1] };
        var analytic = CheckGradients(model, Steps);
        for (var b = 0; b < Batch; b++)
        {
            for (var t = (int)model.Lengths[b]; t < Steps; t++)
            {
                Assert.All(analytic.X.AsSpan(((b * Steps) + t) * Features, Features).ToArray(), g => Assert.Equal(0, g)); // a padded step changes nothing
                if (returnSequences)
                {
                    Assert.All(model.Output.AsSpan(((b * Steps) + t) * model.Width, model.Width).ToArray(), v => Assert.Equal(0, v));
                }
            }
        }
    }

    [Theory]
    [InlineData(0.0, "Sample 1 has length 0: a length must be a whole number of steps from 1 to 5.")]
    [InlineData(6.0, "Sample 1 has length 6: a length must be a whole number of steps from 1 to 5.")]
    [InlineData(2.5, "Sample 1 has length 2.5: a length must be a whole number of steps from 1 to 5.")]
    [InlineData(double.NaN, "Sample 1 has length NaN: a length must be a whole number of steps from 1 to 5.")]
    public void BadLengthIsAnErrorNamingTheSample(double length, string message)
    {
        var model = new SequenceModel(Cell.Gru, 5, false, Activation.None, seed: 50) { Lengths = [5, length, 3] };
        var error = Assert.Throws<ArgumentException>(() => model.Run(backward: false));
        Assert.Equal("lengths", error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    private static Gradients CheckGradients(SequenceModel model, int steps)
    {
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

        return analytic;
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

        public bool Bidirectional { get; init; }

        /// <summary>Per-sample lengths, or empty for every sample's whole sequence.</summary>
        public double[] Lengths { get; init; } = [];

        /// <summary>The recurrent layer's output of the last run.</summary>
        public double[] Output { get; private set; } = [];

        /// <summary>Values per step of the output: both directions' hidden states when bidirectional.</summary>
        public int Width => (Bidirectional ? 2 : 1) * Hidden;

        private int Directions => Bidirectional ? 2 : 1;

        private int Returned => returnSequences ? steps * Width : Width;

        public Gradients Run(bool backward)
        {
            InitialiseOnce();
            int rows = Batch * steps;
            var h0 = new double[rows * Inputs];
            var h0Pre = new double[rows * Inputs];
            Dense.Forward<double>(_x, _w0, _b0, h0, h0Pre, rows, Features, Inputs, producer);
            var y = Output = new double[Batch * Returned];
            var saved = new double[Batch * cell switch
            {
                Cell.Lstm => LSTM.SavedPerSample(steps, Hidden, Bidirectional),
                Cell.Gru => GRU.SavedPerSample(steps, Hidden, Bidirectional),
                Cell.RnnTanh or Cell.RnnRelu => SimpleRNN.SavedPerSample(steps, Hidden, Bidirectional),
            }];
            switch (cell)
            {
                case Cell.Lstm:
                    LSTM.Forward<double>(h0, _wIh, _wHh, _bIh, _bHh, y, saved, Batch, steps, Inputs, Hidden, returnSequences, Bidirectional, Lengths);
                    break;
                case Cell.Gru:
                    GRU.Forward<double>(h0, _wIh, _wHh, _bIh, _bHh, y, saved, Batch, steps, Inputs, Hidden, returnSequences, Bidirectional, Lengths);
                    break;
                case Cell.RnnTanh or Cell.RnnRelu:
                    SimpleRNN.Forward<double>(h0, _wIh, _wHh, _bIh, _bHh, y, saved, Batch, steps, Inputs, Hidden, returnSequences, Nonlinearity, Bidirectional, Lengths);
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
                BIh = new double[_bIh!.Length], BHh = new double[_bHh!.Length], W0 = new double[_w0!.Length], B0 = new double[Inputs], X = new double[_x.Length],
            };
            var dy = new double[y.Length];
            Dense.Backward<double>(dLogits, y, _w1, g.W1, g.B1, dy, Batch, Returned, Classes, Activation.None, default);
            var dh0 = new double[h0.Length];
            var producerSaved = Activations.SavesPreActivation(producer) ? h0Pre : h0;
            switch (cell)
            {
                case Cell.Lstm:
                    LSTM.Backward<double>(dy, h0, _wIh, _wHh, saved, g.WIh, g.WHh, g.BIh, g.BHh, dh0, Batch, steps, Inputs, Hidden, returnSequences, producer, producerSaved, Bidirectional, Lengths);
                    break;
                case Cell.Gru:
                    GRU.Backward<double>(dy, h0, _wIh, _wHh, saved, g.WIh, g.WHh, g.BIh, g.BHh, dh0, Batch, steps, Inputs, Hidden, returnSequences, producer, producerSaved, Bidirectional, Lengths);
                    break;
                case Cell.RnnTanh or Cell.RnnRelu:
                    SimpleRNN.Backward<double>(dy, h0, _wIh, _wHh, saved, g.WIh, g.WHh, g.BIh, g.BHh, dh0, Batch, steps, Inputs, Hidden, returnSequences, Nonlinearity, producer, producerSaved, Bidirectional, Lengths);
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
            _wIh = FiniteDifferences.Random(Directions * _gates * Hidden * Inputs, _random, 0.8);
            _wHh = FiniteDifferences.Random(Directions * _gates * Hidden * Hidden, _random, 0.8);
            _bIh = FiniteDifferences.Random(Directions * _gates * Hidden, _random, 0.5);
            _bHh = FiniteDifferences.Random(Directions * _gates * Hidden, _random, 0.5);
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
