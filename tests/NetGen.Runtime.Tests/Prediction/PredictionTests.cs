using System;
using System.Linq;
using NetGen.Prediction;
using NetGen.Runtime.Tests.Networks;
using NetGen.Runtime.Tests.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Prediction;

/// <summary>A 3-class classifier whose last layer declares the Softmax that its loss absorbs.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 21)]
[Input(4)]
public partial class SoftmaxClassifier
{
    [Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(3, Activation.Softmax)] public partial Dense Output { get; }
}

/// <summary>Predict's contract: probabilities under a cross-entropy loss whatever the last layer declares, raw values for regressors.</summary>
public sealed class PredictionTests
{
    private static readonly float[] Sample = [0.5f, -1.25f, 2f, 0.75f];

    [Fact]
    public void NetworksReportWhatActivationTheirForwardOutputsHaveBeenThrough()
    {
        Assert.Equal(Activation.None, new BlobClassifier().OutputActivation);
        Assert.Equal(Activation.Softmax, new SoftmaxClassifier().OutputActivation);
        Assert.Equal(Activation.None, new LogitBinary().OutputActivation);
        Assert.Equal(Activation.Sigmoid, new SigmoidBinary().OutputActivation);
        Assert.Equal(Activation.Sigmoid, new TestRegressor().OutputActivation);
    }

    [Fact]
    public void LogitsOfASoftmaxClassifierBecomeProbabilities()
    {
        var model = new BlobClassifier();
        var logits = new float[3];
        model.Forward(Sample, logits);

        var probabilities = model.Predict(Sample);

        var expected = Softmax(logits);
        Assert.Equal(expected, probabilities, (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(1f, probabilities.Sum(), 5);
        Assert.Equal(Array.IndexOf(logits, logits.Max()), model.PredictClass(Sample));
    }

    [Fact]
    public void ADeclaredSoftmaxIsNotAppliedTwice()
    {
        var model = new SoftmaxClassifier();
        var forward = new float[3];
        model.Forward(Sample, forward);

        Assert.Equal(forward, model.Predict(Sample));
        Assert.Equal(1f, forward.Sum(), 5);
    }

    [Fact]
    public void BinaryClassifiersPredictTheProbabilityOfClassOne()
    {
        var logit = new LogitBinary();
        var sigmoid = new SigmoidBinary();
        var z = new float[1];
        var p = new float[1];
        logit.Forward(Sample, z);
        sigmoid.Forward(Sample, p);

        Assert.Equal(1 / (1 + MathF.Exp(-z[0])), logit.Predict(Sample)[0], 6);
        Assert.Equal(p[0], sigmoid.Predict(Sample)[0]);
        Assert.Equal(z[0] > 0 ? 1 : 0, logit.PredictClass(Sample));
    }

    [Fact]
    public void RegressorsPredictTheirRawOutputsAndNoClass()
    {
        INetwork model = new TestRegressor();
        var sample = Enumerable.Range(0, model.InputSize).Select(i => i / 10f).ToArray();
        var forward = new float[model.OutputSize];
        model.Forward(sample, forward);

        Assert.Equal(forward, model.Predict(sample));
        var error = Assert.Throws<InvalidOperationException>(() => model.PredictClass(sample));
        Assert.Contains("TestRegressor is a regressor (MeanSquaredError)", error.Message);
    }

    [Fact]
    public void ABatchGivesOneRowPerSampleEqualToPredictingItAlone()
    {
        var model = new BlobClassifier();
        float[] inputs = [.. Sample, .. Sample.Select(x => -x), .. Sample.Select(x => x * 3)];

        var rows = model.PredictBatch(inputs);
        var classes = model.PredictClasses(inputs);

        Assert.Equal(3, rows.GetLength(0));
        Assert.Equal(3, rows.GetLength(1));
        for (var i = 0; i < 3; i++)
        {
            var alone = model.Predict(inputs.AsSpan(i * 4, 4));
            Assert.Equal(alone, Enumerable.Range(0, 3).Select(c => rows[i, c]), (a, b) => Math.Abs(a - b) < 1e-6f);
            Assert.Equal(model.PredictClass(inputs.AsSpan(i * 4, 4)), classes[i]);
        }
    }

    [Fact]
    public void TopKRanksClassesByProbability()
    {
        var model = new BlobClassifier();
        var probabilities = model.Predict(Sample);

        var top = model.PredictTopK(Sample, 3);
        var binary = new LogitBinary().PredictTopK(Sample, 2);

        Assert.Equal(probabilities.Select((p, c) => (c, p)).OrderByDescending(x => x.p).Select(x => x.c), top.Select(t => t.Class));
        Assert.Equal(top.Select(t => probabilities[t.Class]), top.Select(t => t.Probability));
        Assert.Equal(1f, binary.Sum(t => t.Probability), 5);
        Assert.Equal(new LogitBinary().PredictClass(Sample), binary[0].Class);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.PredictTopK(Sample, 4));
    }

    [Fact]
    public void InputsOfTheWrongSizeAreRejectedWithBothSizes()
    {
        var model = new BlobClassifier();

        var sample = Assert.Throws<ArgumentException>(() => model.Predict(new float[5]));
        var batch = Assert.Throws<ArgumentException>(() => model.PredictBatch(new float[10]));

        Assert.Equal("sample", sample.ParamName);
        Assert.Contains("BlobClassifier takes samples of 4 floats, but the sample holds 5", sample.Message);
        Assert.Equal("inputs", batch.ParamName);
        Assert.Contains("the inputs hold 10, which is not a positive whole number of samples", batch.Message);
    }

    private static float[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(z => MathF.Exp(z - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }
}
