using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// One named input of a network with several (a <c>partial</c> property marked <see cref="InputAttribute"/>):
/// its name, per-sample shape and size, and its place among the inputs, which is the order the generated
/// <c>Forward</c>, <c>TrainStep</c> and <c>Evaluate</c> take them in.
/// </summary>
public sealed class InputTensor
{
    private readonly int[] _shape;

    /// <summary>Describes the input <paramref name="name"/>, the <paramref name="index"/>th of its network.</summary>
    public InputTensor(string name, int index, int[] shape)
    {
        Name = name;
        Index = index;
        _shape = shape;
        var size = 1;
        foreach (var dimension in shape)
        {
            size *= dimension;
        }

        Size = size;
    }

    /// <summary>The property's name, e.g. <c>Image</c>.</summary>
    public string Name { get; }

    /// <summary>Its position among the network's inputs (declaration order), from 0.</summary>
    public int Index { get; }

    /// <summary>The per-sample shape, without the batch dimension.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Floats per sample.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [*, {string.Join(", ", _shape)}]";
}
