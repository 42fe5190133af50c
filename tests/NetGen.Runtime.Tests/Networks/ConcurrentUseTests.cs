using System;
using System.Collections.Concurrent;
using System.Threading;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>A network instance is not thread-safe; two threads using one at once get a clear error rather than wrong losses.</summary>
public sealed class ConcurrentUseTests
{
    private const string Expected = "TestMlp is already in use by another thread: a network instance is not thread-safe. Use one instance per thread, or lock around its calls.";

    [Fact]
    public void TwoThreadsTrainingOneInstanceGetAClearErrorAndTheInstanceStaysUsable()
    {
        var model = new TestMlp();
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, 64, 10);
        var errors = new ConcurrentQueue<InvalidOperationException>();
        var stop = 0;
        using var start = new Barrier(2);
        void Hammer()
        {
            start.SignalAndWait();
            // Thousands of steps of ~0.1 ms each: the two threads overlap long before the bound.
            for (var step = 0; step < 20_000 && Volatile.Read(ref stop) == 0; step++)
            {
                try
                {
                    model.TrainStep(inputs, labels);
                }
                catch (InvalidOperationException error)
                {
                    errors.Enqueue(error);
                    Volatile.Write(ref stop, 1);
                }
            }
        }

        var threads = new[] { new Thread(Hammer), new Thread(Hammer) };
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.Equal(Expected, error.Message));
        // The thread that was inside released the instance: one thread alone uses it as before.
        var outputs = new float[64 * TestMlp.Layout.OutputSize];
        model.Evaluate(inputs, labels, outputs);
        Assert.True(float.IsFinite(model.TrainStep(inputs, labels)));
    }

    [Fact]
    public void ASecondEntryWhileTheFirstIsOpenThrowsAndTheExitFreesIt()
    {
        var inUse = 0;
        using (ExclusiveUse.Enter(ref inUse, "TestMlp"))
        {
            var error = Assert.Throws<InvalidOperationException>(() =>
            {
                using var second = ExclusiveUse.Enter(ref inUse, "TestMlp");
            });
            Assert.Equal(Expected, error.Message);
        }

        Assert.Equal(0, inUse);
        using (ExclusiveUse.Enter(ref inUse, "TestMlp"))
        {
            Assert.Equal(1, inUse);
        }
    }
}
