using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;

namespace NetGen;

/// <summary>
/// A lookup table from token ids to vectors, as PyTorch's <c>nn.Embedding(vocabulary, dimension)</c>:
/// <c>y[B, steps, dimension] = weight[tokens[B, steps]]</c> with <c>weight [vocabulary, dimension]</c>. The
/// network input holds the ids as floats; each must be a whole number in <c>[0, vocabulary)</c>.
/// </summary>
public sealed class Embedding : Layer
{
    private readonly TensorView[] _parameters;

    /// <summary>Creates the view of an embedding whose table starts at <paramref name="weightOffset"/>.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>embedding</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="weightOffset">Offset of <c>weight</c> in both buffers.</param>
    /// <param name="vocabulary">Rows of the table (token ids are below it).</param>
    /// <param name="dimension">Values per token.</param>
    public Embedding(string name, float[] parameters, float[]? gradients, int weightOffset, int vocabulary, int dimension)
        : base(name)
    {
        Weight = new TensorView(parameters, weightOffset, vocabulary, dimension);
        WeightGradient = GradientView(gradients, weightOffset, vocabulary, dimension);
        _parameters = [Weight];
    }

    /// <summary>The table, shape <c>[vocabulary, dimension]</c>.</summary>
    public TensorView Weight { get; }

    /// <summary>The table's gradient from the last training step.</summary>
    public TensorView WeightGradient { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => _parameters;

    /// <summary>
    /// Copies row <c>tokens[i]</c> of the table to row <c>i</c> of <paramref name="y"/> for each of the
    /// <paramref name="count"/> ids (batch × steps). An id that is not a whole number in
    /// <c>[0, vocabulary)</c> is an <see cref="ArgumentOutOfRangeException"/> naming the layer, the
    /// position and the value, before anything is written.
    /// </summary>
    public static void Forward<T>(string layer, ReadOnlySpan<T> tokens, ReadOnlySpan<T> weight, Span<T> y, int count, int vocabulary, int dimension)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckTokens(layer, tokens[..count], vocabulary);
        for (var i = 0; i < count; i++)
        {
            weight.Slice(int.CreateTruncating(tokens[i]) * dimension, dimension).CopyTo(y.Slice(i * dimension, dimension));
        }
    }

    /// <summary>
    /// <c>dweight[v] = Σ_{i: tokens[i] = v} dy[i]</c>: overwritten, rows no token used stay zero, and so
    /// does the row of <paramref name="paddingIndex"/> (-1 for none), as PyTorch's <c>padding_idx</c>.
    /// Token ids have no gradient. Does nothing for an empty <paramref name="weightGradient"/> (a frozen layer).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> tokens, Span<T> weightGradient, int count, int dimension, int paddingIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (weightGradient.IsEmpty)
        {
            return;
        }

        weightGradient.Clear();
        for (var i = 0; i < count; i++)
        {
            var token = int.CreateTruncating(tokens[i]);
            if (token == paddingIndex)
            {
                continue;
            }

            var row = weightGradient.Slice(token * dimension, dimension);
            var gradient = dy.Slice(i * dimension, dimension);
            for (var j = 0; j < dimension; j++)
            {
                row[j] += gradient[j];
            }
        }
    }

    /// <summary>
    /// Throws an <see cref="ArgumentOutOfRangeException"/> naming <paramref name="layer"/>, the position and
    /// the value for the first of <paramref name="tokens"/> that is not a whole number in
    /// <c>[0, vocabulary)</c>. <see cref="Forward{T}"/> calls it; a device network calls it on the host before
    /// it stages a batch.
    /// </summary>
    public static void CheckTokens<T>(string layer, ReadOnlySpan<T> tokens, int vocabulary)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (!(token >= T.Zero && token < T.CreateTruncating(vocabulary)) || T.Truncate(token) != token)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(tokens),
                    string.Create(CultureInfo.InvariantCulture, $"Embedding '{layer}': input value {token} at position {i} is not a token id in [0, {vocabulary})"));
            }
        }
    }
}
