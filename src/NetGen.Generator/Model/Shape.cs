using System;
using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>A per-sample tensor shape (the batch dimension is implicit and comes first at run time).</summary>
internal sealed record Shape(EquatableArray<int> Dimensions)
{
    public static Shape Of(params int[] dimensions) => new(EquatableArray.Create(dimensions));

    /// <summary>
    /// Whether the tensor is every step of a recurrent layer's output (<c>[steps, hidden]</c>), so a
    /// layer that cannot take it can suggest <c>ReturnSequences = false</c>. Only for messages: equality
    /// compares dimensions alone, so a sequence still joins (Add, Concat) a tensor of its shape.
    /// </summary>
    public bool IsSequence { get; init; }

    /// <summary>
    /// The Embedding that produced this tensor from token ids with a padding id, so a recurrent layer
    /// reading it directly can take each sample's length from them (<c>MaskPadding</c>); null otherwise.
    /// Not part of equality, like <see cref="IsSequence"/>.
    /// </summary>
    public TokenPadding? Padding { get; init; }

    /// <summary>
    /// The vocabulary of an input declared as token ids (<c>Kind = InputKind.Tokens</c>), which only an
    /// Embedding may read; null for features and for every layer's output. Part of equality, unlike
    /// <see cref="Padding"/>: it is declared, so a change of vocabulary must reach the planner (incremental
    /// caching compares specs), and only network inputs carry it.
    /// </summary>
    public TokenInput? Tokens { get; init; }

    public int Rank => Dimensions.Count;

    public int this[int axis] => Dimensions[axis];

    /// <summary>Elements per sample.</summary>
    public int Size => Dimensions.Aggregate(1, (product, d) => checked(product * d)); // overflow: the planner reports NG0104

    /// <summary>Shape as written in messages and comments, batch first: <c>[*, 1, 28, 28]</c>.</summary>
    public string WithBatch => "[*, " + string.Join(", ", Dimensions) + "]";

    /// <summary>Per-sample shape as written in attributes: <c>[1, 28, 28]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", Dimensions) + "]";

    public bool Equals(Shape? other) => other is not null && Dimensions == other.Dimensions && Tokens == other.Tokens;

    public override int GetHashCode() => Dimensions.GetHashCode();
}

/// <summary>An Embedding's name and padding id, carried by its output shape (see <see cref="Shape.Padding"/>).</summary>
internal sealed record TokenPadding(string Layer, int Id);

/// <summary>A network input of token ids, each in <c>[0, Vocabulary)</c> (see <see cref="Shape.Tokens"/>).</summary>
internal sealed record TokenInput(int Vocabulary);
