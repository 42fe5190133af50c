using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen.Kernels.Threading;

/// <summary>
/// A small pool of persistent background threads for the compute kernels. A run hands out parts
/// through one shared counter; the calling thread works too and waits for the last part. Starting
/// a run allocates nothing: no delegates, tasks or closures, only a reused <see cref="IParallelWork"/>.
/// One run at a time: a caller that finds the pool busy (another thread's run) is told so and does
/// its work alone instead of queueing.
/// </summary>
internal sealed class WorkerPool
{
    /// <summary>Pause instructions between two looks at the wake count: short, since a look only reads one field.</summary>
    private const int SpinIterations = 16;

    /// <summary>How long an idle worker spins before it blocks: 100 µs, a few of a small network's products.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000;

    private readonly Lock _runLock = new();
    private readonly Lock _growLock = new();
    private readonly SemaphoreSlim _wake = new(0);
    // Released once per run, by whichever thread finishes its last part; the caller waits once.
    // A semaphore rather than a ManualResetEventSlim: the latter creates its lock object on the first
    // wait that blocks, a 24-byte allocation that could land in any later training step.
    private readonly SemaphoreSlim _finished = new(0);
    private IParallelWork? _work;

    // The run's part count (high 32 bits) and its next unclaimed part (low 32 bits), changed together
    // by compare-and-swap. A worker woken late for an old run therefore either sees that run exhausted
    // or claims a genuine part of the current one; it can never claim a part twice or a half-published run.
    private long _claims;
    private int _unfinishedParts;
    private int _workerCount;
    private ExceptionDispatchInfo? _failure;
    private long _completedRuns;
    private long _sleeps;

    private WorkerPool()
    {
    }

    /// <summary>The process-wide pool.</summary>
    public static WorkerPool Shared { get; } = new();

    /// <summary>How many runs have completed; tests use it to see that a product really took the threaded path.</summary>
    public long CompletedRuns => Interlocked.Read(ref _completedRuns);

    /// <summary>How many times a worker found no run within its spin and blocked; tests use it to see that back-to-back runs keep the workers awake.</summary>
    public long WorkerSleeps => Interlocked.Read(ref _sleeps);

    /// <summary>
    /// Runs parts <c>[0, partCount)</c> of <paramref name="work"/> on the caller and up to
    /// <c>partCount − 1</c> workers, and returns when all are done (rethrowing a part's exception).
    /// Returns false without running anything when another run holds the pool, including a run
    /// this thread is taking part in (a part that starts a product of its own runs it alone).
    /// </summary>
    public bool TryRun(IParallelWork work, int partCount)
    {
        // Lock is reentrant: without the first test the caller, busy with part 0, would restart the pool under its own run.
        if (_runLock.IsHeldByCurrentThread || !_runLock.TryEnter())
        {
            return false;
        }

        try
        {
            EnsureWorkers(partCount - 1);
            _work = work;
            _failure = null;
            _unfinishedParts = partCount;

            // Published last, so a worker can claim a part only once the whole run is in place.
            Volatile.Write(ref _claims, (long)partCount << 32);
            if (partCount > 1)
            {
                _wake.Release(partCount - 1);
            }

            RunParts();
            _finished.Wait();
            _work = null;
            _failure?.Throw();
            Interlocked.Increment(ref _completedRuns);
            return true;
        }
        finally
        {
            _runLock.Exit();
        }
    }

    private void RunParts()
    {
        while (TryClaim(out var part, out var partCount))
        {
            try
            {
                _work!.Execute(part, partCount);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);
            }

            if (Interlocked.Decrement(ref _unfinishedParts) == 0)
            {
                _finished.Release();
            }
        }
    }

    private bool TryClaim(out int part, out int partCount)
    {
        while (true)
        {
            var claims = Volatile.Read(ref _claims);
            partCount = (int)(claims >> 32);
            part = (int)claims;
            if (part >= partCount)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _claims, claims + 1, claims) == claims)
            {
                return true;
            }
        }
    }

    private void EnsureWorkers(int count)
    {
        if (Volatile.Read(ref _workerCount) >= count)
        {
            return;
        }

        lock (_growLock)
        {
            while (_workerCount < count)
            {
                var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"NetGen worker {_workerCount + 1}" };
                thread.Start();
                _workerCount++;
            }
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            if (!TryTakeWakeSpinning())
            {
                Interlocked.Increment(ref _sleeps);
                _wake.Wait();
            }

            RunParts();
        }
    }

    /// <summary>
    /// Spins for up to <see cref="SpinTicks"/> until the next run's wake is released and takes it, so that
    /// a run following soon after the last one (a training step's products, each some microseconds long)
    /// finds its worker awake: a blocked thread takes tens of microseconds to wake, as long as a whole
    /// 128³ product takes on two cores. False when the spin gave up and the worker must block.
    /// </summary>
    private bool TryTakeWakeSpinning()
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (true)
        {
            if (_wake.CurrentCount > 0 && _wake.Wait(0))
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            Thread.SpinWait(SpinIterations);
        }
    }
}
