using System;
using NetGen.Distributed;

namespace NetGen.Training;

/// <summary>
/// The overlap of a data-parallel step: the flat gradient buffer cut from its end into buckets of a fixed
/// size, each scaled to its share of the global batch and all-reduced as soon as backward has announced all
/// of it final (<see cref="IGradientReadyHook"/>), while backward goes on with the earlier layers.
/// </summary>
/// <remarks>
/// The buckets depend only on the buffer's length and the bucket size, never on which layers backward ran,
/// so every rank starts the same all-reduces in the same order (MPI requires it) even when a rank's shard is
/// empty and it runs no backward at all: <see cref="Finish"/> starts whatever is left, then waits for all.
/// </remarks>
internal sealed class GradientBuckets : IGradientReadyHook
{
    private readonly ICommunicator _communicator;
    private readonly int _bucketFloats;
    private INetwork? _model;
    private float _share;
    // Gradients [0, _unsent) have not been handed to the communicator this step.
    private int _unsent;

    public GradientBuckets(ICommunicator communicator, int bucketBytes)
    {
        _communicator = communicator;
        _bucketFloats = Math.Max(1, bucketBytes / sizeof(float));
    }

    /// <summary>Starts a step whose gradients are scaled by <paramref name="share"/> (this rank's samples over the global batch's) before they are summed.</summary>
    public void Begin(INetwork model, float share)
    {
        _model = model;
        _share = share;
        _unsent = model.Gradients.Length;
    }

    /// <inheritdoc/>
    public void GradientReady(int offset, int length) => SendFrom(offset);

    /// <summary>Starts the buckets backward did not finish (all of them for a rank that ran none) and waits until every bucket is summed.</summary>
    public void Finish()
    {
        SendFrom(0);
        _communicator.WaitForStarted();
        _model = null;
    }

    /// <summary>Starts every whole bucket inside <c>[final, _unsent)</c>, from the end of the buffer down.</summary>
    private void SendFrom(int final)
    {
        var gradients = _model!.Gradients;
        while (_unsent > 0 && Math.Max(0, _unsent - _bucketFloats) >= final)
        {
            var start = Math.Max(0, _unsent - _bucketFloats);
            var bucket = gradients[start.._unsent];
            System.Numerics.Tensors.TensorPrimitives.Multiply(bucket, _share, bucket);
            _communicator.StartAllReduceSum(bucket, "gradients");
            _unsent = start;
        }
    }
}
