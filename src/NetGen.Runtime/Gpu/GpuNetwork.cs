using System;
using System.Runtime.InteropServices;
using NetGen.Losses;

namespace NetGen.Gpu;

/// <summary>
/// What every generated <c>{Network}.Gpu</c> class shares: the device memory arena, staging of a
/// batch in one upload, the loss read-back, optimizer steps on the device and parameter copies.
/// The generated class supplies the kernel source and the launch sequence of its layers.
/// </summary>
/// <remarks>
/// Memory is planned like the CPU network's: one device allocation per buffer kind — parameters,
/// gradients (same layout), optimizer state, and, sized for the largest batch seen, the staged
/// batch (inputs, then labels or targets), activations, activation gradients and loss terms.
/// </remarks>
public abstract class GpuNetwork : IDisposable
{
    /// <summary>Work items per group of one-dimensional kernels.</summary>
    private const int GroupSize = 64;

    /// <summary>Edge of the output tile one SGEMM work group computes, and its threads per edge.</summary>
    private const int GemmTile = 32;
    private const int GemmThreads = 16;

    private readonly string _typeName;
    private readonly int _activationsPerSample;
    private float[] _staging = [];
    private float[] _lossTerms = [];
    private GpuArg[] _tiledArguments = [];
    private GpuBuffer? _optimizerState;
    private Type? _optimizerKind;
    private long _steps;
    private bool _disposed;

    // 1 while TrainStep, Forward or Step runs: the instance is not thread-safe, so a second thread entering gets an exception.
    private int _inUse;

    /// <summary>Opens <paramref name="device"/>, compiles (or finds cached) <paramref name="kernelSource"/> and uploads the parameters of <paramref name="network"/>.</summary>
    protected GpuNetwork(INetwork network, Device device, string kernelSource, int activationsPerSample)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(kernelSource);
        _typeName = network.GetType().Name;
        RequireAllTrainable(network, _typeName);
        Backend = device.Open();
        Program = Backend.Compile(kernelSource);
        InputSize = network.InputSize;
        OutputSize = network.OutputSize;
        ParameterCount = network.Parameters.Length;
        BufferCount = network.Buffers.Length;
        Loss = network.Loss;
        _activationsPerSample = activationsPerSample;
        Parameters = Backend.Allocate(Bytes(ParameterCount));
        Gradients = Backend.Allocate(Bytes(ParameterCount));
        // At least one float: a zero-sized allocation is an error in OpenCL.
        Buffers = Backend.Allocate(Bytes(Math.Max(1, BufferCount)));
        CopyParametersFrom(network);
    }

    /// <summary>The backend the network runs on (its <see cref="IGpuBackend.Name"/> names the device).</summary>
    public IGpuBackend Backend { get; }

    /// <summary>Floats per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Floats per output sample.</summary>
    public int OutputSize { get; }

    /// <summary>Number of parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>Number of non-trainable state values (BatchNorm's running statistics).</summary>
    public int BufferCount { get; }

    /// <summary>The loss the network trains with.</summary>
    public Loss Loss { get; }

    /// <summary>Optimizer steps taken on the device so far (Adam's bias correction counts them).</summary>
    public long StepCount => _steps;

    /// <summary>
    /// Training forward passes so far; with the network's seed it fixes each step's dropout masks, as
    /// on the CPU. A network with Dropout starts from the CPU network's count when it is copied to the
    /// device, so the masks continue where the CPU left off.
    /// </summary>
    public long TrainingSteps { get; protected set; }

    /// <summary>The compiled kernels of this network.</summary>
    protected GpuProgram Program { get; }

    /// <summary>Parameters, in the CPU network's layout.</summary>
    protected GpuBuffer Parameters { get; }

    /// <summary>Gradients, mirroring <see cref="Parameters"/>.</summary>
    protected GpuBuffer Gradients { get; }

    /// <summary>Non-trainable state (BatchNorm's running statistics), in the CPU network's buffer layout.</summary>
    protected GpuBuffer Buffers { get; }

    /// <summary>The staged batch: inputs from 0, then labels (ints) or targets (floats) from <see cref="TargetsOffset"/>.</summary>
    protected GpuBuffer Batch { get; private set; } = null!;

    /// <summary>Activations: a layer's output for the whole batch at <c>batch × offset</c>, as on the CPU.</summary>
    protected GpuBuffer Activations { get; private set; } = null!;

    /// <summary>Gradients of activations, same offsets as <see cref="Activations"/>.</summary>
    protected GpuBuffer ActivationGradients { get; private set; } = null!;

    /// <summary>Per-sample (softmax cross-entropy) or per-element loss terms, summed on the host.</summary>
    protected GpuBuffer LossTerms { get; private set; } = null!;

    /// <summary>Where labels or targets start in <see cref="Batch"/>, in 4-byte elements.</summary>
    protected int TargetsOffset { get; private set; }

    /// <summary>Batch size the per-batch buffers are sized for.</summary>
    protected int BatchCapacity { get; private set; }

    /// <summary>One training step's forward pass, loss and backward pass on the device; returns the mean loss. Gradients stay on the device until <see cref="Step"/>.</summary>
    public float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels)
    {
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        var batch = BatchOf(inputs);
        if (!LossRules.TakesLabels(Loss))
        {
            throw new InvalidOperationException($"{_typeName} is trained with {Loss}, which compares float targets: pass targets instead of labels.");
        }

        LossGuard.CheckLabels(labels, batch, Loss == Loss.BinaryCrossEntropy ? 2 : OutputSize);
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

    /// <summary>Inference: writes <c>batch × OutputSize</c> outputs (probabilities when the loss absorbed a softmax or sigmoid).</summary>
    public void Forward(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        var batch = BatchOf(inputs);
        BatchGuard.Fits(_typeName, "outputs", outputs.Length, batch * OutputSize);
        Stage(inputs, default, batch);
        RunForward(batch, training: false);
        ApplyLink(batch);
        Backend.Download(Activations, MemoryMarshal.AsBytes(outputs[..(batch * OutputSize)]), Bytes(batch * (long)OutputOffset));
    }

    /// <summary>Updates the parameters on the device with the gradients of the last <see cref="TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int})"/>.</summary>
    /// <exception cref="InvalidOperationException">A different kind of optimizer was used before (its device state would not fit).</exception>
    public void Step(GpuOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        if (_optimizerKind is not null && _optimizerKind != optimizer.GetType())
        {
            throw new InvalidOperationException($"{_typeName} on {Backend.Name} was stepped with {_optimizerKind.Name} before; its state cannot serve {optimizer.GetType().Name}.");
        }

        if (_optimizerState is null)
        {
            // Two floats per parameter: the momentum buffer, or Adam's two moment averages.
            _optimizerState = Backend.Allocate(Bytes(2L * ParameterCount));
            Backend.Upload(_optimizerState, new byte[Bytes(2L * ParameterCount)], 0);
            _optimizerKind = optimizer.GetType();
        }

        _steps++;
        if (optimizer is GpuAdam adam)
        {
            // As in PyTorch, the scalars are computed in double and rounded once to float.
            var biasCorrection1 = 1 - Math.Pow(adam.Beta1, _steps);
            var biasCorrection2 = 1 - Math.Pow(adam.Beta2, _steps);
            Launch(
                "adam_step",
                ParameterCount,
                Parameters,
                Gradients,
                _optimizerState,
                ParameterCount,
                (float)adam.Beta1,
                (float)(1 - adam.Beta1),
                (float)adam.Beta2,
                (float)(1 - adam.Beta2),
                (float)Math.Sqrt(biasCorrection2),
                (float)adam.Epsilon,
                (float)(-(adam.LearningRate / biasCorrection1)),
                (float)adam.WeightDecay);
        }
        else if (optimizer is GpuSgd sgd)
        {
            Launch(
                "sgd_step",
                ParameterCount,
                Parameters,
                Gradients,
                _optimizerState,
                ParameterCount,
                -sgd.LearningRate,
                (float)sgd.Momentum,
                (float)(1 - sgd.Dampening),
                (float)sgd.WeightDecay,
                sgd.Nesterov ? 1 : 0,
                _steps == 1 ? 1 : 0);
        }
    }

    /// <summary>Downloads the parameters, buffers (running statistics) and training-step count into <paramref name="network"/> (same layout), e.g. to evaluate or save it on the CPU.</summary>
    public void CopyParametersTo(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckLayout(network, nameof(network));
        Backend.Download(Parameters, MemoryMarshal.AsBytes(network.Parameters), 0);
        if (BufferCount > 0)
        {
            Backend.Download(Buffers, MemoryMarshal.AsBytes(network.Buffers), 0);
        }

        // The device's step count travels too, so a checkpoint of the CPU network resumes its dropout masks.
        network.TrainingSteps = TrainingSteps;
    }

    /// <summary>Uploads the parameters and buffers of <paramref name="network"/> (same layout), e.g. after loading a checkpoint.</summary>
    public void CopyParametersFrom(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckLayout(network, nameof(network));
        Backend.Upload(Parameters, MemoryMarshal.AsBytes(network.Parameters), 0);
        if (BufferCount > 0)
        {
            Backend.Upload(Buffers, MemoryMarshal.AsBytes(network.Buffers), 0);
        }
    }

    /// <summary>Downloads the gradients of the last training step into <paramref name="destination"/> (<see cref="ParameterCount"/> floats).</summary>
    public void CopyGradientsTo(Span<float> destination)
    {
        if (destination.Length != ParameterCount)
        {
            throw new ArgumentException($"{_typeName} has {ParameterCount} gradients, but the destination holds {destination.Length}.", nameof(destination));
        }

        Backend.Download(Gradients, MemoryMarshal.AsBytes(destination), 0);
    }

    /// <summary>Frees the device memory (compiled programs stay cached for the process).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var buffer in new[] { Parameters, Gradients, Buffers, _optimizerState, Batch, Activations, ActivationGradients, LossTerms })
        {
            if (buffer is not null)
            {
                Backend.Free(buffer);
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Per-sample offset of the last layer's output in <see cref="Activations"/>.</summary>
    protected abstract int OutputOffset { get; }

    /// <summary>Launches every layer's forward kernels; <paramref name="training"/> makes Dropout drop.</summary>
    protected abstract void RunForward(int batch, bool training);

    /// <summary>Launches the loss kernel: loss terms, and the gradient of the last layer's output that seeds backward.</summary>
    protected abstract void RunLoss(int batch, bool labels);

    /// <summary>Launches every layer's backward kernels in reverse order.</summary>
    protected abstract void RunBackward(int batch);

    /// <summary>Applies the link the loss absorbed (softmax, sigmoid) to the outputs, for inference.</summary>
    protected abstract void ApplyLink(int batch);

    /// <summary>Launches a one-dimensional kernel over <paramref name="count"/> items (the kernel ignores items past the count).</summary>
    protected void Launch(string kernel, int count, params ReadOnlySpan<GpuArg> args)
    {
        var groups = Math.Max(1, (count + GroupSize - 1) / GroupSize);
        Backend.Launch(Program, kernel, new GpuGrid(groups * GroupSize, 1), new GpuGrid(GroupSize, 1), args);
    }

    /// <summary>
    /// <c>C[m, n] (+)= Σₖ A(m, k) · B(k, n)</c> on the device. A and B are read through
    /// strides, so either may be transposed: <c>A(m, k) = a[aOffset + m·aRow + k·aColumn]</c>; C is
    /// row-major with <paramref name="n"/> columns.
    /// </summary>
    /// <remarks>A backend with a vendor BLAS (cuBLAS) runs it there; otherwise the tiled kernel does.</remarks>
    protected void Gemm(int m, int n, int k, GpuBuffer a, int aOffset, int aRow, int aColumn, GpuBuffer b, int bOffset, int bRow, int bColumn, GpuBuffer c, int cOffset, bool accumulate)
    {
        if (!Backend.TryGemm(new GpuGemm(m, n, k, a, aOffset, aRow, aColumn, b, bOffset, bRow, bColumn, c, cOffset, accumulate)))
        {
            Tiled("sgemm", m, n, k, a, aOffset, aRow, aColumn, b, bOffset, bRow, bColumn, c, cOffset, accumulate ? 1 : 0);
        }
    }

    /// <summary>
    /// Launches a kernel built on the tiled GEMM body (<c>kernel(m, n, k, args…)</c>: the SGEMM or a
    /// convolution's implicit GEMM), one 16 × 16 work group per 32 × 32 tile of the <c>m × n</c> result.
    /// </summary>
    protected void Tiled(string kernel, int m, int n, int k, params ReadOnlySpan<GpuArg> args)
    {
        var global = new GpuGrid((n + GemmTile - 1) / GemmTile * GemmThreads, (m + GemmTile - 1) / GemmTile * GemmThreads);
        // One array kept for every launch (GpuArg holds a buffer reference, so no stackalloc): no allocation per step.
        if (_tiledArguments.Length < args.Length + 3)
        {
            _tiledArguments = new GpuArg[args.Length + 3];
        }

        var all = _tiledArguments.AsSpan(0, args.Length + 3);
        all[0] = m;
        all[1] = n;
        all[2] = k;
        args.CopyTo(all[3..]);
        Backend.Launch(Program, kernel, global, new GpuGrid(GemmThreads, GemmThreads), all);
    }

    /// <summary>
    /// Dropout over <paramref name="count"/> values: in training the mask of (<paramref name="seed"/>,
    /// <paramref name="layer"/>, <see cref="TrainingSteps"/>) that <see cref="NetGen.Dropout.Forward{T}"/>
    /// draws on the CPU, written to <paramref name="mask"/>; in inference an exact copy.
    /// </summary>
    protected void LaunchDropout(bool training, int seed, int layer, double rate, int count, GpuBuffer x, int xOffset, GpuBuffer y, int yOffset, GpuBuffer mask, int maskOffset)
    {
        if (!training)
        {
            Launch("dropout_forward", count, x, xOffset, y, yOffset, mask, maskOffset, count, 0, 0, 0, 1.0f);
            return;
        }

        // As NetGen.Dropout.Forward: keep when the high 32 bits reach rate · 2³² (below 2³² since rate < 1).
        var stream = NetGen.Dropout.StreamSeed(seed, layer, TrainingSteps);
        var threshold = (ulong)(rate * 4294967296.0);
        var scale = (float)(1.0 / (1.0 - rate));
        Launch("dropout_forward", count, x, xOffset, y, yOffset, mask, maskOffset, count, unchecked((int)(uint)stream), unchecked((int)(uint)(stream >> 32)), unchecked((int)(uint)threshold), scale);
    }

    /// <summary>Refuses a training batch with fewer than two values per channel for BatchNorm <paramref name="layer"/>, as the CPU does.</summary>
    protected void RequireBatchStatistics(string layer, int batch, int spatial)
    {
        if (batch * spatial < 2)
        {
            throw new InvalidOperationException($"BatchNorm '{layer}' needs more than one value per channel in training, but the batch has {batch} sample(s) of {spatial} value(s) per channel; train with a batch of at least 2.");
        }
    }

    private float Train(int batch, bool labels)
    {
        RunForward(batch, training: true);
        TrainingSteps++;
        RunLoss(batch, labels);
        RunBackward(batch);
        var terms = LossRules.HasTermPerValue(Loss) ? batch * OutputSize : batch;
        Backend.Download(LossTerms, MemoryMarshal.AsBytes(_lossTerms.AsSpan(0, terms)), 0);
        var total = 0.0;
        foreach (var term in _lossTerms.AsSpan(0, terms))
        {
            total += term;
        }

        return (float)(total / terms);
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
        Batch = Backend.Allocate(Bytes(staged));
        Activations = Backend.Allocate(Bytes(activations));
        ActivationGradients = Backend.Allocate(Bytes(activations));
        LossTerms = Backend.Allocate(Bytes(lossTerms));
    }

    private void CheckLayout(INetwork network, string argument)
    {
        if (network.Parameters.Length != ParameterCount || network.Buffers.Length != BufferCount || network.InputSize != InputSize || network.OutputSize != OutputSize)
        {
            throw new ArgumentException($"{network.GetType().Name} ({network.Parameters.Length} parameters) does not have the layout of {_typeName} ({ParameterCount} parameters).", argument);
        }
    }

    private static void RequireAllTrainable(INetwork network, string typeName)
    {
        var trainable = 0;
        foreach (var range in network.TrainableRanges)
        {
            trainable += range.Length;
        }

        if (trainable != network.Parameters.Length)
        {
            throw new NotSupportedException($"{typeName} has frozen layers; the GPU path trains every parameter, so unfreeze them (SetFrozen) or train on the CPU.");
        }
    }

    private static long Bytes(long floats) => floats * sizeof(float);
}
