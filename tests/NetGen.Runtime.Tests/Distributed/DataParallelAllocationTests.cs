using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Distributed;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using NetGen.Runtime.Tests.Training;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Distributed;

/// <summary>A data-parallel step allocates nothing: neither the trainer's exchanges nor MPI's waits.</summary>
[Collection(Networks.TrainingStepAllocationCollection.Name)]
public sealed class DataParallelAllocationTests
{
    [Fact]
    public void A_bucketed_step_combining_it_and_agreeing_on_stops_allocate_nothing()
    {
        var model = new BlobClassifier();
        var optimizer = new Sgd(model, 0.1f);
        var communicator = new LoopbackCommunicator();
        var loader = new DataLoader(new BlobDataset(count: 16, classes: 3, features: 4, seed: 1), new DataLoaderOptions { BatchSize = 8, ShardIndex = 0, ShardCount = 2 });
        // 64-byte buckets: the gradient all-reduces start from the hook inside backward.
        var parallel = DataParallelTraining.For(model, loader, new TrainerOptions { Epochs = 1, Communicator = communicator, AllReduceBucketBytes = 64 })!;
        var context = new TrainingContext(model, optimizer, new History(), TextWriter.Null);
        var batch = loader.Epoch(0).First();
        parallel.TrainStep(model, batch, globalSamples: 8, labels: true);
        parallel.CombineStep(1f, 4, 2);
        parallel.AgreeOnStop(context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 5; step++)
        {
            parallel.TrainStep(model, batch, globalSamples: 8, labels: true);
            parallel.CombineStep(1f, 4, 2);
            parallel.AgreeOnStop(context);
            model.TrainingSteps = parallel.DropoutStep(step);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [MpichFact]
    public void An_mpi_rank_alone_is_rank_0_of_1_keeps_its_values_and_exchanges_without_allocating()
    {
        using var communicator = MpiCommunicator.Initialize(TimeSpan.FromSeconds(30));
        Assert.Equal((0, 1), (communicator.Rank, communicator.Size));
        // Pinned: a started all-reduce reads and writes it in the background.
        var floats = GC.AllocateArray<float>(3, pinned: true);
        float[] initial = [1.5f, -2f, 3f];
        initial.CopyTo(floats, 0);
        double[] doubles = [0.25, 7];
        Exchange(communicator, floats, doubles);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 20; step++)
        {
            Exchange(communicator, floats, doubles);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal([1.5f, -2f, 3f], floats);
        Assert.Equal([0.25, 7], doubles);
        var again = Assert.Throws<InvalidOperationException>(() => MpiCommunicator.Initialize());
        Assert.StartsWith("MPI was already initialised in this process", again.Message, StringComparison.Ordinal);
    }

    private static void Exchange(MpiCommunicator communicator, float[] floats, double[] doubles)
    {
        communicator.StartAllReduceSum(floats, "floats");
        communicator.WaitForStarted();
        communicator.AllReduceSum(floats, "floats");
        communicator.Broadcast(floats, "floats");
        communicator.AllReduceSum(doubles, "doubles");
        communicator.Broadcast(doubles, "doubles");
    }

    /// <summary>Rank 0 of 2 whose partner contributes zeros: the collectives leave the values as they are.</summary>
    private sealed class LoopbackCommunicator : ICommunicator
    {
        public int Rank => 0;

        public int Size => 2;

        public void Broadcast(Span<float> values, string what)
        {
        }

        public void Broadcast(Span<double> values, string what)
        {
        }

        public void AllReduceSum(Span<float> values, string what)
        {
        }

        public void AllReduceSum(Span<double> values, string what)
        {
        }
    }
}
