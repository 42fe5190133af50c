using System;

namespace NetGen.Data;

/// <summary>
/// One batch served by a <see cref="DataLoader"/>. Its spans view the loader's recycled buffers:
/// they stay valid until the next <c>MoveNext</c> of the epoch that served it, so copy what must
/// outlive that.
/// </summary>
public readonly struct Batch
{
    private readonly float[] _inputs;
    private readonly int[] _labels;
    private readonly float[] _targets;
    private readonly int[] _sampleIndices;
    private readonly int _sampleSize;
    private readonly int _targetSize;

    internal Batch(int number, int size, int sampleSize, float[] inputs, int[] labels, float[] targets, int targetSize, int[] sampleIndices)
    {
        Number = number;
        Size = size;
        _sampleSize = sampleSize;
        _inputs = inputs;
        _labels = labels;
        _targets = targets;
        _targetSize = targetSize;
        _sampleIndices = sampleIndices;
    }

    /// <summary>Position of this batch in its epoch, from 0.</summary>
    public int Number { get; }

    /// <summary>Samples in this batch; smaller than the batch size only for a kept last batch.</summary>
    public int Size { get; }

    /// <summary>The inputs, <see cref="Size"/> samples one after another.</summary>
    public ReadOnlySpan<float> Inputs => _inputs.AsSpan(0, Size * _sampleSize);

    /// <summary>The inputs as memory, for consumers that cannot take a span.</summary>
    public ReadOnlyMemory<float> InputsMemory => _inputs.AsMemory(0, Size * _sampleSize);

    /// <summary>One label per sample (all 0 for an <see cref="ITargetDataset"/>).</summary>
    public ReadOnlySpan<int> Labels => _labels.AsSpan(0, Size);

    /// <summary>The float targets of an <see cref="ITargetDataset"/>, <see cref="Size"/> × its target size; empty for a labelled dataset.</summary>
    public ReadOnlySpan<float> Targets => _targets.AsSpan(0, Size * _targetSize);

    /// <summary>The dataset index of each sample.</summary>
    public ReadOnlySpan<int> SampleIndices => _sampleIndices.AsSpan(0, Size);
}
