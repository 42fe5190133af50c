using System;
using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>
/// A network with frozen features seen as its head, whose inputs are the features: training steps and
/// evaluations start from them, everything else (parameters, gradients, layout, freezing) is the network's
/// own, so the optimizer and callbacks act on the network itself.
/// </summary>
internal sealed class FrozenFeatureHead(IFrozenFeatureNetwork network) : INetwork
{
    public IReadOnlyList<int> InputShape { get; } = [network.FrozenFeatureSize];

    public IReadOnlyList<int> OutputShape => network.OutputShape;

    public int InputSize => network.FrozenFeatureSize;

    public int OutputSize => network.OutputSize;

    public Loss Loss => network.Loss;

    public Activation OutputActivation => network.OutputActivation;

    public Span<float> Parameters => network.Parameters;

    public Span<float> Gradients => network.Gradients;

    public IReadOnlyList<ParameterInfo> ParameterLayout => network.ParameterLayout;

    public Span<float> Buffers => network.Buffers;

    public IReadOnlyList<ParameterInfo> BufferLayout => network.BufferLayout;

    public long TrainingSteps
    {
        get => network.TrainingSteps;
        set => network.TrainingSteps = value;
    }

    public bool ComputeInputGradients
    {
        get => network.ComputeInputGradients;
        set => network.ComputeInputGradients = value;
    }

    public ReadOnlySpan<float> InputGradients => network.InputGradients;

    public IReadOnlyList<ParameterRange> TrainableRanges => network.TrainableRanges;

    public ReadOnlySpan<float> LastOutputs => network.LastOutputs;

    public void SetFrozen(string layer, bool frozen) => network.SetFrozen(layer, frozen);

    public bool IsFrozen(string layer) => network.IsFrozen(layer);

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels) => network.TrainStepFromFeatures(inputs, labels);

    public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Span<float> outputs) => network.EvaluateFromFeatures(inputs, labels, outputs);

    // Fit checks that the network trains on class labels before it caches features, and trains and
    // validates through the two members above only, so the head is never asked for these.
    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs) => throw TakesLabelsOnly();

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets) => throw TakesLabelsOnly();

    public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs) => throw TakesLabelsOnly();

    public string Summary() => network.Summary();

    private InvalidOperationException TakesLabelsOnly() =>
        new($"{network.GetType().Name}'s head on cached features trains and evaluates on class labels only.");
}
