using System;
using System.Collections.Generic;

namespace NetGen.Data.Sequences;

/// <summary>
/// Windows over a sequence of token ids for a language model (Chollet's character-level LSTM): sample
/// <c>i</c> is the <c>window</c> ids before its target position <c>t</c>, passed as floats to an
/// Embedding (input <c>[window]</c>), labelled with the id at <c>t</c>, the class the model learns to
/// predict. Consecutive targets lie <c>stride</c> positions apart. The ids are held, not copied.
/// </summary>
/// <example><code>
/// var ids = vocabulary.Encode(text);
/// var cut = ids.Length * 9 / 10;   // the last tenth of the text validates
/// var train = new NextTokenWindows(ids, vocabulary.Count, window: 40, stride: 3, targets: ..cut);
/// var validation = new NextTokenWindows(ids, vocabulary.Count, window: 40, stride: 3, targets: cut..);
/// </code></example>
public sealed class NextTokenWindows : IDataset
{
    private readonly int[] tokens;
    private readonly int firstTarget;
    private readonly int stride;
    private readonly int[] sampleShape;

    /// <summary>
    /// Windows over <paramref name="tokens"/> (ids in [0, <paramref name="classCount"/>)) whose target
    /// positions lie in <paramref name="targets"/> (all when null); their inputs may reach back before it.
    /// </summary>
    /// <exception cref="ArgumentException">An argument is out of range (named in the message), an id lies outside the vocabulary, or no window fits.</exception>
    public NextTokenWindows(int[] tokens, int classCount, int window, int stride = 1, Range? targets = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        for (var i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Token {i} is the id {tokens[i]}, outside the {classCount} ids of the vocabulary.", nameof(tokens));
            }
        }

        if ((long)window + 1 > tokens.Length)
        {
            throw new ArgumentException($"A window of {window} tokens and its next token need {(long)window + 1} tokens, but there are {tokens.Length}.", nameof(window));
        }

        int start, length;
        try
        {
            (start, length) = (targets ?? Range.All).GetOffsetAndLength(tokens.Length);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ArgumentOutOfRangeException(nameof(targets), targets, $"The target positions must lie within the {tokens.Length} tokens.");
        }

        if (TimeSeriesWindows.NoWindowFits(window, 1, start, start + length) is { } reason)
        {
            throw new ArgumentException($"No window fits in the {tokens.Length} tokens: {reason}.", nameof(targets));
        }

        this.tokens = tokens;
        this.stride = stride;
        firstTarget = Math.Max(start, window);
        Window = window;
        ClassCount = classCount;
        Count = ((start + length - 1 - firstTarget) / stride) + 1;
        sampleShape = [window];
    }

    /// <summary>Tokens in each input.</summary>
    public int Window { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape => sampleShape;

    /// <inheritdoc/>
    public int ClassCount { get; }

    /// <summary>The position of sample <paramref name="index"/>'s target (its input is the <see cref="Window"/> tokens before it).</summary>
    public int TargetPosition(int index) =>
        (uint)index < (uint)Count ? firstTarget + (index * stride) : throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample {index} is outside the {Count} windows.");

    /// <inheritdoc/>
    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        var target = TargetPosition(index);
        var ids = tokens.AsSpan(target - Window, Window);
        for (var i = 0; i < ids.Length; i++)
        {
            input[i] = ids[i];
        }

        return tokens[target];
    }
}
