using System;
using NetGen.Kernels;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// Dense's backward, with every activation and every loss, against central finite differences in
/// float64. The model is two dense layers driven exactly as generated code drives them: the first
/// layer's activation backward is fused into the second layer's input-gradient product, and the
/// loss (fused with its link where it has one) seeds the pass.
/// </summary>
public sealed class DenseGradientTests
{
    private const int Batch = 3, Inputs = 5, Hidden = 4, Outputs = 3;
    private const double Tolerance = 1e-6;

    // Every member of the enum, so a new activation's derivative is checked without a line here.
    public static TheoryData<Activation> HiddenActivations => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(HiddenActivations))]
    public void EveryHiddenActivationUnderSoftmaxCrossEntropy(Activation activation) =>
        AssertGradientsMatch(new TwoLayerModel(activation, Activation.None, Loss.SoftmaxCrossEntropy, seed: 1));

    [Theory]
    [InlineData(Loss.SoftmaxCrossEntropy, Activation.None)]
    [InlineData(Loss.BinaryCrossEntropy, Activation.None)]
    [InlineData(Loss.MeanSquaredError, Activation.None)]
    [InlineData(Loss.MeanSquaredError, Activation.Sigmoid)]
    [InlineData(Loss.MeanSquaredError, Activation.GELU)]
    [InlineData(Loss.MeanAbsoluteError, Activation.Tanh)]
    [InlineData(Loss.MeanSquaredError, Activation.Softmax)]
    public void EveryLoss(Loss loss, Activation last) =>
        AssertGradientsMatch(new TwoLayerModel(Activation.Tanh, last, loss, seed: 2));

    [Fact]
    public void SoftmaxCrossEntropyWithSoftTargets()
    {
        var model = new TwoLayerModel(Activation.ReLU, Activation.None, Loss.SoftmaxCrossEntropy, seed: 3) { SoftTargets = true };
        AssertGradientsMatch(model);
    }

    [Theory]
    [InlineData(false, 0.1)]
    [InlineData(true, 0.2)]
    [InlineData(false, 1.0)]
    public void SoftmaxCrossEntropyWithLabelSmoothing(bool softTargets, double labelSmoothing)
    {
        var model = new TwoLayerModel(Activation.ReLU, Activation.None, Loss.SoftmaxCrossEntropy, seed: 5) { SoftTargets = softTargets, LabelSmoothing = labelSmoothing };
        AssertGradientsMatch(model);
    }

    [Fact]
    public void LayerWithoutBias()
    {
        var model = new TwoLayerModel(Activation.Sigmoid, Activation.None, Loss.MeanSquaredError, seed: 4) { WithoutBias = true };
        AssertGradientsMatch(model);
    }

    private static void AssertGradientsMatch(TwoLayerModel model)
    {
        var analytic = model.Backward();
        foreach (var (name, values, gradient) in model.Tensors(analytic))
        {
            var numeric = FiniteDifferences.Gradient(values, model.Loss);
            var error = FiniteDifferences.RelativeError(gradient, numeric);
            Assert.True(error < Tolerance, $"{name}: relative error {error:E2} ≥ {Tolerance:E0}");
            Assert.Contains(gradient, g => g != 0); // a vanishing gradient would pass trivially
        }
    }

    /// <summary>x → Dense(Hidden, act1) → Dense(Outputs, act2) → loss, all in double.</summary>
    private sealed class TwoLayerModel
    {
        private readonly Activation _hidden, _last;
        private readonly NetGen.Loss _loss;
        private readonly double[] _x, _w1, _b1, _w2, _b2, _targets;
        private readonly int[] _labels;

        public TwoLayerModel(Activation hidden, Activation last, NetGen.Loss loss, ulong seed)
        {
            var random = new SeededRandom(seed);
            _hidden = hidden;
            _last = last;
            _loss = loss;
            var outputs = loss == NetGen.Loss.BinaryCrossEntropy ? 1 : Outputs;
            OutputCount = outputs;
            _x = FiniteDifferences.Random(Batch * Inputs, random);
            _w1 = FiniteDifferences.Random(Hidden * Inputs, random, 0.8);
            _b1 = FiniteDifferences.Random(Hidden, random, 0.3);
            _w2 = FiniteDifferences.Random(outputs * Hidden, random, 0.8);
            _b2 = FiniteDifferences.Random(outputs, random, 0.3);
            _labels = new int[Batch];
            for (var i = 0; i < Batch; i++)
            {
                _labels[i] = random.NextInt(loss == NetGen.Loss.BinaryCrossEntropy ? 2 : outputs);
            }

            _targets = FiniteDifferences.Random(Batch * outputs, random);
            for (var i = 0; i < _targets.Length; i++)
            {
                _targets[i] = 0.5 + (0.5 * _targets[i]); // in [0, 1], valid for every loss
            }
        }

        public bool SoftTargets { get; init; }

        public double LabelSmoothing { get; init; }

        public bool WithoutBias { get; init; }

        private int OutputCount { get; }

        public double Loss() => Run(backward: false).Loss;

        public (double Loss, double[] Dx, double[] Dw1, double[] Db1, double[] Dw2, double[] Db2) Backward() => Run(backward: true);

        public (string, double[], double[])[] Tensors((double Loss, double[] Dx, double[] Dw1, double[] Db1, double[] Dw2, double[] Db2) g) =>
            WithoutBias
                ? [("x", _x, g.Dx), ("w1", _w1, g.Dw1), ("w2", _w2, g.Dw2)]
                : [("x", _x, g.Dx), ("w1", _w1, g.Dw1), ("b1", _b1, g.Db1), ("w2", _w2, g.Dw2), ("b2", _b2, g.Db2)];

        private (double Loss, double[] Dx, double[] Dw1, double[] Db1, double[] Dw2, double[] Db2) Run(bool backward)
        {
            var n = OutputCount;
            var b1 = WithoutBias ? default : _b1.AsSpan();
            var h = new double[Batch * Hidden];
            var hPre = new double[Batch * Hidden];
            var y = new double[Batch * n];
            var yPre = new double[Batch * n];
            var link = _loss is NetGen.Loss.SoftmaxCrossEntropy or NetGen.Loss.BinaryCrossEntropy;
            var lastInGraph = link ? Activation.None : _last;
            Dense.Forward<double>(_x, _w1, b1, h, hPre, Batch, Inputs, Hidden, _hidden);
            Dense.Forward<double>(h, _w2, _b2, y, yPre, Batch, Hidden, n, lastInGraph);

            var dy = backward ? new double[Batch * n] : null;
            var loss = _loss switch
            {
                NetGen.Loss.SoftmaxCrossEntropy when SoftTargets => SoftmaxCrossEntropy.Compute<double>(y, SoftmaxTargets(), dy, default, Batch, n, LabelSmoothing),
                NetGen.Loss.SoftmaxCrossEntropy => SoftmaxCrossEntropy.Compute<double>(y, _labels, dy, default, Batch, n, LabelSmoothing),
                NetGen.Loss.BinaryCrossEntropy => BinaryCrossEntropy.Compute<double>(y, _labels, dy, Batch),
                NetGen.Loss.MeanSquaredError => MeanSquaredError.Compute<double>(y, _targets, dy, Batch * n),
                _ => MeanAbsoluteError.Compute<double>(y, _targets, dy, Batch * n),
            };

            if (dy is null)
            {
                return (loss, [], [], [], [], []);
            }

            Activations.Backward<double>(lastInGraph, dy, Activations.SavesPreActivation(lastInGraph) ? yPre : y, Batch, n);
            var dh = new double[Batch * Hidden];
            var dw2 = new double[_w2.Length];
            var db2 = new double[_b2.Length];
            Dense.Backward<double>(dy, h, _w2, dw2, db2, dh, Batch, Hidden, n, _hidden, Activations.SavesPreActivation(_hidden) ? hPre : h);
            var dx = new double[_x.Length];
            var dw1 = new double[_w1.Length];
            var db1 = new double[_b1.Length];
            Dense.Backward<double>(dh, _x, _w1, dw1, WithoutBias ? default : db1, dx, Batch, Inputs, Hidden, Activation.None, default);
            return (loss, dx, dw1, db1, dw2, db2);
        }

        private double[] SoftmaxTargets()
        {
            var targets = (double[])_targets.Clone();
            for (var b = 0; b < Batch; b++)
            {
                var row = targets.AsSpan(b * OutputCount, OutputCount);
                var sum = 0.0;
                foreach (var v in row)
                {
                    sum += v;
                }

                foreach (ref var v in row)
                {
                    v /= sum;
                }
            }

            return targets;
        }
    }
}
