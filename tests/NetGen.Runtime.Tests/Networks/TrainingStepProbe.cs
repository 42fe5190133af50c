using System;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>Measures what a generated network's training step allocates once its buffers are planned.</summary>
internal static class TrainingStepProbe
{
    /// <summary>Random inputs in [0, 1) and labels in [0, classes) for a batch, from a fixed seed.</summary>
    public static (float[] Inputs, int[] Labels) RandomBatch(INetwork model, int batch, int classes)
    {
        var random = new SeededRandom(1);
        var inputs = new float[batch * model.InputSize];
        var labels = new int[batch];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextSingle();
        }

        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = random.NextInt(classes);
        }

        return (inputs, labels);
    }

    /// <summary>Bytes allocated by <paramref name="steps"/> training steps after two warm-up steps (which plan the buffers).</summary>
    public static long AllocatedBytes(INetwork model, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int steps = 5)
    {
        model.TrainStep(inputs, labels);
        model.TrainStep(inputs, labels);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < steps; step++)
        {
            model.TrainStep(inputs, labels);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
