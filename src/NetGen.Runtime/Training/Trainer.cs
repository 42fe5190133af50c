using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Losses;
using NetGen.Metrics;
using NetGen.Optimizers;

namespace NetGen.Training;

/// <summary>
/// The training loop: epochs of <see cref="INetwork.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int})"/>
/// and <see cref="Optimizer.Step(INetwork)"/> over a <see cref="DataLoader"/>, validation after
/// each epoch, progress and callbacks, as Keras' <c>fit</c>.
/// </summary>
public static partial class Trainer
{
    /// <summary>
    /// Trains <paramref name="model"/> with <paramref name="optimizer"/> on <paramref name="train"/>
    /// for epochs <see cref="TrainerOptions.InitialEpoch"/> + 1 to <see cref="TrainerOptions.Epochs"/>
    /// (numbered from 1 everywhere: progress, <see cref="History"/>, logs and callbacks), evaluating on
    /// <paramref name="validation"/> after each epoch when given. Epoch <c>n</c> reads
    /// <c>train.Epoch(n − 1)</c>, so a run resumed at <c>InitialEpoch = n − 1</c> sees the same batches.
    /// </summary>
    /// <remarks>
    /// A classifier (softmax or binary cross-entropy) trains on class labels and reports accuracy; a
    /// regressor (MSE, MAE) trains on the float targets of an <see cref="ITargetDataset"/> (such as
    /// <see cref="RegressionDataset"/>) and reports its loss only. Training accuracy is taken from <see cref="INetwork.LastOutputs"/> of each step, so it measures
    /// the parameters before that step's update, as Keras does.
    /// </remarks>
    public static History Fit(INetwork model, Optimizer optimizer, DataLoader train, IDataset? validation, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        CheckFit(model, optimizer, train, validation, options);
        if (options.CacheFrozenFeatures)
        {
            var cache = FrozenFeatureCache.Compute(model, train, validation, options);
            return Fit(cache.Head, optimizer, cache.Train, cache.Validation, options with { CacheFrozenFeatures = false });
        }


        var parallel = DataParallelTraining.For(model, train, options);
        var rank = parallel?.Rank ?? 0;
        // Only rank 0 of a data-parallel run prints; the others would repeat its lines.
        var output = rank != 0 ? TextWriter.Null : options.Output ?? Console.Out;
        var mode = ProgressReporter.Resolve(options.Progress, writerIsConsole: rank == 0 && options.Output is null);
        var history = new History();
        var metricNames = options.Metrics.Select(metric => "val_" + metric.Name).ToArray();
        var context = new TrainingContext(model, optimizer, history, output, metricNames) { Rank = rank };
        var classifier = IsClassifier(model);
        var validator = validation is null || rank != 0 ? null : DatasetEvaluation.EvaluatorFor(model, validation, options.ValidationBatchSize, options.Metrics, nameof(validation));
        var accuracy = classifier ? new AccuracyCounter(model) : null;
        parallel?.StartFromRankZero(model, optimizer);

        foreach (var callback in options.Callbacks)
        {
            callback.OnTrainBegin(context);
        }

        for (var epoch = options.InitialEpoch + 1; epoch <= options.Epochs && context.StopReason is null; epoch++)
        {
            context.Epoch = epoch;
            foreach (var callback in options.Callbacks)
            {
                callback.OnEpochBegin(context);
            }

            var learningRate = optimizer.LearningRate;
            var progress = new ProgressReporter(output, mode, epoch, options.Epochs, train.BatchCount == 0 ? 0 : SamplesPerEpoch(train));
            var (trainLoss, trainAccuracy) = TrainEpoch(context, train, accuracy, progress, options.Callbacks, parallel);
            var validate = context.StopReason is null;
            if (parallel is not null && model.Buffers.Length > 0)
            {
                parallel.AverageBuffers(model);
            }

            var metrics = validate && validation is not null && parallel is not null
                ? SharedValidation(parallel, validator, metricNames, epoch, trainLoss, trainAccuracy, learningRate, progress)
                : LocalValidation(validate ? validator?.Run() : null, epoch, trainLoss, trainAccuracy, learningRate, progress);
            history.Add(metrics);
            progress.EndEpoch(metrics);
            if (context.StopReason is not null)
            {
                break;
            }

            foreach (var callback in options.Callbacks)
            {
                Decide(context, callback, callback.OnEpochEnd(context, metrics));
            }

            parallel?.AgreeOnStop(context);
        }

        return EndTraining(context, options.Callbacks, history, output);
    }

    // After the last epoch or a stop, for both Fit forms: the callbacks' OnTrainEnd, then the stop reason into the history and the output.
    private static History EndTraining(TrainingContext context, IReadOnlyList<ICallback> callbacks, History history, TextWriter output)
    {
        foreach (var callback in callbacks)
        {
            callback.OnTrainEnd(context);
        }

        history.StopReason = context.StopReason;
        if (context.StopReason is not null)
        {
            output.WriteLine(context.StopReason);
        }

        return history;
    }

    private static (double Loss, double? Accuracy) TrainEpoch(TrainingContext context, DataLoader train, AccuracyCounter? accuracy, ProgressReporter progress, IReadOnlyList<ICallback> callbacks, DataParallelTraining? parallel)
    {
        var model = context.Model;
        double lossSum = 0;
        long samples = 0, correct = 0;
        // The loader's shuffle key is the number of epochs done before this one.
        foreach (var batch in train.Epoch(context.Epoch - 1))
        {
            var step = model.TrainingSteps;
            if (parallel is not null)
            {
                model.TrainingSteps = parallel.DropoutStep(step);
            }

            // A data-parallel rank's shard of a short last batch can be empty; it still joins the all-reduce.
            var loss = parallel is not null ? parallel.TrainStep(model, batch, train.GlobalBatchSize(batch.Number), labels: accuracy is not null)
                : batch.Size == 0 ? 0f : accuracy is null ? model.TrainStep(batch.Inputs, batch.Targets) : model.TrainStep(batch.Inputs, batch.Labels);
            var stepCorrect = accuracy is not null && batch.Size > 0 && float.IsFinite(loss) ? accuracy.Correct(model.LastOutputs, batch.Labels) : 0L;
            var (stepLossSum, stepSamples) = ((double)loss * batch.Size, (long)batch.Size);
            if (parallel is not null)
            {
                (stepLossSum, stepSamples, stepCorrect) = parallel.CombineStep(loss, batch.Size, stepCorrect);
                model.TrainingSteps = step + 1;
                loss = (float)(stepLossSum / stepSamples);
            }

            lossSum += stepLossSum;
            samples += stepSamples;
            correct += stepCorrect;
            context.Optimizer.Step(model);
            progress.Update(samples, lossSum / samples, accuracy is null ? null : (double)correct / samples);
            foreach (var callback in callbacks)
            {
                Decide(context, callback, callback.OnBatchEnd(context, batch.Number, loss));
            }

            parallel?.AgreeOnStop(context);
            if (context.StopReason is not null)
            {
                break;
            }
        }

        double? trainAccuracy = accuracy is null ? null : samples == 0 ? double.NaN : (double)correct / samples;
        return (samples == 0 ? double.NaN : lossSum / samples, trainAccuracy);
    }

    private static EpochMetrics LocalValidation(EvaluationResult? validated, int epoch, double trainLoss, double? trainAccuracy, double learningRate, ProgressReporter progress) =>
        new(epoch, trainLoss, trainAccuracy, validated?.Loss, validated?.Accuracy, learningRate, progress.Elapsed.TotalSeconds)
        {
            Metrics = validated is null ? new Dictionary<string, double>() : validated.Metrics.ToDictionary(pair => "val_" + pair.Key, pair => pair.Value),
        };

    /// <summary>Rank 0 validates (every rank holds the same model) and the others receive its results, so callbacks decide alike.</summary>
    private static EpochMetrics SharedValidation(DataParallelTraining parallel, IDatasetEvaluator? validator, IReadOnlyList<string> metricNames, int epoch, double trainLoss, double? trainAccuracy, double learningRate, ProgressReporter progress)
    {
        var (loss, accuracy, metrics) = parallel.ShareValidation(validator?.Run(), metricNames);
        return new EpochMetrics(epoch, trainLoss, trainAccuracy, loss, accuracy, learningRate, progress.Elapsed.TotalSeconds) { Metrics = metrics };
    }

    private static void Decide(TrainingContext context, ICallback callback, CallbackAction action)
    {
        if (action == CallbackAction.Stop)
        {
            context.StopReason ??= $"{callback.GetType().Name} stopped training in epoch {context.Epoch}.";
        }
    }

    private static long SamplesPerEpoch(DataLoader train) =>
        train.Options.LastBatch == LastBatchPolicy.Keep ? train.Dataset.Count : (long)train.BatchCount * train.Options.BatchSize;

    private static void CheckFit(INetwork model, Optimizer optimizer, DataLoader train, IDataset? validation, TrainerOptions options)
    {
        var name = model.GetType().Name;
        if (optimizer.ParameterCount != model.Gradients.Length)
        {
            throw new ArgumentException($"{optimizer.GetType().Name} updates {optimizer.ParameterCount} parameters but {name} trains {model.Gradients.Length}.", nameof(optimizer));
        }

        if (IsClassifier(model))
        {
            DatasetChecks.CheckClassification(model, train.Dataset, nameof(train));
        }
        else
        {
            DatasetChecks.CheckRegression(model, train.Dataset, nameof(train));
        }

        if (options.Epochs < 1 || options.InitialEpoch < 0 || options.InitialEpoch >= options.Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"TrainerOptions.Epochs is {options.Epochs} and InitialEpoch {options.InitialEpoch}; Fit needs 0 <= InitialEpoch < Epochs.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.ValidationBatchSize, 1, "options.ValidationBatchSize");
        if (options.Metrics.Count > 0 && validation is null)
        {
            throw new ArgumentException($"TrainerOptions.Metrics ({string.Join(", ", options.Metrics.Select(m => m.Name))}) are measured on validation data, but Fit was given none; pass a validation dataset (e.g. from dataset.Split).", nameof(validation));
        }
    }

    private static bool IsClassifier(INetwork model) => LossRules.TakesLabels(model.Loss);
}
