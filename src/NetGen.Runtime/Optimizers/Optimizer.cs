using System;
using System.Collections.Generic;
using NetGen.Gpu;

namespace NetGen.Optimizers;

/// <summary>
/// Updates a flat parameter buffer from its gradient buffer, the layout every generated
/// <see cref="INetwork"/> uses, so one step is one vectorised pass with no allocation.
/// </summary>
/// <remarks>
/// <para>
/// Update formulas, defaults and the order of floating-point operations follow torch.optim 1.13's
/// single-tensor (non-foreach) implementations; hyperparameters are kept in double as Python keeps
/// them and rounded to float exactly where PyTorch's kernels round them.
/// </para>
/// <para>
/// One optimizer steps a CPU network on the CPU and a <see cref="GpuNetwork"/> on its device: the
/// built-in ones launch their update kernel there (their state then lives in device buffers the
/// network holds), any other steps it through the network's host copies. <see cref="StepCount"/>,
/// <see cref="LearningRate"/> and <see cref="State"/> are the same either way, so schedules,
/// checkpoints and resuming work unchanged, and a run may move between CPU and device.
/// </para>
/// </remarks>
public abstract partial class Optimizer
{
    private readonly List<OptimizerState> state = new();
    private float learningRate;

    // The device network whose copy of the state is newer than the host buffers, if any.
    private GpuNetwork? stateHolder;

    /// <summary>Creates an optimizer for <paramref name="parameterCount"/> parameters.</summary>
    protected Optimizer(int parameterCount, float learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ParameterCount = parameterCount;
        LearningRate = learningRate;
    }

    /// <summary>Number of parameters this optimizer updates.</summary>
    public int ParameterCount { get; }

    /// <summary>The step size; schedules set it between epochs.</summary>
    public float LearningRate
    {
        get => learningRate;
        set
        {
            if (!float.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a finite number >= 0.");
            }

            learningRate = value;
        }
    }

    /// <summary>Number of steps taken so far (PyTorch's <c>step</c> state).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// The live per-parameter state buffers, in a fixed order; empty for plain SGD. After steps on a
    /// device this reads the state back first, and the buffers handed out count as written: the next
    /// device step uploads them (once), so values loaded into them reach the device.
    /// </summary>
    public IReadOnlyList<OptimizerState> State
    {
        get
        {
            ReadStateFromDevice();
            HostStateVersion++;
            return state;
        }
    }

    /// <summary>The state buffers as they are on the host, for the device network that uploads or reads them back.</summary>
    internal IReadOnlyList<OptimizerState> HostState => state;

    /// <summary>Changes whenever the host buffers may have been written, so a device network knows its copy is stale.</summary>
    internal long HostStateVersion { get; private set; }

    /// <summary>The device network holding a newer copy of the state than the host, if any.</summary>
    internal GpuNetwork? StateHolder => stateHolder;

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradients"/>.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != ParameterCount)
        {
            throw new ArgumentException($"{GetType().Name} was built for {ParameterCount} parameters but got {parameters.Length}.", nameof(parameters));
        }

        if (gradients.Length != ParameterCount)
        {
            throw new ArgumentException($"{GetType().Name} was built for {ParameterCount} gradients but got {gradients.Length}.", nameof(gradients));
        }

        ReadStateFromDevice();
        StepCount++;
        UpdateInParts(parameters, gradients, 0);
        HostStateVersion++;
    }

    /// <summary>
    /// Applies one update to <paramref name="network"/>'s parameters from its last gradients,
    /// only within its <see cref="INetwork.TrainableRanges"/>: frozen layers keep their values
    /// (weight decay and momentum included) and their optimizer state. The optimizer is sized for the
    /// network's gradients, which leave out layers marked <c>[Frozen]</c>: they have no state at all. A <see cref="GpuNetwork"/>
    /// is updated on its device without reading anything back.
    /// </summary>
    public void Step(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is GpuNetwork device && this is IDeviceUpdate update)
        {
            if (device.TrainableParameterCount != ParameterCount)
            {
                throw new ArgumentException($"{GetType().Name} was built for {ParameterCount} parameters but the network trains {device.TrainableParameterCount}.", nameof(network));
            }

            StepCount++;
            device.Step(this, update);
            return;
        }

        var parameters = network.Parameters;
        var gradients = network.Gradients;
        if (gradients.Length != ParameterCount)
        {
            throw new ArgumentException($"{GetType().Name} was built for {ParameterCount} parameters but the network trains {gradients.Length}.", nameof(network));
        }

        ReadStateFromDevice();
        StepCount++;
        // Indexed: foreach over the interface would allocate an enumerator every step.
        var ranges = network.TrainableRanges;
        for (var r = 0; r < ranges.Count; r++)
        {
            var range = ranges[r];
            UpdateInParts(parameters.Slice(range.Offset, range.Length), gradients.Slice(range.Offset, range.Length), range.Offset);
        }

        HostStateVersion++;
    }

    /// <summary>
    /// Restores state saved from <see cref="StepCount"/> and <see cref="State"/>: the same names in
    /// any order, each with <see cref="ParameterCount"/> values, copied bit for bit.
    /// </summary>
    public void LoadState(long stepCount, IReadOnlyList<OptimizerState> saved)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        ArgumentNullException.ThrowIfNull(saved);
        if (saved.Count != state.Count)
        {
            throw new ArgumentException($"{GetType().Name} has {state.Count} state buffers ({Names(state)}) but the saved state has {saved.Count} ({Names(saved)}).", nameof(saved));
        }

        foreach (var target in state)
        {
            var source = Find(saved, target.Name)
                ?? throw new ArgumentException($"The saved state has no '{target.Name}' buffer, which {GetType().Name} needs; it has {Names(saved)}.", nameof(saved));
            if (source.Values.Length != ParameterCount)
            {
                throw new ArgumentException($"Saved state '{source.Name}' holds {source.Values.Length} values but {GetType().Name} has {ParameterCount} parameters.", nameof(saved));
            }
        }

        // Every value is replaced, so a newer device copy is dropped rather than read back.
        stateHolder = null;
        foreach (var target in state)
        {
            Find(saved, target.Name)!.Values.CopyTo(target.Values, 0);
        }

        HostStateVersion++;
        StepCount = stepCount;
    }

    /// <summary>Records that <paramref name="network"/>'s device copy of the state is now newer than the host's.</summary>
    internal void StateMovedTo(GpuNetwork network) => stateHolder = network;

    /// <summary>Reads the state back from the device network holding a newer copy, if one does.</summary>
    internal void ReadStateFromDevice()
    {
        if (stateHolder is { } holder)
        {
            stateHolder = null;
            holder.ReadStateOf(this);
        }
    }

    /// <summary>
    /// The update itself over one contiguous run of parameters that starts at
    /// <paramref name="offset"/> in the full buffer (where the state buffers are read);
    /// <see cref="StepCount"/> already counts this step.
    /// </summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset);

    /// <summary>The part of a state buffer that matches the run being updated; empty when the state is absent.</summary>
    protected static Span<float> StateSlice(float[]? state, int offset, int length) =>
        state is null ? default : state.AsSpan(offset, length);

    /// <summary>Allocates a zeroed state buffer named <paramref name="name"/> and registers it in <see cref="State"/>.</summary>
    protected float[] AddState(string name)
    {
        var values = new float[ParameterCount];
        state.Add(new OptimizerState(name, values));
        return values;
    }

    /// <summary>Checks a hyperparameter is finite and at least zero, naming it when not.</summary>
    protected static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0.");

    /// <summary>Checks a decay rate lies in [0, 1), naming it when not.</summary>
    protected static double DecayRate(double value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");

    /// <summary>
    /// The number of parameters of <paramref name="network"/> an optimizer keeps state for: the length of
    /// its gradients, which leave out the layers marked <c>[Frozen]</c> (laid out after the others).
    /// </summary>
    protected static int CountOf(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Gradients.Length;
    }

    private static OptimizerState? Find(IReadOnlyList<OptimizerState> states, string name)
    {
        foreach (var candidate in states)
        {
            if (candidate.Name == name)
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Names(IReadOnlyList<OptimizerState> states)
    {
        var names = new string[states.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = $"'{states[i].Name}'";
        }

        return names.Length == 0 ? "none" : string.Join(", ", names);
    }
}
