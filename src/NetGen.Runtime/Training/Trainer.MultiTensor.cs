using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Optimizers;

namespace NetGen.Training;

/// <summary><see cref="Trainer.Fit(IMultiTensorNetwork, Optimizer, TensorLoader, TensorDataset?, TrainerOptions)"/>: Keras' <c>fit</c> with a dict of inputs and a dict of targets.</summary>
public static partial class Trainer
{
    /// <summary>
    /// Trains a network with named inputs and outputs on <paramref name="train"/>'s batches of named
    /// tensors, as the single-tensor <c>Fit</c> does (epochs, progress, validation, callbacks). Each epoch's
    /// <see cref="EpochMetrics.TrainLoss"/> and <see cref="EpochMetrics.ValidationLoss"/> are the weighted totals;
    /// <see cref="EpochMetrics.Metrics"/> holds Keras' per-output names: <c>digit_loss</c> for each output and,
    /// with validation data, <c>val_digit_loss</c> and <c>val_digit_accuracy</c> for outputs trained on labels.
    /// </summary>
    /// <exception cref="ArgumentException">A dataset's tensors are not the network's inputs and outputs (the message names the tensor), or <see cref="TrainerOptions.Metrics"/> are given (they measure one output).</exception>
    /// <exception cref="NotSupportedException"><see cref="TrainerOptions.Communicator"/> is set: data-parallel training takes single-tensor networks only.</exception>
    public static History Fit(IMultiTensorNetwork model, Optimizer optimizer, TensorLoader train, TensorDataset? validation, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        CheckMultiTensorFit(model, optimizer, options);
        var trainBatch = new TensorBatch(model, train.Dataset, train.BatchSize, nameof(train));
        var validator = validation is null ? null : new MultiTensorValidation(model, new TensorBatch(model, validation, options.ValidationBatchSize, nameof(validation)), validation.Count);

        var output = options.Output ?? Console.Out;
        var mode = ProgressReporter.Resolve(options.Progress, writerIsConsole: options.Output is null);
        var history = new History();
        var trainNames = model.Outputs.Select(o => o.Name + "_loss").ToArray();
        var context = new TrainingContext(model, optimizer, history, output, [.. trainNames, .. validator?.Names ?? []]);
        foreach (var callback in options.Callbacks)
        {
            callback.OnTrainBegin(context);
        }

        var outputLosses = new float[model.Outputs.Count];
        var outputLossSums = new double[model.Outputs.Count];
        for (var epoch = options.InitialEpoch + 1; epoch <= options.Epochs && context.StopReason is null; epoch++)
        {
            context.Epoch = epoch;
            foreach (var callback in options.Callbacks)
            {
                callback.OnEpochBegin(context);
            }

            var learningRate = optimizer.LearningRate;
            var progress = new ProgressReporter(output, mode, epoch, options.Epochs, train.Dataset.Count);
            var trainLoss = TrainMultiTensorEpoch(context, train, trainBatch, outputLosses, outputLossSums, progress, options.Callbacks);
            var validated = context.StopReason is null ? validator?.Run() : null;
            var metrics = new Dictionary<string, double>();
            for (var o = 0; o < trainNames.Length; o++)
            {
                metrics[trainNames[o]] = outputLossSums[o];
            }

            foreach (var (name, value) in validated?.PerOutput ?? [])
            {
                metrics[name] = value;
            }

            var epochMetrics = new EpochMetrics(epoch, trainLoss, null, validated?.Loss, null, learningRate, progress.Elapsed.TotalSeconds) { Metrics = metrics };
            history.Add(epochMetrics);
            progress.EndEpoch(epochMetrics);
            if (context.StopReason is not null)
            {
                break;
            }

            foreach (var callback in options.Callbacks)
            {
                Decide(context, callback, callback.OnEpochEnd(context, epochMetrics));
            }
        }

        return EndTraining(context, options.Callbacks, history, output);
    }

    /// <summary>One epoch; returns the mean total loss and leaves each output's mean loss in <paramref name="outputLossSums"/>.</summary>
    private static double TrainMultiTensorEpoch(TrainingContext context, TensorLoader train, TensorBatch batch, float[] outputLosses, double[] outputLossSums, ProgressReporter progress, IReadOnlyList<ICallback> callbacks)
    {
        var model = (IMultiTensorNetwork)context.Model;
        Array.Clear(outputLossSums);
        double lossSum = 0;
        long samples = 0;
        // The loader's shuffle key is the number of epochs done before this one, as DataLoader's.
        var order = train.Order(context.Epoch - 1);
        for (var b = 0; b < train.BatchCount && context.StopReason is null; b++)
        {
            batch.Fill(train.BatchOf(order, b));
            var loss = model.TrainStep(batch, outputLosses);
            for (var o = 0; o < outputLosses.Length; o++)
            {
                outputLossSums[o] += (double)outputLosses[o] * batch.Size;
            }

            lossSum += (double)loss * batch.Size;
            samples += batch.Size;
            context.Optimizer.Step(model);
            progress.Update(samples, lossSum / samples, null);
            // Indexed: foreach over the interface would allocate an enumerator per step.
            for (var c = 0; c < callbacks.Count; c++)
            {
                Decide(context, callbacks[c], callbacks[c].OnBatchEnd(context, b, loss));
            }
        }

        for (var o = 0; o < outputLossSums.Length; o++)
        {
            outputLossSums[o] /= samples;
        }

        return lossSum / samples;
    }

    private static void CheckMultiTensorFit(IMultiTensorNetwork model, Optimizer optimizer, TrainerOptions options)
    {
        var name = model.GetType().Name;
        if (options.Communicator is not null)
        {
            throw new NotSupportedException($"{name} names its inputs and outputs; data-parallel training (TrainerOptions.Communicator) takes single-tensor networks only. Train it on one process.");
        }

        if (optimizer.ParameterCount != model.Gradients.Length)
        {
            throw new ArgumentException($"{optimizer.GetType().Name} updates {optimizer.ParameterCount} parameters but {name} trains {model.Gradients.Length}.", nameof(optimizer));
        }

        if (options.Epochs < 1 || options.InitialEpoch < 0 || options.InitialEpoch >= options.Epochs)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"TrainerOptions.Epochs is {options.Epochs} and InitialEpoch {options.InitialEpoch}; Fit needs 0 <= InitialEpoch < Epochs.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.ValidationBatchSize, 1, "options.ValidationBatchSize");
        if (options.Metrics.Count > 0)
        {
            throw new ArgumentException($"TrainerOptions.Metrics ({string.Join(", ", options.Metrics.Select(m => m.Name))}) measure one output; {name} has several ({string.Join(", ", model.Outputs.Select(o => o.Name))}), whose losses and accuracies History records by name.", nameof(options));
        }
    }

    /// <summary>Validation of a network with several outputs: the weighted total loss, and each output's loss and (for labels) accuracy.</summary>
    private sealed class MultiTensorValidation(IMultiTensorNetwork model, TensorBatch batch, int count)
    {
        private readonly int[] _indices = Enumerable.Range(0, count).ToArray();
        private readonly float[] _outputLosses = new float[model.Outputs.Count];

        /// <summary>The per-output names it measures, in order: <c>val_digit_loss</c>, then <c>val_digit_accuracy</c> for outputs on labels.</summary>
        public string[] Names { get; } = model.Outputs.Select(o => $"val_{o.Name}_loss").Concat(model.Outputs.Where(o => o.TakesLabels).Select(o => $"val_{o.Name}_accuracy")).ToArray();

        public (double Loss, Dictionary<string, double> PerOutput) Run()
        {
            var outputs = model.Outputs;
            var lossSums = new double[outputs.Count];
            var correct = new double[outputs.Count];
            double total = 0;
            for (var start = 0; start < count; start += batch.Capacity)
            {
                batch.Fill(_indices.AsSpan(start, Math.Min(batch.Capacity, count - start)));
                total += (double)model.Evaluate(batch, _outputLosses) * batch.Size;
                for (var o = 0; o < outputs.Count; o++)
                {
                    lossSums[o] += (double)_outputLosses[o] * batch.Size;
                    correct[o] += outputs[o].TakesLabels ? Correct(outputs[o], batch.Output(o), batch.Labels(o)) : 0;
                }
            }

            var perOutput = new Dictionary<string, double>();
            for (var o = 0; o < outputs.Count; o++)
            {
                perOutput[$"val_{outputs[o].Name}_loss"] = lossSums[o] / count;
            }

            foreach (var output in outputs.Where(o => o.TakesLabels))
            {
                perOutput[$"val_{output.Name}_accuracy"] = correct[output.Index] / count;
            }

            return (total / count, perOutput);
        }

        // Evaluate's outputs are probabilities after Softmax or Sigmoid and logits otherwise: argmax either way, 0.5 or 0 for one output.
        private static double Correct(OutputTensor output, ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels) => output.Loss == Loss.SoftmaxCrossEntropy
            ? Math.Round(Accuracy.FromOutputs(outputs, labels, output.Size) * labels.Length)
            : Math.Round(Accuracy.Binary(outputs, labels, output.Activation == Activation.Sigmoid ? 0.5f : 0f) * labels.Length);
    }
}
