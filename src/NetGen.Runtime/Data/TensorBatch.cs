using System;
using System.Linq;

namespace NetGen.Data;

/// <summary>
/// One batch of a <see cref="TensorDataset"/> in a network's order: a buffer per input, per output's
/// labels or targets and per output's predictions, allocated once for the largest batch and refilled by
/// <see cref="Fill"/>, so training steps allocate nothing.
/// </summary>
public sealed class TensorBatch
{
    private readonly float[][] _sourceInputs;
    private readonly int[]?[] _sourceLabels;
    private readonly float[]?[] _sourceTargets;
    private readonly int[] _inputSizes;
    private readonly int[] _outputSizes;
    private readonly float[][] _inputs;
    private readonly int[][] _labels;
    private readonly float[][] _targets;
    private readonly float[][] _outputs;

    /// <summary>Batches of up to <paramref name="capacity"/> samples of <paramref name="dataset"/> for <paramref name="model"/>, after checking that its tensors are the model's (the message names <paramref name="argument"/> and the tensor).</summary>
    public TensorBatch(IMultiTensorNetwork model, TensorDataset dataset, int capacity, string argument = "dataset")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        dataset.CheckFits(model, argument);
        _inputSizes = model.Inputs.Select(i => i.Size).ToArray();
        _outputSizes = model.Outputs.Select(o => o.Size).ToArray();
        _sourceInputs = model.Inputs.Select(i => dataset.Input(i.Name)).ToArray();
        _sourceLabels = model.Outputs.Select(o => o.TakesLabels ? dataset.Labels(o.Name) : null).ToArray();
        _sourceTargets = model.Outputs.Select(o => o.TakesLabels ? null : dataset.Targets(o.Name)).ToArray();
        _inputs = _inputSizes.Select(size => new float[capacity * size]).ToArray();
        _labels = _sourceLabels.Select(labels => labels is null ? [] : new int[capacity]).ToArray();
        _targets = model.Outputs.Select(o => o.TakesLabels ? [] : new float[capacity * o.Size]).ToArray();
        _outputs = _outputSizes.Select(size => new float[capacity * size]).ToArray();
        Capacity = capacity;
    }

    /// <summary>The most samples a batch holds.</summary>
    public int Capacity { get; }

    /// <summary>Samples in the batch now.</summary>
    public int Size { get; private set; }

    /// <summary>Copies the samples at <paramref name="indices"/> (at most <see cref="Capacity"/>) into the batch.</summary>
    public void Fill(ReadOnlySpan<int> indices)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(indices.Length, Capacity, nameof(indices));
        for (var k = 0; k < _inputs.Length; k++)
        {
            CopyRows(_sourceInputs[k], _inputs[k], _inputSizes[k], indices);
        }

        for (var o = 0; o < _outputSizes.Length; o++)
        {
            if (_sourceLabels[o] is { } labels)
            {
                CopyRows(labels, _labels[o], 1, indices);
            }
            else
            {
                CopyRows(_sourceTargets[o]!, _targets[o], _outputSizes[o], indices);
            }
        }

        Size = indices.Length;
    }

    /// <summary>The <paramref name="input"/>th input of the batch, <see cref="Size"/> × its size floats.</summary>
    public ReadOnlySpan<float> Input(int input) => _inputs[input].AsSpan(0, Size * _inputSizes[input]);

    /// <summary>The class labels of the <paramref name="output"/>th output, one per sample; empty for an output trained on targets.</summary>
    public ReadOnlySpan<int> Labels(int output) => _labels[output].AsSpan(0, _labels[output].Length == 0 ? 0 : Size);

    /// <summary>The float targets of the <paramref name="output"/>th output; empty for an output trained on labels.</summary>
    public ReadOnlySpan<float> Targets(int output) => _targets[output].AsSpan(0, _targets[output].Length == 0 ? 0 : Size * _outputSizes[output]);

    /// <summary>Where <c>Evaluate</c> writes the <paramref name="output"/>th output, <see cref="Size"/> × its size floats.</summary>
    public Span<float> Output(int output) => _outputs[output].AsSpan(0, Size * _outputSizes[output]);

    private static void CopyRows<T>(T[] source, T[] destination, int width, ReadOnlySpan<int> indices)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            source.AsSpan(indices[i] * width, width).CopyTo(destination.AsSpan(i * width, width));
        }
    }
}
