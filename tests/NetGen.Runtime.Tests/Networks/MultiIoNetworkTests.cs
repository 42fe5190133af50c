using System;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Data;
using NetGen.Training;
using NetGen.Runtime.Tests.Gradients;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// A generated network with two inputs and three outputs, each output with its own loss and weight
/// (<see cref="TestMultiIo"/>): the typed TrainStep's gradients against finite differences of the weighted
/// total its Evaluate returns, for every parameter and both inputs; the losses it reports; training both
/// tasks at once; the argument checks; and no allocation per step. One test measures allocation, so the
/// class runs alone.
/// </summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class MultiIoNetworkTests
{
    private const int Batch = 4;

    // float32 end to end, as GraphNetworkTests: measured 1.4e-4 for the parameters, 5.9e-4 for the image and
    // 3.0e-4 for the metadata. A weight left out of a seed, a seed left out, or an output's loss not summed with
    // the gradient of the layer that reads it is off by far more (each fails this test).
    private const double ParameterTolerance = 2e-3;
    private const double InputTolerance = 2e-3;

    [Fact]
    public void GradientsOfTheWeightedTotalMatchFiniteDifferences()
    {
        var (model, batch) = Prepared();
        model.ComputeInputGradients = true;
        model.TrainStep(batch.Image, batch.Metadata, batch.DigitLabels, batch.ScoreTargets, batch.ParityLabels);
        var parameters = FiniteDifferences.Widen(model.Gradients);
        var image = FiniteDifferences.Widen(model.InputGradientsOf(model.Image));
        var metadata = FiniteDifferences.Widen(model.InputGradientsOf(model.Metadata));

        Func<double> total = () => batch.Evaluate(model).Total;
        Assert.True(FiniteDifferences.RelativeError(parameters, FiniteDifferences.Gradient(model.Parameters, total)) < ParameterTolerance);
        Assert.Equal(Batch * TestMultiIo.Layout.ImageSize, image.Length);
        Assert.True(FiniteDifferences.RelativeError(image, FiniteDifferences.Gradient(batch.Image, total)) < InputTolerance);
        Assert.Equal(Batch * TestMultiIo.Layout.MetadataSize, metadata.Length);
        Assert.True(FiniteDifferences.RelativeError(metadata, FiniteDifferences.Gradient(batch.Metadata, total)) < InputTolerance);
    }

    [Fact]
    public void TheTotalIsTheWeightedSumOfTheOutputsLosses()
    {
        var (model, batch) = Prepared();

        var step = model.TrainStep(batch.Image, batch.Metadata, batch.DigitLabels, batch.ScoreTargets, batch.ParityLabels);
        var evaluated = batch.Evaluate(model);

        Assert.Equal(step, evaluated);
        Assert.Equal((1 * step.Digit) + (0.3f * step.Score) + (2 * step.Parity), step.Total, 6);
        Assert.True(step.Digit > 0 && step.Score > 0 && step.Parity > 0);
    }

    [Fact]
    public void ForwardWritesEachOutputAsItsLossReadsIt()
    {
        var (model, batch) = Prepared();
        var digit = new float[Batch * TestMultiIo.Layout.DigitSize];
        var score = new float[Batch * TestMultiIo.Layout.ScoreSize];
        var parity = new float[Batch * TestMultiIo.Layout.ParitySize];

        model.Forward(batch.Image, batch.Metadata, digit, score, parity);

        // The digit's Softmax, absorbed by its loss in training, is applied: rows sum to 1. The parity head
        // declares no activation, so it gives its logit, as a single-output network does; the score is Tanh's.
        for (var b = 0; b < Batch; b++)
        {
            Assert.Equal(1f, digit.AsSpan(b * 4, 4).ToArray().Sum(), 5);
        }

        Assert.Contains(parity, p => p is < 0 or > 1);
        Assert.All(score, s => Assert.InRange(s, -1f, 1f));
    }

    [Fact]
    public void TrainsEveryOutputAtOnce()
    {
        // The digit is the quadrant of the image's bright patch, the score ±0.8 by the signs of the metadata's first
        // two values, the parity the first one's sign (which the score carries): each head must learn its task.
        var model = new TestMultiIo();
        var random = new SeededRandom(3);
        var batch = Batch * 16;
        var image = new float[batch * TestMultiIo.Layout.ImageSize];
        var metadata = new float[batch * TestMultiIo.Layout.MetadataSize];
        var digitLabels = new int[batch];
        var scoreTargets = new float[batch * 2];
        var parityLabels = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            digitLabels[b] = b % 4;
            for (var i = 0; i < TestMultiIo.Layout.ImageSize; i++)
            {
                var row = i % 25 / 5;
                var column = i % 5;
                var quadrant = (row < 3 ? 0 : 2) + (column < 3 ? 0 : 1);
                image[(b * TestMultiIo.Layout.ImageSize) + i] = random.NextUniform(-0.2f, 0.2f) + (quadrant == digitLabels[b] ? 1f : 0f);
            }

            for (var i = 0; i < 3; i++)
            {
                metadata[(b * 3) + i] = random.NextUniform(-1, 1);
            }

            scoreTargets[b * 2] = metadata[b * 3] > 0 ? 0.8f : -0.8f;
            scoreTargets[(b * 2) + 1] = metadata[(b * 3) + 1] > 0 ? 0.8f : -0.8f;
            parityLabels[b] = metadata[b * 3] > 0 ? 1 : 0;
        }

        var adam = new Adam(TestMultiIo.Layout.ParameterCount, learningRate: 0.02f);
        var first = model.TrainStep(image, metadata, digitLabels, scoreTargets, parityLabels);
        adam.Step(model);
        for (var step = 0; step < 600; step++)
        {
            model.TrainStep(image, metadata, digitLabels, scoreTargets, parityLabels);
            adam.Step(model);
        }

        var last = model.Evaluate(image, metadata, digitLabels, scoreTargets, parityLabels, new float[batch * 4], new float[batch * 2], new float[batch]);
        Assert.True(last.Digit < first.Digit / 10, $"digit loss {first.Digit} → {last.Digit}");
        // The score weighs 0.3 in the total, so it is learnt the slowest.
        Assert.True(last.Score < first.Score / 3, $"score loss {first.Score} → {last.Score}");
        Assert.True(last.Parity < first.Parity / 3, $"parity loss {first.Parity} → {last.Parity}");
    }

    [Fact]
    public void EachArgumentIsCheckedByName()
    {
        var (model, batch) = Prepared();
        var digit = new float[Batch * 4];
        var score = new float[Batch * 2];
        var parity = new float[Batch];

        Assert.Equal("metadata", Assert.Throws<ArgumentException>(() => model.Forward(batch.Image, batch.Metadata.AsSpan(1), digit, score, parity)).ParamName);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => model.Forward(batch.Image.AsSpan(1), batch.Metadata, digit, score, parity)).ParamName);
        Assert.Equal("score", Assert.Throws<ArgumentException>(() => model.Forward(batch.Image, batch.Metadata, digit, score.AsSpan(1), parity)).ParamName);
        Assert.Equal("parityLabels", Assert.Throws<ArgumentException>(() => model.TrainStep(batch.Image, batch.Metadata, batch.DigitLabels, batch.ScoreTargets, batch.ParityLabels.AsSpan(1))).ParamName);
        Assert.Equal("scoreTargets", Assert.Throws<ArgumentException>(() => model.TrainStep(batch.Image, batch.Metadata, batch.DigitLabels, new float[3], batch.ParityLabels)).ParamName);
    }

    [Fact]
    public void SingleTensorMembersOfINetworkRefuseNamingTheTypedOnes()
    {
        INetwork model = new TestMultiIo();

        var error = Assert.Throws<NotSupportedException>(() => model.Forward(new float[75], new float[4]));
        Assert.Equal("TestMultiIo names its inputs (image, metadata) and outputs (digit, score, parity): call its typed Forward, TrainStep or Evaluate, and InputGradientsOf for input gradients.", error.Message);
        Assert.Throws<NotSupportedException>(() => model.InputSize);
        Assert.Throws<NotSupportedException>(() => model.Loss);

        // What optimizers and checkpoints use works as for any network.
        Assert.Equal(TestMultiIo.Layout.ParameterCount, model.Parameters.Length);
    }

    [Fact]
    public void CheckpointsAndOptimizersTakeItAsAnyNetwork()
    {
        var (model, batch) = Prepared();
        var adam = new Adam(TestMultiIo.Layout.ParameterCount);
        model.TrainStep(batch.Image, batch.Metadata, batch.DigitLabels, batch.ScoreTargets, batch.ParityLabels);
        adam.Step(model);
        using var directory = new TempDirectory();
        var path = System.IO.Path.Combine(directory.Path, "multiio.safetensors");

        Checkpoint.Save(path, model, adam);
        var restored = new TestMultiIo();
        Checkpoint.Load(path, restored);

        Assert.Equal(model.Parameters.ToArray(), restored.Parameters.ToArray());
        Assert.Equal(batch.Evaluate(model), batch.Evaluate(restored));
    }

    [Fact]
    public void TrainerFitRefusesItNamingTheTypedMethods()
    {
        // Trainer.Fit feeds one input tensor and one set of labels; a network that names several refuses before any step.
        var model = new TestMultiIo();
        var loader = new DataLoader(new SyntheticDataset(8, sampleSize: 53, classCount: 4), new DataLoaderOptions { BatchSize = 4 });

        var error = Assert.Throws<NotSupportedException>(() => Trainer.Fit(model, new Adam(TestMultiIo.Layout.ParameterCount), loader, null, new TrainerOptions { Epochs = 1 }));

        Assert.Contains("call its typed Forward, TrainStep or Evaluate", error.Message);
        Assert.Equal(0, model.TrainingSteps);
    }

    [Fact]
    public void InputGradientsOfAskForTheStepAndOneOfTheNetworksInputs()
    {
        var (model, batch) = Prepared();
        Assert.Throws<InvalidOperationException>(() => model.InputGradientsOf(model.Image).Length);
        var foreign = new TestMultiIo().Image;

        model.ComputeInputGradients = true;
        model.TrainStep(batch.Image, batch.Metadata, batch.DigitLabels, batch.ScoreTargets, batch.ParityLabels);

        Assert.Equal(Batch * 50, model.InputGradientsOf(model.Image).Length);
        // Input tensors describe the class's inputs, so one of another instance is as good.
        Assert.Equal(Batch * 50, model.InputGradientsOf(foreign).Length);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => model.InputGradientsOf(new InputTensor("Image", 0, [2, 5, 5])).Length).ParamName);
        Assert.Equal("Image [*, 2, 5, 5]", model.Image.ToString());
        Assert.Equal(1, model.Metadata.Index);
    }

    [Fact]
    public void TrainingStepAllocatesNothingAfterWarmUp()
    {
        var (model, batch) = Prepared();
        model.ComputeInputGradients = true;
        for (var step = 0; step < 2; step++)
        {
            model.TrainStep(batch.Image, batch.Metadata, batch.DigitLabels, batch.ScoreTargets, batch.ParityLabels);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 5; step++)
        {
            model.TrainStep(batch.Image, batch.Metadata, batch.DigitLabels, batch.ScoreTargets, batch.ParityLabels);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static (TestMultiIo Model, MultiIoBatch Batch) Prepared()
    {
        var random = new SeededRandom(17);
        var batch = new MultiIoBatch(
            Image: Uniform(Batch * TestMultiIo.Layout.ImageSize, random),
            Metadata: Uniform(Batch * TestMultiIo.Layout.MetadataSize, random),
            DigitLabels: [1, 3, 0, 2],
            ScoreTargets: Uniform(Batch * 2, random),
            ParityLabels: [0, 1, 1, 0]);
        return (new TestMultiIo(), batch);
    }

    private static float[] Uniform(int length, SeededRandom random)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.NextUniform(-1, 1);
        }

        return values;
    }

    private sealed record MultiIoBatch(float[] Image, float[] Metadata, int[] DigitLabels, float[] ScoreTargets, int[] ParityLabels)
    {
        public TestMultiIo.Losses Evaluate(TestMultiIo model) =>
            model.Evaluate(Image, Metadata, DigitLabels, ScoreTargets, ParityLabels, new float[Batch * 4], new float[Batch * 2], new float[Batch]);
    }
}
