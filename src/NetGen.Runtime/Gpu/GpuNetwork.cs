using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using NetGen.Losses;
using NetGen.Optimizers;

namespace NetGen.Gpu;

/// <summary>
/// What every generated <c>{Network}.Gpu</c> class shares: an <see cref="INetwork"/> whose
/// forward, loss and backward passes run on a device, so <c>Trainer.Fit</c>, <c>Evaluate</c>,
/// <c>Predict</c>, callbacks, checkpoints and the optimizers take it as they take the CPU network.
/// The generated class supplies the kernel source and the launch sequence of its layers.
/// </summary>
/// <remarks>
/// <para>
/// Memory is planned like the CPU network's: one device allocation per buffer kind — parameters,
/// gradients (same layout), buffers, each state buffer of the optimizer stepped here, and, sized for the largest batch seen,
/// the staged batch (inputs, then labels or targets), activations, activation gradients and loss terms.
/// A training step uploads the batch and reads back the loss terms, nothing else.
/// </para>
/// <para>
/// <see cref="INetwork.Parameters"/>, <see cref="INetwork.Gradients"/> and <see cref="INetwork.Buffers"/>
/// (implemented explicitly: inside the generated class those names are the device buffers) are host
/// copies kept in step at two points. Asking for one reads it back from the device when a device
/// call (a training step, an optimizer step) changed it since the last read; the span handed out
/// then counts as written, and the next device call uploads it once before it runs. So a span is
/// valid until the next device call, writing into it (loading a checkpoint, restoring the best
/// weights, clipping gradients) reaches the device, and training without asking moves nothing. The
/// same holds for the state of an optimizer stepped on this network (see <see cref="Optimizer.State"/>).
/// </para>
/// <para>
/// The CPU network it was made from describes it: shapes, loss, parameter and buffer layout, the
/// summary, and which layers are frozen (freezing through either network freezes both). Its
/// parameters are copied once, at <c>ToDevice</c>; device training leaves the CPU network's own values as
/// they were. As on the CPU, the gradients of frozen layers are zero after a training step and
/// optimizers update only <see cref="INetwork.TrainableRanges"/>.
/// </para>
/// </remarks>
public abstract partial class GpuNetwork : INetwork, IDisposable
{
    private readonly INetwork _network;
    private readonly string _typeName;
    private readonly int _activationsPerSample;
    private readonly int _inputGradientsPerSample;
    private bool _computeInputGradients;
    private float[] _inputGradients = [];
    private int _inputGradientCapacity;
    private int _inputGradientBatch;
    private bool _inputGradientsRead;
    private readonly HostMirror _parameters;
    private readonly HostMirror _gradients;
    private readonly HostMirror _buffers;
    private float[] _staging = [];
    private float[] _lossTerms = [];
    private float[] _lastOutputs = [];
    private int _lastBatch;
    private bool _lastOutputsRead;
    private GpuArg[] _tiledArguments = [];
    private readonly GpuArg[] _optimizerArguments = new GpuArg[DeviceUpdates.MaxArguments];
    private Optimizer? _optimizer;
    private GpuBuffer[] _optimizerState = [];
    private long _optimizerStateVersion;
    private long _trainingSteps;
    private bool _disposed;

    // 1 while a device call runs: the instance is not thread-safe, so a second thread entering gets an exception.
    private int _inUse;

    /// <summary>
    /// Opens <paramref name="device"/>, compiles (or finds cached) <paramref name="kernelSource"/> with the
    /// runtime's kernels, and copies the parameters, buffers and training-step count of <paramref name="network"/>.
    /// <paramref name="inputGradientsPerSample"/> sizes the input-gradient buffer (dL/dinput, then a slot per
    /// further reader of the input), allocated once <see cref="ComputeInputGradients"/> is set;
    /// <paramref name="gradientScratch"/> floats (<see cref="GradientScratch"/>) hold the parameter gradients
    /// of a use of shared parameters before they are added to the other uses'.
    /// </summary>
    protected GpuNetwork(INetwork network, Device device, string kernelSource, int activationsPerSample, int inputGradientsPerSample, int gradientScratch = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(kernelSource);
        _network = network;
        _typeName = network.GetType().Name;
        Backend = device.Open();
        Program = Backend.Compile(kernelSource + RuntimeKernels + DeviceUpdates.Kernels);
        InputSize = network.InputSize;
        OutputSize = network.OutputSize;
        ParameterCount = network.Parameters.Length;
        TrainableParameterCount = network.Gradients.Length;
        BufferCount = network.Buffers.Length;
        Loss = network.Loss;
        _activationsPerSample = activationsPerSample;
        _inputGradientsPerSample = inputGradientsPerSample;
        _parameters = new HostMirror(Backend, Backend.Allocate(Bytes(ParameterCount)), ParameterCount);
        _gradients = new HostMirror(Backend, Backend.Allocate(Bytes(ParameterCount)), ParameterCount);
        // At least one float: a zero-sized allocation is an error in OpenCL.
        GradientScratch = Backend.Allocate(Bytes(Math.Max(1, gradientScratch)));
        // At least one float: a zero-sized allocation is an error in OpenCL.
        _buffers = new HostMirror(Backend, Backend.Allocate(Bytes(Math.Max(1, BufferCount))), BufferCount);
        network.Parameters.CopyTo(_parameters.Host);
        network.Gradients.CopyTo(_gradients.Host);
        network.Buffers.CopyTo(_buffers.Host);
        // Dropout masks continue from the CPU network's training step.
        _trainingSteps = network.TrainingSteps;
    }

    /// <summary>The backend the network runs on (its <see cref="IGpuBackend.Name"/> names the device).</summary>
    public IGpuBackend Backend { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> InputShape => _network.InputShape;

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape => _network.OutputShape;

    /// <summary>Floats per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Floats per output sample.</summary>
    public int OutputSize { get; }

    /// <summary>Number of parameters (the length of <see cref="INetwork.Parameters"/>, without reading them back).</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// Number of parameters outside layers marked <c>[Frozen]</c> (the first ones of the buffer): the length
    /// of <see cref="INetwork.Gradients"/> and of optimizer state, as on the CPU. The device's gradient buffer
    /// still mirrors all parameters, the frozen layers' part kept at zero.
    /// </summary>
    public int TrainableParameterCount { get; }

    /// <summary>Number of non-trainable state values (BatchNorm's running statistics), without reading them back.</summary>
    public int BufferCount { get; }

    /// <summary>The loss the network trains with.</summary>
    public Loss Loss { get; }

    /// <inheritdoc/>
    public Activation OutputActivation => _network.OutputActivation;

    /// <inheritdoc/>
    public IReadOnlyList<ParameterInfo> ParameterLayout => _network.ParameterLayout;

    /// <inheritdoc/>
    public IReadOnlyList<ParameterInfo> BufferLayout => _network.BufferLayout;

    /// <summary>The frozen layers' complement, as the CPU network it was made from states it.</summary>
    public IReadOnlyList<ParameterRange> TrainableRanges => _network.TrainableRanges;

    /// <summary>
    /// Training forward passes so far; with the network's seed it fixes each step's dropout masks, as
    /// on the CPU. It starts from the CPU network's count, so the masks continue where the CPU left off.
    /// </summary>
    public long TrainingSteps
    {
        get => _trainingSteps;
        set => _trainingSteps = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "TrainingSteps counts training steps and cannot be negative.");
    }

    /// <summary>
    /// Whether training steps also compute the gradient of the loss with respect to the inputs
    /// (<see cref="InputGradients"/>, PyTorch's <c>input.grad</c>), as on the CPU: the device backward of
    /// the nodes reading the input then writes it, at the cost of their input-gradient launches.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network has a frozen prefix ([Frozen]), whose backward is compiled out; the CPU network this one was made from, which is set too, refuses it.</exception>
    public bool ComputeInputGradients
    {
        get => _computeInputGradients;
        set
        {
            _network.ComputeInputGradients = value;
            _computeInputGradients = value;
        }
    }

    /// <summary>
    /// dL/dinput of the last training step (<c>batch × InputSize</c>, laid out as the inputs), read back
    /// from the device the first time it is asked for after the step.
    /// </summary>
    /// <exception cref="InvalidOperationException">No training step since <see cref="ComputeInputGradients"/> was set computed them.</exception>
    public ReadOnlySpan<float> InputGradients
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inputGradientBatch == 0)
            {
                throw new InvalidOperationException($"{_typeName} on {Backend.Name} has no input gradients: set ComputeInputGradients = true, then call TrainStep.");
            }

            var count = _inputGradientBatch * InputSize;
            if (!_inputGradientsRead)
            {
                Backend.Download(InputGradientBuffer, MemoryMarshal.AsBytes(_inputGradients.AsSpan(0, count)), 0);
                _inputGradientsRead = true;
            }

            return _inputGradients.AsSpan(0, count);
        }
    }

    /// <summary>The host copy of the parameters, read back when a device call changed them; see the remarks on <see cref="GpuNetwork"/>.</summary>
    Span<float> INetwork.Parameters
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _parameters.Host;
        }
    }

    /// <summary>The host copy of the last training step's gradients, read back when a device call changed them; see the remarks on <see cref="GpuNetwork"/>.</summary>
    Span<float> INetwork.Gradients
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _gradients.Host[..TrainableParameterCount];
        }
    }

    /// <summary>The host copy of the buffers (running statistics), read back when a training step changed them; see the remarks on <see cref="GpuNetwork"/>.</summary>
    Span<float> INetwork.Buffers
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffers.Host;
        }
    }

    /// <summary>
    /// The outputs of the most recent <c>Forward</c>, <c>Evaluate</c> or <c>TrainStep</c>, as on the
    /// CPU; after a training step they are read back the first time they are asked for (a training
    /// loop that tracks accuracy reads <c>batch × OutputSize</c> floats per step).
    /// </summary>
    public ReadOnlySpan<float> LastOutputs
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var count = _lastBatch * OutputSize;
            if (!_lastOutputsRead && count > 0)
            {
                Backend.Download(Activations, MemoryMarshal.AsBytes(_lastOutputs.AsSpan(0, count)), Bytes(_lastBatch * (long)OutputOffset));
            }

            _lastOutputsRead = true;
            return _lastOutputs.AsSpan(0, count);
        }
    }

    /// <summary>The compiled kernels of this network.</summary>
    protected GpuProgram Program { get; }

    /// <summary>Parameters, in the CPU network's layout.</summary>
    protected GpuBuffer Parameters => _parameters.Device;

    /// <summary>Gradients, mirroring <see cref="Parameters"/>.</summary>
    protected GpuBuffer Gradients => _gradients.Device;

    /// <summary>Non-trainable state (BatchNorm's running statistics), in the CPU network's buffer layout.</summary>
    protected GpuBuffer Buffers => _buffers.Device;

    /// <summary>The staged batch: inputs from 0, then labels (ints) or targets (floats) from <see cref="TargetsOffset"/>.</summary>
    protected GpuBuffer Batch { get; private set; } = null!;

    /// <summary>Activations: a layer's output for the whole batch at <c>batch × offset</c>, as on the CPU.</summary>
    protected GpuBuffer Activations { get; private set; } = null!;

    /// <summary>Gradients of activations, same offsets as <see cref="Activations"/>.</summary>
    protected GpuBuffer ActivationGradients { get; private set; } = null!;

    /// <summary>Per-sample (softmax cross-entropy) or per-element loss terms, summed on the host.</summary>
    protected GpuBuffer LossTerms { get; private set; } = null!;

    /// <summary>Where a use of shared parameters ([Reuse]) writes its parameter gradients before adding them into <see cref="Gradients"/>.</summary>
    protected GpuBuffer GradientScratch { get; }

    /// <summary>dL/dinput and the slots of the input's further readers, per sample as the CPU lays them out; allocated once <see cref="ComputeInputGradients"/> is set.</summary>
    protected GpuBuffer InputGradientBuffer { get; private set; } = null!;

    /// <summary>Where labels or targets start in <see cref="Batch"/>, in 4-byte elements.</summary>
    protected int TargetsOffset { get; private set; }

    /// <summary>Batch size the per-batch buffers are sized for.</summary>
    protected int BatchCapacity { get; private set; }

    /// <inheritdoc/>
    public bool IsFrozen(string layer) => _network.IsFrozen(layer);

    /// <summary>The CPU network's summary, and the device it runs on.</summary>
    public string Summary() => $"{_network.Summary()}\nOn {Backend.Name}";

    /// <summary>One training step's forward pass, loss and backward pass on the device; returns the mean loss. Gradients stay on the device until asked for or stepped.</summary>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        var batch = BatchOf(inputs);
        CheckLabels(labels, batch);
        Stage(inputs, MemoryMarshal.AsBytes(labels), batch);
        return Train(batch, labels: true);
    }

    /// <summary>One training step against float targets (one-hot or soft labels, regression targets).</summary>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        var batch = BatchOf(inputs);
        LossGuard.CheckTargets(targets.Length, batch * OutputSize);
        Stage(inputs, MemoryMarshal.AsBytes(targets), batch);
        return Train(batch, labels: false);
    }

    /// <summary>Inference: writes <c>batch × OutputSize</c> outputs in the CPU network's form (probabilities when the last layer declares the softmax or sigmoid its loss absorbed).</summary>
    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        var batch = BatchOf(inputs);
        BatchGuard.Fits(_typeName, "outputs", outputs.Length, batch * OutputSize);
        Stage(inputs, default, batch);
        Infer(batch, labels: null);
        ReadOutputs(outputs, batch);
    }

    /// <summary>Inference plus the mean loss against class labels, on the device, without touching gradients.</summary>
    public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Span<float> outputs)
    {
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        var batch = BatchOf(inputs);
        BatchGuard.Fits(_typeName, "outputs", outputs.Length, batch * OutputSize);
        CheckLabels(labels, batch);
        Stage(inputs, MemoryMarshal.AsBytes(labels), batch);
        var loss = Infer(batch, labels: true);
        ReadOutputs(outputs, batch);
        return loss;
    }

    /// <summary>Inference plus the mean loss against float targets, on the device, without touching gradients.</summary>
    public float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs)
    {
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        var batch = BatchOf(inputs);
        BatchGuard.Fits(_typeName, "outputs", outputs.Length, batch * OutputSize);
        LossGuard.CheckTargets(targets.Length, batch * OutputSize);
        Stage(inputs, MemoryMarshal.AsBytes(targets), batch);
        var loss = Infer(batch, labels: false);
        ReadOutputs(outputs, batch);
        return loss;
    }

    /// <summary>Frees the device memory (compiled programs stay cached for the process), first reading back the state of an optimizer last stepped here so it is not lost.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        ReleaseOptimizer();
        _disposed = true;
        foreach (var buffer in new[] { Parameters, Gradients, Buffers, Batch, Activations, ActivationGradients, LossTerms, InputGradientBuffer, GradientScratch })
        {
            if (buffer is not null)
            {
                Backend.Free(buffer);
            }
        }

        GC.SuppressFinalize(this);
    }

    private float Train(int batch, bool labels)
    {
        _parameters.BeforeDeviceUse();
        _buffers.BeforeDeviceUse();
        _gradients.BeforeDeviceUse();
        if (ComputeInputGradients)
        {
            EnsureInputGradients();
        }

        RunForward(batch, training: true);
        TrainingSteps++;
        RunLoss(batch, labels);
        RunBackward(batch);
        ClearFrozenGradients();
        _inputGradientBatch = ComputeInputGradients ? batch : 0;
        _inputGradientsRead = false;
        _buffers.DeviceWrote();
        _gradients.DeviceWrote();
        _lastBatch = batch;
        _lastOutputsRead = false;
        return MeanLoss(batch);
    }

    /// <summary>Inference on the staged batch, and its mean loss when <paramref name="labels"/> says how the targets were staged; the outputs get the link applied as on the CPU.</summary>
    private float Infer(int batch, bool? labels)
    {
        _parameters.BeforeDeviceUse();
        _buffers.BeforeDeviceUse();
        RunForward(batch, training: false);
        var loss = float.NaN;
        if (labels is { } useLabels)
        {
            // The loss also seeds the activation gradients, scratch space that no parameter gradient reads until the next training step rewrites it.
            RunLoss(batch, useLabels);
            loss = MeanLoss(batch);
        }

        ApplyLink(batch);
        return loss;
    }

    private void ReadOutputs(Span<float> outputs, int batch)
    {
        var count = batch * OutputSize;
        Backend.Download(Activations, MemoryMarshal.AsBytes(outputs[..count]), Bytes(batch * (long)OutputOffset));
        outputs[..count].CopyTo(_lastOutputs);
        _lastBatch = batch;
        _lastOutputsRead = true;
    }

    private float MeanLoss(int batch)
    {
        var terms = LossRules.HasTermPerValue(Loss) ? batch * OutputSize : batch;
        Backend.Download(LossTerms, MemoryMarshal.AsBytes(_lossTerms.AsSpan(0, terms)), 0);
        var total = 0.0;
        foreach (var term in _lossTerms.AsSpan(0, terms))
        {
            total += term;
        }

        return (float)(total / terms);
    }

    private void CheckLabels(ReadOnlySpan<int> labels, int batch)
    {
        if (!LossRules.TakesLabels(Loss))
        {
            throw new InvalidOperationException($"{_typeName} is trained with {Loss}, which compares float targets: pass targets instead of labels.");
        }

        LossGuard.CheckLabels(labels, batch, Loss == Loss.BinaryCrossEntropy ? 2 : OutputSize);
    }

    private int BatchOf(ReadOnlySpan<float> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var batch = BatchGuard.BatchSize(_typeName, inputs.Length, InputSize);
        // Before any batch × size product below: the capacity check refuses a batch whose products overflow.
        EnsureCapacity(batch);
        return batch;
    }

    /// <summary>Copies inputs and labels or targets into one staging array (sized by <see cref="BatchOf"/>) and uploads it in one call.</summary>
    private void Stage(ReadOnlySpan<float> inputs, ReadOnlySpan<byte> targets, int batch)
    {
        CheckInputs(inputs);
        var inputBytes = MemoryMarshal.AsBytes(inputs);
        var staging = MemoryMarshal.AsBytes(_staging.AsSpan());
        TargetsOffset = batch * InputSize;
        inputBytes.CopyTo(staging);
        targets.CopyTo(staging[inputBytes.Length..]);
        Backend.Upload(Batch, staging[..(inputBytes.Length + targets.Length)], 0);
    }

    private void EnsureCapacity(int batch)
    {
        if (batch <= BatchCapacity)
        {
            return;
        }

        // Sized in 64 bits and checked before the old buffers are freed: a batch too large leaves the
        // network usable, and every batch × per-sample index the kernels compute fits in an int.
        var activations = BatchGuard.Floats(_typeName, "activations", batch, _activationsPerSample);
        var staged = BatchGuard.Floats(_typeName, "staged inputs and targets", batch, (long)InputSize + OutputSize);
        var lossTerms = BatchGuard.Floats(_typeName, "loss terms", batch, OutputSize);

        foreach (var buffer in new[] { Batch, Activations, ActivationGradients, LossTerms })
        {
            if (buffer is not null)
            {
                Backend.Free(buffer);
            }
        }

        BatchCapacity = batch;
        _staging = new float[staged];
        _lossTerms = new float[lossTerms];
        _lastOutputs = new float[lossTerms];
        _lastBatch = 0;
        Batch = Backend.Allocate(Bytes(staged));
        Activations = Backend.Allocate(Bytes(activations));
        ActivationGradients = Backend.Allocate(Bytes(activations));
        LossTerms = Backend.Allocate(Bytes(lossTerms));
    }

    /// <summary>Sizes the input-gradient buffer (and its host copy) for the batch capacity, the first time a step computes dL/dinput or after the capacity grew.</summary>
    private void EnsureInputGradients()
    {
        if (_inputGradientCapacity >= BatchCapacity)
        {
            return;
        }

        var floats = BatchGuard.Floats(_typeName, "input gradients", BatchCapacity, _inputGradientsPerSample);
        if (InputGradientBuffer is not null)
        {
            Backend.Free(InputGradientBuffer);
        }

        InputGradientBuffer = Backend.Allocate(Bytes(floats));
        _inputGradients = new float[BatchCapacity * (long)InputSize];
        _inputGradientCapacity = BatchCapacity;
        _inputGradientBatch = 0;
    }

    private static long Bytes(long floats) => floats * sizeof(float);
}
