using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace NetGen.Data;

/// <summary>
/// The batches of one epoch. Workers claim batch numbers in order and fill the ring slot
/// <c>number % ring size</c> once the consumer has released the batch that used it before, so at
/// most <see cref="DataLoaderOptions.PrefetchBatches"/> batches are prepared ahead of the one held.
/// Enumerate it once; disposing it (as <c>foreach</c> does) stops and joins the workers.
/// </summary>
public sealed class DataLoaderEpoch : IEnumerable<Batch>, IEnumerator<Batch>
{
    private readonly DataLoader _loader;
    private readonly object _gate = new();
    private int[] _order = [];
    private BatchBuffer[] _ring = [];
    private Thread[] _workers = [];
    private bool _enumerated;
    private bool _started;
    private volatile bool _stopped;
    private bool _disposed;
    private int _claimed;
    private int _released;
    private int _current = -1;
    private DataLoaderException? _failure;

    internal DataLoaderEpoch(DataLoader loader, int index)
    {
        _loader = loader;
        Index = index;
    }

    /// <summary>The epoch number, which keys the shuffle and the augmentation seeds.</summary>
    public int Index { get; }

    /// <summary>The batch served by the last successful <see cref="MoveNext"/>.</summary>
    public Batch Current { get; private set; }

    object IEnumerator.Current => Current;

    /// <summary>Returns this epoch as its own enumerator; an epoch can be enumerated only once.</summary>
    public IEnumerator<Batch> GetEnumerator()
    {
        if (_enumerated)
        {
            throw new InvalidOperationException($"Epoch {Index} was already enumerated; call DataLoader.Epoch({Index}) again for a fresh pass.");
        }

        _enumerated = true;
        return this;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Releases the current batch's buffer to the workers and waits for the next batch.</summary>
    /// <exception cref="DataLoaderException">The dataset threw on a worker; the original is the inner exception.</exception>
    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_started)
        {
            Start();
        }

        lock (_gate)
        {
            _released = _current + 1;
            Monitor.PulseAll(_gate);
            if (_current + 1 >= _loader.BatchCount)
            {
                _current = _loader.BatchCount;
                return false;
            }

            _current++;
            var slot = _ring[_current % _ring.Length];
            while (slot.ReadyBatch != _current)
            {
                if (_failure is not null)
                {
                    throw _failure;
                }

                ObjectDisposedException.ThrowIf(_stopped, this);
                Monitor.Wait(_gate);
            }

            Current = new Batch(_current, _loader.ShardRows(_loader.GlobalBatchSize(_current)).Count, _loader.SampleSize, slot.Inputs, slot.Labels, slot.Targets, _loader.TargetSize, slot.SampleIndices);
            return true;
        }
    }

    /// <summary>Not supported: ask the loader for the epoch again.</summary>
    public void Reset() => throw new NotSupportedException($"Call DataLoader.Epoch({Index}) again for a fresh pass.");

    /// <summary>Stops the workers and waits for them to exit; the last batch's buffers go back to the loader.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }

        foreach (var worker in _workers)
        {
            worker.Join();
        }

        _loader.Deactivate(this);
    }

    private void Start()
    {
        _started = true;
        (_order, _ring) = _loader.Activate(this);
        foreach (var slot in _ring)
        {
            slot.ReadyBatch = -1;
        }

        _workers = new Thread[_loader.Options.Workers];
        for (var w = 0; w < _workers.Length; w++)
        {
            _workers[w] = new Thread(Work) { IsBackground = true, Name = $"NetGen DataLoader worker {w}" };
            _workers[w].Start();
        }
    }

    /// <summary>A worker: claim the next batch number, wait for its slot to be released, fill it, publish it.</summary>
    private void Work()
    {
        while (true)
        {
            var batch = Interlocked.Increment(ref _claimed) - 1;
            if (batch >= _loader.BatchCount)
            {
                return;
            }

            var slot = _ring[batch % _ring.Length];
            lock (_gate)
            {
                while (!_stopped && _released <= batch - _ring.Length)
                {
                    Monitor.Wait(_gate);
                }
            }

            if (_stopped || !TryFill(batch, slot))
            {
                return;
            }

            lock (_gate)
            {
                slot.ReadyBatch = batch;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Reads the samples of <paramref name="batch"/> into <paramref name="slot"/>; false when stopped or failed.</summary>
    private bool TryFill(int batch, BatchBuffer slot)
    {
        var dataset = _loader.Dataset;
        var options = _loader.Options;
        var sampleSize = _loader.SampleSize;
        var (shardFirst, size) = _loader.ShardRows(_loader.GlobalBatchSize(batch));
        var first = (batch * options.BatchSize) + shardFirst;
        for (var i = 0; i < size; i++)
        {
            if (_stopped)
            {
                return false;
            }

            var index = _order[first + i];
            try
            {
                var label = dataset.Read(index, slot.Inputs.AsSpan(i * sampleSize, sampleSize), DataLoader.AugmentationSeed(options.Seed, Index, index));
                if (_loader.TargetSize > 0)
                {
                    ((ITargetDataset)dataset).ReadTarget(index, slot.Targets.AsSpan(i * _loader.TargetSize, _loader.TargetSize));
                }
                else if ((uint)label >= (uint)dataset.ClassCount)
                {
                    throw new InvalidDataException($"Sample {index} has label {label}, outside [0, {dataset.ClassCount}).");
                }

                slot.Labels[i] = label;
                slot.SampleIndices[i] = index;
            }
            catch (Exception ex)
            {
                Fail(new DataLoaderException(index, $"{dataset.GetType().Name} failed reading sample {index} (batch {batch} of epoch {Index}) on a loader worker: {ex.Message}", ex));
                return false;
            }
        }

        return true;
    }

    private void Fail(DataLoaderException failure)
    {
        lock (_gate)
        {
            _failure ??= failure;
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
    }
}
