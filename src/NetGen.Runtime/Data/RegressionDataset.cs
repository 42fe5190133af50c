using System;
using System.Collections.Generic;

namespace NetGen.Data;

/// <summary>
/// Inputs and float targets held in two arrays (PyTorch's <c>TensorDataset</c>): sample <c>i</c> is
/// <c>inputs[i × InputSize ..]</c> with target <c>targets[i × TargetSize ..]</c>.
/// </summary>
public sealed class RegressionDataset : ITargetDataset
{
    private readonly float[] inputs;
    private readonly float[] targets;
    private readonly int[] sampleShape;

    /// <summary>Wraps the arrays (not copied); <paramref name="sampleShape"/> is one input's shape, e.g. <c>[features]</c>.</summary>
    /// <exception cref="ArgumentException">The arrays do not hold the same number of whole samples.</exception>
    public RegressionDataset(float[] inputs, float[] targets, IReadOnlyList<int> sampleShape, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetSize, 1);
        var inputSize = 1;
        foreach (var dimension in sampleShape)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1, nameof(sampleShape));
            inputSize = checked(inputSize * dimension);
        }

        if (inputs.Length % inputSize != 0 || targets.Length % targetSize != 0 || inputs.Length / inputSize != targets.Length / targetSize)
        {
            throw new ArgumentException($"inputs hold {inputs.Length} floats ({inputs.Length / (double)inputSize} samples of {inputSize}) but targets {targets.Length} ({targets.Length / (double)targetSize} of {targetSize}); both must hold the same whole number of samples.", nameof(targets));
        }

        this.inputs = inputs;
        this.targets = targets;
        this.sampleShape = [.. sampleShape];
        InputSize = inputSize;
        TargetSize = targetSize;
        Count = inputs.Length / inputSize;
    }

    /// <summary>Floats in one input sample.</summary>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int TargetSize { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape => sampleShape;

    /// <inheritdoc/>
    public int ClassCount => 0;

    /// <inheritdoc/>
    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        inputs.AsSpan(CheckIndex(index) * InputSize, InputSize).CopyTo(input);
        return 0;
    }

    /// <inheritdoc/>
    public void ReadTarget(int index, Span<float> target) =>
        targets.AsSpan(CheckIndex(index) * TargetSize, TargetSize).CopyTo(target);

    private int CheckIndex(int index) =>
        (uint)index < (uint)Count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample {index} is outside the {Count} samples.");
}
