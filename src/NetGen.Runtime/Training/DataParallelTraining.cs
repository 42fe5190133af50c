using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Data;
using NetGen.Distributed;
using NetGen.Gpu;
using NetGen.Metrics;
using NetGen.Optimizers;

namespace NetGen.Training;

/// <summary>
/// What <c>Trainer.Fit</c> adds when several processes train one model: a common start,
/// the gradient of the global batch, shared losses, validation results and stop decisions, so
/// every rank takes the same optimizer steps and leaves the loop after the same batch.
/// </summary>
/// <remarks>
/// The averaged gradient is <c>Σ_r (n_r / n) g_r</c>, where rank <c>r</c>'s gradient <c>g_r</c> is the
/// mean over its <c>n_r</c> samples and <c>n</c> is the global batch: exactly the mean over the global
/// batch, up to float summation order, whatever the shards' sizes. Every buffer is preallocated, so a
/// step allocates nothing.
/// </remarks>
internal sealed class DataParallelTraining
{
    private readonly ICommunicator _communicator;
    private readonly GradientBuckets _buckets;
    // Per step: Σ loss × samples, Σ samples, Σ correct.
    private readonly double[] _totals = new double[3];
    // One slot per rank, set by the ranks that want to stop.
    private readonly double[] _stops;

    private DataParallelTraining(ICommunicator communicator, int bucketBytes)
    {
        _communicator = communicator;
        _buckets = new GradientBuckets(communicator, bucketBytes);
        _stops = new double[communicator.Size];
    }

    public int Rank => _communicator.Rank;

    /// <summary>The data-parallel part of a run with <see cref="TrainerOptions.Communicator"/>, or null without one.</summary>
    /// <exception cref="ArgumentException">The loader's shard is not this rank's, or the model lives on a device.</exception>
    public static DataParallelTraining? For(INetwork model, DataLoader train, TrainerOptions options)
    {
        if (options.Communicator is not { } communicator)
        {
            return null;
        }

        var shard = (train.Options.ShardIndex, train.Options.ShardCount);
        if (shard != (communicator.Rank, communicator.Size))
        {
            throw new ArgumentException($"The training DataLoader serves shard {shard.ShardIndex} of {shard.ShardCount} but this process is rank {communicator.Rank} of {communicator.Size}; create it with DataLoaderOptions {{ ShardIndex = {communicator.Rank}, ShardCount = {communicator.Size} }}.", nameof(train));
        }

        if (model is GpuNetwork)
        {
            throw new ArgumentException($"{model.GetType().Name} lives on a device; data-parallel training averages host gradients and runs on the CPU only for now (docs/distributed.md, 'GPUs').", nameof(model));
        }

        if (options.AllReduceBucketBytes < sizeof(float))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.AllReduceBucketBytes, $"TrainerOptions.AllReduceBucketBytes is {options.AllReduceBucketBytes}; a gradient bucket needs at least one float ({sizeof(float)} bytes).");
        }

        return new DataParallelTraining(communicator, options.AllReduceBucketBytes);
    }

    /// <summary>
    /// Gives every rank rank 0's parameters, buffers, step counts, learning rate and optimizer state,
    /// so a run resumed from a checkpoint needs it loaded on rank 0 only, and differently seeded
    /// processes still start as one.
    /// </summary>
    public void StartFromRankZero(INetwork model, Optimizer optimizer)
    {
        _communicator.Broadcast(model.Parameters, "parameters");
        _communicator.Broadcast(model.Buffers, "buffers");
        Span<double> counts = [model.TrainingSteps, optimizer.StepCount, optimizer.LearningRate];
        _communicator.Broadcast(counts, "step counts and learning rate");
        foreach (var state in optimizer.State)
        {
            _communicator.Broadcast(state.Values, "optimizer state " + state.Name);
        }

        optimizer.LoadState((long)counts[1], optimizer.State);
        model.TrainingSteps = (long)counts[0];
        optimizer.LearningRate = (float)counts[2];
    }

    /// <summary>
    /// The dropout step count this rank trains global step <paramref name="step"/> with: distinct for
    /// every (step, rank), so no two ranks draw the same masks, and the step itself for one process.
    /// </summary>
    public long DropoutStep(long step) => (step * _communicator.Size) + _communicator.Rank;

    /// <summary>
    /// Runs this rank's training step on its shard of a global batch of <paramref name="globalSamples"/>
    /// and leaves the global batch's gradient in the model: the gradient buckets are all-reduced while
    /// backward runs where the network announces finished gradients (<see cref="IGradientReadySource"/>),
    /// at its end otherwise. Returns this rank's loss.
    /// </summary>
    public unsafe float TrainStep(INetwork model, Batch batch, int globalSamples, bool labels)
    {
        var source = model as IGradientReadySource;
        // MPI reads and writes the buckets in the background until Finish: the buffer must not move meanwhile.
        fixed (float* pinned = model.Gradients)
        {
            _buckets.Begin(model, (float)((double)batch.Size / globalSamples));
            float loss = 0;
            if (batch.Size == 0)
            {
                // A rank whose shard of a short last batch is empty adds nothing, but joins every bucket's sum.
                model.Gradients.Clear();
            }
            else
            {
                source?.GradientReadyHook = _buckets;
                try
                {
                    loss = labels ? model.TrainStep(batch.Inputs, batch.Labels) : model.TrainStep(batch.Inputs, batch.Targets);
                }
                finally
                {
                    source?.GradientReadyHook = null;
                }
            }

            _buckets.Finish();
            return loss;
        }
    }

    /// <summary>Sums this rank's loss × samples, samples and correct predictions of the step over all ranks.</summary>
    public (double LossSum, long Samples, long Correct) CombineStep(float loss, int samples, long correct)
    {
        _totals[0] = samples == 0 ? 0 : (double)loss * samples;
        _totals[1] = samples;
        _totals[2] = correct;
        _communicator.AllReduceSum(_totals, "losses");
        return (_totals[0], (long)_totals[1], (long)_totals[2]);
    }

    /// <summary>Sets <paramref name="context"/>'s stop reason on every rank once any rank has one, naming the ranks that stopped.</summary>
    public void AgreeOnStop(TrainingContext context)
    {
        Array.Clear(_stops);
        _stops[_communicator.Rank] = context.StopReason is null ? 0 : 1;
        _communicator.AllReduceSum(_stops, "stop decisions");
        if (context.StopReason is null && Array.FindIndex(_stops, IsSet) >= 0)
        {
            var ranks = Enumerable.Range(0, _stops.Length).Where(rank => IsSet(_stops[rank]));
            context.StopReason = $"Rank {string.Join(", ", ranks)} stopped training in epoch {context.Epoch}.";
        }
    }

    /// <summary>Replaces every rank's buffers (BatchNorm running statistics, gathered per rank) with their mean over the ranks.</summary>
    public void AverageBuffers(INetwork model)
    {
        var buffers = model.Buffers;
        _communicator.AllReduceSum(buffers, "buffers");
        Scale(buffers, 1f / _communicator.Size);
    }

    /// <summary>
    /// Rank 0's validation results on every rank (the others pass null): loss, accuracy and
    /// <paramref name="metricNames"/> (the <c>val_</c> names, in order), so callbacks decide alike.
    /// </summary>
    public (double Loss, double? Accuracy, Dictionary<string, double> Metrics) ShareValidation(EvaluationResult? validated, IReadOnlyList<string> metricNames)
    {
        var values = new double[2 + metricNames.Count];
        if (validated is not null)
        {
            values[0] = validated.Loss;
            values[1] = validated.Accuracy ?? double.NaN;
            for (var i = 0; i < metricNames.Count; i++)
            {
                values[2 + i] = validated.Metrics[metricNames[i]["val_".Length..]];
            }
        }

        _communicator.Broadcast(values, "validation results");
        var metrics = metricNames.Select((name, i) => (name, i)).ToDictionary(pair => pair.name, pair => values[2 + pair.i]);
        return (values[0], double.IsNaN(values[1]) ? null : values[1], metrics);
    }

    private static bool IsSet(double stop) => stop != 0;

    private static void Scale(Span<float> values, float factor)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(values, factor, values);
    }
}
