using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using NetGen.Optimizers;

namespace NetGen.Checkpoints;

/// <summary>
/// Saves and loads a network's parameters, and optionally its optimizer's state, as one
/// <a href="https://github.com/huggingface/safetensors">safetensors</a> file that PyTorch tools can read.
/// </summary>
/// <remarks>
/// <para>Layout: model tensors under their PyTorch state_dict names (<c>hidden.weight</c>,
/// <c>[out, in]</c>), float32, then the network's buffers the same way (BatchNorm's
/// <c>norm.running_mean</c> and <c>norm.running_var</c>, as in a PyTorch state_dict), and the
/// network's <see cref="INetwork.TrainingSteps"/> (which fixes its dropout masks) in
/// <c>__metadata__</c> under <c>netgen.training_steps</c>. Optimizer state buffers follow as flat tensors named
/// <c>optimizer.{state}</c> (<c>optimizer.exp_avg</c>, shape <c>[ParameterCount]</c> of the optimizer, in the
/// order of the network's flat gradient buffer, which leaves out layers marked <c>[Frozen]</c>); the optimizer's type, step count and learning rate
/// (round-trip text) are in <c>__metadata__</c> under <c>netgen.optimizer</c>,
/// <c>netgen.optimizer.step</c> and <c>netgen.optimizer.learning_rate</c>. <c>format</c> is
/// <c>pt</c> and <c>netgen.network</c> names the network type.</para>
/// <para>Saving is atomic (temporary file, flush to disk, rename). Loading validates the whole
/// file against the model and optimizer before it changes either; any mismatch is a
/// <see cref="CheckpointException"/> naming the file and the tensor.</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>Prefix of optimizer state tensors.</summary>
    public const string OptimizerPrefix = "optimizer.";

    private const string FormatKey = "format";
    private const string NetworkKey = "netgen.network";
    private const string OptimizerKey = "netgen.optimizer";
    private const string StepKey = "netgen.optimizer.step";
    private const string LearningRateKey = "netgen.optimizer.learning_rate";
    private const string TrainingStepsKey = "netgen.training_steps";

    /// <summary>
    /// Writes <paramref name="model"/>'s parameters, <paramref name="optimizer"/>'s state when given,
    /// and <paramref name="metadata"/> to <paramref name="path"/>, replacing it atomically.
    /// </summary>
    public static void Save(string path, INetwork model, Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(model);
        CheckOptimizerFits(model, optimizer, nameof(optimizer));
        var header = BuildHeader(model, optimizer, metadata);
        var json = header.ToJson();
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
            stream.Write(length);
            stream.Write(json);
            foreach (var parameter in model.ParameterLayout)
            {
                stream.Write(MemoryMarshal.AsBytes(model.Parameters.Slice(parameter.Offset, parameter.Length)));
            }

            foreach (var buffer in model.BufferLayout)
            {
                stream.Write(MemoryMarshal.AsBytes(model.Buffers.Slice(buffer.Offset, buffer.Length)));
            }

            foreach (var state in optimizer?.State ?? [])
            {
                stream.Write(MemoryMarshal.AsBytes(state.Values.AsSpan()));
            }
        });
    }

    /// <summary>
    /// Loads every parameter and buffer of <paramref name="model"/> from <paramref name="path"/>, its
    /// training-step count when the file has one, and the state, step count and learning rate of
    /// <paramref name="optimizer"/> when given, so training resumes exactly. The file must hold
    /// exactly the model's tensors (plus optimizer state, which is ignored when no optimizer is passed).
    /// </summary>
    /// <exception cref="CheckpointException">The file is malformed or does not fit; nothing was changed.</exception>
    public static void Load(string path, INetwork model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckOptimizerFits(model, optimizer, nameof(optimizer));
        using var file = SafetensorsFile.Open(path);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in Tensors(model))
        {
            wanted.Add(tensor.Name);
        }

        foreach (var entry in file.Header.Tensors)
        {
            if (!wanted.Contains(entry.Name) && !entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                throw new CheckpointException(path, entry.Name, $"is not a parameter of {model.GetType().Name} (which has {string.Join(", ", wanted)}){SavedFrom(file)}. Use LoadPartial to load part of a network.");
            }
        }

        var parameters = ReadTensors(file, model, model.ParameterLayout, model.Parameters.Length);
        var buffers = ReadTensors(file, model, model.BufferLayout, model.Buffers.Length);
        var trainingSteps = ReadTrainingSteps(file);
        (long Step, float LearningRate, List<OptimizerState> States)? optimizerState = optimizer is null ? null : ReadOptimizer(file, optimizer);

        Commit(model.Parameters, model.ParameterLayout, parameters);
        Commit(model.Buffers, model.BufferLayout, buffers);
        if (trainingSteps is { } steps)
        {
            model.TrainingSteps = steps;
        }

        if (optimizer is not null)
        {
            var (step, learningRate, states) = optimizerState!.Value;
            optimizer.LoadState(step, states);
            optimizer.LearningRate = learningRate;
        }
    }

    /// <summary>
    /// Loads the parameters and buffers of <paramref name="model"/> whose names <paramref name="select"/>
    /// accepts, for transfer learning; the others keep their values. Every selected tensor must be in
    /// the file with the model's shape; the file's other tensors are ignored. Returns the names loaded.
    /// </summary>
    /// <exception cref="CheckpointException">A selected tensor is missing or has another shape; nothing was changed.</exception>
    public static IReadOnlyList<string> LoadPartial(string path, INetwork model, Func<string, bool> select)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(select);
        var selected = model.ParameterLayout.Where(p => select(p.Name)).ToList();
        var selectedBuffers = model.BufferLayout.Where(b => select(b.Name)).ToList();
        if (selected.Count == 0 && selectedBuffers.Count == 0)
        {
            throw new ArgumentException($"The selection accepts none of {model.GetType().Name}'s tensors ({string.Join(", ", Names(Tensors(model)))}).", nameof(select));
        }

        using var file = SafetensorsFile.Open(path);
        var values = ReadTensors(file, model, selected, model.Parameters.Length);
        var buffers = ReadTensors(file, model, selectedBuffers, model.Buffers.Length);
        Commit(model.Parameters, selected, values);
        Commit(model.Buffers, selectedBuffers, buffers);
        return Names(selected.Concat(selectedBuffers));
    }

    /// <summary>
    /// Loads the parameters and buffers of the layers named by <paramref name="layerPrefixes"/> (<c>hidden</c>
    /// selects <c>hidden.weight</c> and <c>hidden.bias</c>). Each prefix must match a tensor.
    /// </summary>
    public static IReadOnlyList<string> LoadPartial(string path, INetwork model, IReadOnlyList<string> layerPrefixes)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(layerPrefixes);
        var names = Names(Tensors(model));
        foreach (var prefix in layerPrefixes)
        {
            if (!names.Exists(name => MatchesPrefix(name, prefix)))
            {
                throw new ArgumentException($"'{prefix}' matches none of {model.GetType().Name}'s tensors ({string.Join(", ", names)}).", nameof(layerPrefixes));
            }
        }

        return LoadPartial(path, model, name => layerPrefixes.Any(prefix => MatchesPrefix(name, prefix)));
    }

    /// <summary>The <c>__metadata__</c> of the checkpoint at <paramref name="path"/>, after validating the file.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return file.Header.Metadata;
    }

    private static SafetensorsHeader BuildHeader(INetwork model, Optimizer? optimizer, IReadOnlyDictionary<string, string>? metadata)
    {
        var tensors = new List<SafetensorsEntry>();
        var offset = 0L;
        void Add(string name, IReadOnlyList<int> shape, int length)
        {
            var shapeLongs = new long[shape.Count];
            for (var i = 0; i < shape.Count; i++)
            {
                shapeLongs[i] = shape[i];
            }

            tensors.Add(new SafetensorsEntry(name, SafetensorsEntry.Float32, shapeLongs, offset, offset + ((long)length * sizeof(float))));
            offset += (long)length * sizeof(float);
        }

        foreach (var tensor in Tensors(model))
        {
            Add(tensor.Name, tensor.Shape, tensor.Length);
        }

        var allMetadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [FormatKey] = "pt",
            [NetworkKey] = model.GetType().FullName ?? model.GetType().Name,
            [TrainingStepsKey] = model.TrainingSteps.ToString(CultureInfo.InvariantCulture),
        };
        if (optimizer is not null)
        {
            foreach (var state in optimizer.State)
            {
                Add(OptimizerPrefix + state.Name, [optimizer.ParameterCount], optimizer.ParameterCount);
            }

            allMetadata[OptimizerKey] = optimizer.GetType().Name;
            allMetadata[StepKey] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
            allMetadata[LearningRateKey] = optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (key == FormatKey || key.StartsWith("netgen.", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Metadata key '{key}' is reserved for the checkpoint format; choose another name.", nameof(metadata));
            }

            allMetadata[key] = value ?? throw new ArgumentException($"Metadata value of '{key}' is null; safetensors metadata values are strings.", nameof(metadata));
        }

        return new SafetensorsHeader(tensors, allMetadata);
    }

    /// <summary>Reads the listed tensors into a staging buffer of <paramref name="length"/> floats laid out like the model's (parameters or buffers), checking presence and shape first.</summary>
    private static float[] ReadTensors(SafetensorsFile file, INetwork model, IReadOnlyList<ParameterInfo> parameters, int length)
    {
        var entries = new SafetensorsEntry[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var entry = file.Find(parameter.Name)
                ?? throw new CheckpointException(file.Path, parameter.Name, $"is missing; {model.GetType().Name} needs it with shape {SafetensorsEntry.Format(parameter.Shape)}{SavedFrom(file)}.");
            if (!entry.HasShape(parameter.Shape))
            {
                throw new CheckpointException(file.Path, parameter.Name, $"has shape {SafetensorsEntry.Format(entry.Shape)} in the file but {SafetensorsEntry.Format(parameter.Shape)} in {model.GetType().Name}{SavedFrom(file)}.");
            }

            entries[i] = entry;
        }

        var staging = new float[length];
        for (var i = 0; i < parameters.Count; i++)
        {
            file.Read(entries[i], staging.AsSpan(parameters[i].Offset, parameters[i].Length));
        }

        return staging;
    }

    private static (long Step, float LearningRate, List<OptimizerState> States) ReadOptimizer(SafetensorsFile file, Optimizer optimizer)
    {
        var metadata = file.Header.Metadata;
        var typeName = optimizer.GetType().Name;
        if (!metadata.TryGetValue(OptimizerKey, out var savedType))
        {
            throw new CheckpointException(file.Path, null, $"holds no optimizer state, so it cannot resume {typeName}; load the model alone or save with the optimizer.");
        }

        if (savedType != typeName)
        {
            throw new CheckpointException(file.Path, null, $"holds {savedType} state, which cannot resume {typeName}.");
        }

        if (!metadata.TryGetValue(StepKey, out var stepText) || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
        {
            throw new CheckpointException(file.Path, null, $"metadata '{StepKey}' is '{stepText}', not a non-negative step count.");
        }

        if (!metadata.TryGetValue(LearningRateKey, out var rateText)
            || !float.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var learningRate)
            || !float.IsFinite(learningRate) || learningRate < 0)
        {
            throw new CheckpointException(file.Path, null, $"metadata '{LearningRateKey}' is '{rateText}', not a finite learning rate >= 0.");
        }

        var expected = new HashSet<string>(StringComparer.Ordinal);
        var states = new List<OptimizerState>();
        foreach (var state in optimizer.State)
        {
            var name = OptimizerPrefix + state.Name;
            expected.Add(name);
            var entry = file.Find(name)
                ?? throw new CheckpointException(file.Path, name, $"is missing; {typeName} needs it with shape [{optimizer.ParameterCount}].");
            if (!entry.HasShape([optimizer.ParameterCount]))
            {
                throw new CheckpointException(file.Path, name, $"has shape {SafetensorsEntry.Format(entry.Shape)} but {typeName} has {optimizer.ParameterCount} parameters.");
            }

            var values = new float[optimizer.ParameterCount];
            file.Read(entry, values);
            states.Add(new OptimizerState(state.Name, values));
        }

        foreach (var entry in file.Header.Tensors)
        {
            if (entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && !expected.Contains(entry.Name))
            {
                throw new CheckpointException(file.Path, entry.Name, $"is not part of {typeName}'s state.");
            }
        }

        return (step, learningRate, states);
    }

    private static void Commit(Span<float> target, IReadOnlyList<ParameterInfo> tensors, float[] staging)
    {
        foreach (var tensor in tensors)
        {
            staging.AsSpan(tensor.Offset, tensor.Length).CopyTo(target.Slice(tensor.Offset, tensor.Length));
        }
    }

    /// <summary>The saved training-step count, or null for a file without one (e.g. written by another tool).</summary>
    private static long? ReadTrainingSteps(SafetensorsFile file)
    {
        if (!file.Header.Metadata.TryGetValue(TrainingStepsKey, out var text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var steps)
            ? steps
            : throw new CheckpointException(file.Path, null, $"metadata '{TrainingStepsKey}' is '{text}', not a non-negative step count.");
    }

    private static void CheckOptimizerFits(INetwork model, Optimizer? optimizer, string name)
    {
        if (optimizer is not null && optimizer.ParameterCount != model.Gradients.Length)
        {
            throw new ArgumentException($"{optimizer.GetType().Name} updates {optimizer.ParameterCount} parameters but {model.GetType().Name} trains {model.Gradients.Length}.", name);
        }
    }

    private static string SavedFrom(SafetensorsFile file) =>
        file.Header.Metadata.TryGetValue(NetworkKey, out var network) ? $" (the file was saved from {network})" : string.Empty;

    private static bool MatchesPrefix(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal)
        && (prefix.EndsWith('.') || name.Length == prefix.Length || name[prefix.Length] == '.');

    /// <summary>Every tensor a checkpoint holds for <paramref name="model"/>: its parameters, then its buffers.</summary>
    private static IEnumerable<ParameterInfo> Tensors(INetwork model) => model.ParameterLayout.Concat(model.BufferLayout);

    private static List<string> Names(IEnumerable<ParameterInfo> tensors) => tensors.Select(t => t.Name).ToList();
}
