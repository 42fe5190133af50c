using System;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>The whole product on real data: the generated MLP learns MNIST from a subset in a few seconds.</summary>
public sealed class MnistEndToEndTests
{
    [MnistFact]
    public void MlpLearnsRealMnistSubsetToOverNinetyPercent()
    {
        var directory = TestData.Require(TestData.MnistDirectory, "MNIST");
        var train = MnistDataset.Load(directory, MnistSplit.Train);
        var test = MnistDataset.Load(directory, MnistSplit.Test);
        var model = new TestMlp();
        var optimizer = new Adam(model, 2e-3f);
        const int samples = 10_000, batch = 64;

        for (var epoch = 0; epoch < 2; epoch++)
        {
            for (var start = 0; start + batch <= samples; start += batch)
            {
                model.TrainStep(train.Images.AsSpan(start * 784, batch * 784), train.Labels.AsSpan(start, batch));
                optimizer.Step(model);
            }
        }

        const int evaluated = 2_000;
        var outputs = new float[evaluated * 10];
        model.Forward(test.Images.AsSpan(0, evaluated * 784), outputs);
        var accuracy = Accuracy.FromOutputs(outputs, test.Labels.AsSpan(0, evaluated), 10);

        Assert.True(accuracy > 0.90, $"test accuracy {accuracy:P2} after 2 epochs on 10,000 images");
    }
}
