using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Data;

/// <summary>
/// Samples of several named tensors, as Keras' <c>fit({"image": x1, "metadata": x2}, {"digit": y1, "score": y2})</c>
/// takes them: per input a float array, per output its class labels or float targets, each holding
/// <see cref="Count"/> samples. Names match the network's inputs and outputs regardless of case.
/// </summary>
public sealed class TensorDataset
{
    private readonly Dictionary<string, float[]> _inputs = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int[]> _labels = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, float[]> _targets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An empty dataset of <paramref name="count"/> samples; add its tensors with <see cref="WithInput"/>, <see cref="WithLabels"/> and <see cref="WithTargets"/>.</summary>
    public TensorDataset(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Adds the input <paramref name="name"/>: <see cref="Count"/> samples of equal size, one after another.</summary>
    public TensorDataset WithInput(string name, float[] values) => Add(_inputs, name, values, "input");

    /// <summary>Adds the class labels (one per sample) of the output <paramref name="name"/>, for a cross-entropy loss.</summary>
    public TensorDataset WithLabels(string name, int[] labels)
    {
        Add(_labels, name, labels, "labels");
        return labels.Length == Count ? this : throw new ArgumentException($"Labels '{name}' hold {labels.Length} values, not one per sample ({Count}).", nameof(labels));
    }

    /// <summary>Adds the float targets (as many per sample as the output has) of the output <paramref name="name"/>, for MSE or MAE.</summary>
    public TensorDataset WithTargets(string name, float[] targets) => Add(_targets, name, targets, "targets");

    /// <summary>The values of the input <paramref name="name"/>, as given.</summary>
    /// <exception cref="KeyNotFoundException">The dataset holds no input of that name.</exception>
    public float[] Input(string name) => _inputs[name];

    /// <summary>The class labels of the output <paramref name="name"/>, as given.</summary>
    /// <exception cref="KeyNotFoundException">The dataset holds no labels of that name.</exception>
    public int[] Labels(string name) => _labels[name];

    /// <summary>The float targets of the output <paramref name="name"/>, as given.</summary>
    /// <exception cref="KeyNotFoundException">The dataset holds no targets of that name.</exception>
    public float[] Targets(string name) => _targets[name];

    /// <summary>Refuses, naming the tensor, a dataset whose tensors are not <paramref name="model"/>'s inputs and output targets (names, per-sample sizes, count).</summary>
    internal void CheckFits(IMultiTensorNetwork model, string argument)
    {
        var network = model.GetType().Name;
        foreach (var input in model.Inputs)
        {
            var values = _inputs.GetValueOrDefault(input.Name)
                ?? throw new ArgumentException($"{network} takes the input '{input.Name}' ({input.Size} floats per sample), which {argument} does not hold; it holds inputs: {Names(_inputs.Keys)}.", argument);
            if (values.Length != Count * input.Size)
            {
                throw new ArgumentException($"Input '{input.Name}' of {argument} holds {values.Length} floats, not {Count} samples × {input.Size} as {network} takes.", argument);
            }
        }

        foreach (var output in model.Outputs)
        {
            var (held, kind) = output.TakesLabels ? (_labels.ContainsKey(output.Name), "labels") : (_targets.ContainsKey(output.Name), "targets");
            if (!held)
            {
                throw new ArgumentException($"{network}'s output '{output.Name}' ({output.Loss}) trains on {kind}, which {argument} does not hold for it; add them with With{char.ToUpperInvariant(kind[0])}{kind[1..]}(\"{output.Name}\", …).", argument);
            }

            if (!output.TakesLabels && _targets[output.Name].Length != Count * output.Size)
            {
                throw new ArgumentException($"Targets '{output.Name}' of {argument} hold {_targets[output.Name].Length} floats, not {Count} samples × {output.Size} as {network}'s output takes.", argument);
            }
        }

        var known = model.Inputs.Select(i => i.Name).Concat(model.Outputs.Select(o => o.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var extra = _inputs.Keys.Concat(_labels.Keys).Concat(_targets.Keys).FirstOrDefault(name => !known.Contains(name));
        if (extra is not null)
        {
            throw new ArgumentException($"{argument} holds the tensor '{extra}', which is none of {network}'s inputs ({Names(model.Inputs.Select(i => i.Name))}) or outputs ({Names(model.Outputs.Select(o => o.Name))}).", argument);
        }
    }

    private TensorDataset Add<T>(Dictionary<string, T[]> tensors, string name, T[] values, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        if (_inputs.ContainsKey(name) || _labels.ContainsKey(name) || _targets.ContainsKey(name))
        {
            throw new ArgumentException($"The dataset already holds a tensor named '{name}'.", nameof(name));
        }

        if (values.Length == 0 || values.Length % Count != 0)
        {
            throw new ArgumentException($"The {kind} '{name}' hold {values.Length} values, which is not {Count} samples of equal size.", nameof(values));
        }

        tensors.Add(name, values);
        return this;
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names);
}
