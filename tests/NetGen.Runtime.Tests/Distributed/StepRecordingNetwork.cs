using System;
using System.Collections.Generic;

namespace NetGen.Runtime.Tests.Distributed;

/// <summary>A network that notes <see cref="INetwork.TrainingSteps"/> (which seeds dropout masks) as each training step begins.</summary>
internal sealed class StepRecordingNetwork(INetwork inner) : INetwork
{
    public List<long> DropoutSteps { get; } = [];

    public IReadOnlyList<int> InputShape => inner.InputShape;

    public IReadOnlyList<int> OutputShape => inner.OutputShape;

    public int InputSize => inner.InputSize;

    public int OutputSize => inner.OutputSize;

    public Loss Loss => inner.Loss;

    public Activation OutputActivation => inner.OutputActivation;

    public Span<float> Parameters => inner.Parameters;

    public Span<float> Gradients => inner.Gradients;

    public IReadOnlyList<ParameterInfo> ParameterLayout => inner.ParameterLayout;

    public Span<float> Buffers => inner.Buffers;

    public IReadOnlyList<ParameterInfo> BufferLayout => inner.BufferLayout;

    public long TrainingSteps
    {
        get => inner.TrainingSteps;
        set => inner.TrainingSteps = value;
    }

    public bool ComputeInputGradients
    {
        get => inner.ComputeInputGradients;
        set => inner.ComputeInputGradients = value;
    }

    public ReadOnlySpan<float> InputGradients => inner.InputGradients;

    public IReadOnlyList<ParameterRange> TrainableRanges => inner.TrainableRanges;

    public ReadOnlySpan<float> LastOutputs => inner.LastOutputs;

    public void SetFrozen(string layer, bool frozen) => inner.SetFrozen(layer, frozen);

    public bool IsFrozen(string layer) => inner.IsFrozen(layer);

    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs) => inner.Forward(inputs, outputs);

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        DropoutSteps.Add(inner.TrainingSteps);
        return inner.TrainStep(inputs, labels);
    }

    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        DropoutSteps.Add(inner.TrainingSteps);
        return inner.TrainStep(inputs, targets);
    }

    public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Span<float> outputs) => inner.Evaluate(inputs, labels, outputs);

    public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs) => inner.Evaluate(inputs, targets, outputs);

    public string Summary() => inner.Summary();
}
