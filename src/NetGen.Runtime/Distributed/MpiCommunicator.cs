using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;

namespace NetGen.Distributed;

/// <summary>
/// <see cref="ICommunicator"/> over MPI (MPICH's ABI: MPICH, Intel MPI, MVAPICH; or Open MPI's), for processes
/// started by <c>mpiexec -np N</c> on one machine or several; the library follows the launcher (<c>NETGEN_MPI</c>
/// = <c>mpich</c> or <c>openmpi</c> overrides it). MPI's error handler is set to return,
/// so a failing call becomes a <see cref="DistributedException"/> naming this rank instead of a
/// silent abort, and every collective waits at most <see cref="Timeout"/>: when it expires the ranks
/// still present tell each other where they are, and the exception names the ranks that did not answer.
/// </summary>
/// <remarks>
/// MPI can be initialised once per process, so one communicator serves a whole process; disposing it
/// finalises MPI. Call it from one thread (MPI_THREAD_FUNNELED). A wait polls MPI_Test, yielding the
/// core between polls, and allocates nothing.
/// </remarks>
public sealed unsafe class MpiCommunicator : ICommunicator, IDisposable
{
    // A tag no collective uses, for the where-are-you exchange after a timeout.
    private const int WhereTag = 0x4E47;
    private const int Success = 0;
    private const int MaxErrorString = 512;
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BusyWait = TimeSpan.FromMilliseconds(50);
    private static int s_initialized;

    private long _collectives;
    // The all-reduces StartAllReduceSum started and WaitForStarted has not completed: requests and names.
    private nint[] _started = new nint[16];
    private string[] _startedWhat = new string[16];
    private int _startedCount;
    private bool _disposed;
    // Set once an exchange failed: MPI may still write into its buffers, and the ranks are out of step.
    private bool _failed;
    // The where-are-you buffers of a timeout, kept alive because a late answer may still land in them.
    private double[][] _lateAnswers = [];

    private readonly IMpiBinding _mpi;

    private MpiCommunicator(IMpiBinding mpi, int rank, int size, TimeSpan timeout)
    {
        _mpi = mpi;
        Rank = rank;
        Size = size;
        Timeout = timeout;
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <summary>
    /// The longest any collective waits for the other ranks. It must exceed the longest honest wait:
    /// rank 0's validation pass and checkpoint writing while the others wait for its results.
    /// </summary>
    public TimeSpan Timeout { get; }

    /// <summary>The MPI implementation and library bound: <c>MPICH (libmpich.so.12)</c> or <c>Open MPI (libmpi.so.40)</c>.</summary>
    public string Library => _mpi.Name;

    /// <summary>
    /// Initialises MPI in this process (started by <c>mpiexec</c>, or alone as a single rank) and
    /// returns the communicator of all its processes.
    /// </summary>
    /// <param name="timeout">How long a collective may wait for the other ranks; 5 minutes when null.</param>
    /// <exception cref="DistributedException">MPI's library is not installed, NETGEN_MPI names no known one, or MPI's initialisation failed.</exception>
    /// <exception cref="InvalidOperationException">MPI was already initialised in this process.</exception>
    public static MpiCommunicator Initialize(TimeSpan? timeout = null)
    {
        var wait = timeout ?? TimeSpan.FromMinutes(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        var mpi = MpiLibrary.Load();
        if (Interlocked.Exchange(ref s_initialized, 1) == 1)
        {
            throw new InvalidOperationException("MPI was already initialised in this process; MPI allows it once, so keep the first MpiCommunicator for the whole run.");
        }

        Started(mpi, mpi.InitThreadFunneled(), 0, "MPI_Init_thread");
        Started(mpi, mpi.SetErrorsReturn(), 0, "MPI_Comm_set_errhandler");
        Started(mpi, mpi.Rank(out var rank), 0, "MPI_Comm_rank");
        Started(mpi, mpi.Size(out var size), rank, "MPI_Comm_size");
        return new MpiCommunicator(mpi, rank, size, wait);
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, string what)
    {
        fixed (float* buffer = values)
        {
            Check(_mpi.Ibcast(buffer, values.Length, MpiElement.Float, out var request), "MPI_Ibcast");
            Wait(ref request, "broadcast", what);
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<double> values, string what)
    {
        fixed (double* buffer = values)
        {
            Check(_mpi.Ibcast(buffer, values.Length, MpiElement.Double, out var request), "MPI_Ibcast");
            Wait(ref request, "broadcast", what);
        }
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<float> values, string what)
    {
        fixed (float* buffer = values)
        {
            Check(_mpi.IallreduceSum(buffer, values.Length, MpiElement.Float, out var request), "MPI_Iallreduce");
            Wait(ref request, "all-reduce", what);
        }
    }

    /// <inheritdoc/>
    public void AllReduceSum(Span<double> values, string what)
    {
        fixed (double* buffer = values)
        {
            Check(_mpi.IallreduceSum(buffer, values.Length, MpiElement.Double, out var request), "MPI_Iallreduce");
            Wait(ref request, "all-reduce", what);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// MPICH moves a non-blocking collective on only inside MPI calls (it has no progress thread by
    /// default), so each start also tests the sums started before it: a step's buckets then advance at
    /// every bucket boundary of backward, not only in the final wait.
    /// </remarks>
    public void StartAllReduceSum(Span<float> values, string what)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var i = 0; i < _startedCount; i++)
        {
            Check(_mpi.Test(ref _started[i], out _), "MPI_Test", "all-reduce", _startedWhat[i]);
        }

        if (_startedCount == _started.Length)
        {
            Array.Resize(ref _started, _started.Length * 2);
            Array.Resize(ref _startedWhat, _started.Length);
        }

        fixed (float* buffer = values)
        {
            Check(_mpi.IallreduceSum(buffer, values.Length, MpiElement.Float, out _started[_startedCount]), "MPI_Iallreduce");
        }

        _startedWhat[_startedCount++] = what;
    }

    /// <inheritdoc/>
    public void WaitForStarted()
    {
        for (var i = 0; i < _startedCount; i++)
        {
            Wait(ref _started[i], "all-reduce", _startedWhat[i]);
        }

        _startedCount = 0;
    }

    /// <summary>
    /// Ends the whole job now (MPI_Abort): for a rank that cannot go on, since the others would
    /// otherwise wait for it. The launcher kills every process and exits with <paramref name="exitCode"/>.
    /// </summary>
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        _mpi.Abort(exitCode);
    }

    /// <summary>
    /// Finalises MPI after a run that ended normally on every rank. After a failed exchange it aborts
    /// the job instead (exit code 1), since finalising would wait for the rank that failed.
    /// </summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_failed)
            {
                Abort(1);
            }

            _mpi.Finalize();
        }
    }

    private void Wait(ref nint request, string operation, string what)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _collectives++;
        var started = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (true)
        {
            Check(_mpi.Test(ref request, out var done), "MPI_Test", operation, what);
            if (done != 0)
            {
                return;
            }

            var waited = Stopwatch.GetElapsedTime(started);
            if (waited > Timeout)
            {
                _failed = true;
                throw TimedOut(operation, what);
            }

            // Yield (never sleep) through the waits of a normal step, so a millisecond sleep is not added
            // to each exchange; a long wait (a rank validating or stuck) sleeps and leaves the core alone.
            if (waited < BusyWait)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }

    /// <summary>
    /// Asks every other rank which collective it is in. Ranks waiting in this one time out too and
    /// answer; a rank that died or hangs elsewhere does not, and the message names it.
    /// </summary>
    private DistributedException TimedOut(string operation, string what)
    {
        var answers = GC.AllocateArray<double>(Size, pinned: true);
        var mine = GC.AllocateArray<double>(1, pinned: true);
        _lateAnswers = [answers, mine];
        mine[0] = _collectives;
        var pending = new Dictionary<int, nint>();
        fixed (double* answer = answers)
        fixed (double* position = mine)
        {
            for (var other = 0; other < Size; other++)
            {
                if (other != Rank)
                {
                    _mpi.Isend(position, other, WhereTag, out _);
                    _mpi.Irecv(answer + other, other, WhereTag, out var receive);
                    pending[other] = receive;
                }
            }

            var asked = Stopwatch.GetTimestamp();
            while (pending.Count > 0 && Stopwatch.GetElapsedTime(asked) < AnswerWait)
            {
                foreach (var (other, receive) in pending.ToArray())
                {
                    var request = receive;
                    if (_mpi.Test(ref request, out var done) == Success && done != 0)
                    {
                        pending.Remove(other);
                    }
                }

                Thread.Sleep(10);
            }
        }

        var header = $"Rank {Rank} of {Size}: the {operation} of {what} (collective {_collectives}) did not complete within {Timeout.TotalSeconds:0.###} s";
        var elsewhere = Enumerable.Range(0, Size).Where(r => r != Rank && !pending.ContainsKey(r) && answers[r] != _collectives).Select(r => $"rank {r} is at collective {answers[r]}");
        var silent = pending.Keys.Order().ToArray();
        var causes = silent.Length > 0
            ? [$"{(silent.Length == 1 ? "rank" : "ranks")} {string.Join(", ", silent)} did not answer (dead or hung)", .. elsewhere]
            : elsewhere.DefaultIfEmpty("every rank answered from the same collective, so it is slower than the timeout, not stuck").ToArray();
        return new DistributedException(Rank, $"{header}: {string.Join("; ", causes)}.");
    }

    /// <summary>Throws for a failed start-up call.</summary>
    private static void Started(IMpiBinding mpi, int code, int rank, string call)
    {
        if (code != Success)
        {
            throw Failure(mpi, code, rank, call, null, null);
        }
    }

    /// <summary>Throws for a failed exchange, which leaves the ranks out of step; the message is built only then, so a poll allocates nothing.</summary>
    private void Check(int code, string call, string? operation = null, string? what = null)
    {
        if (code != Success)
        {
            _failed = true;
            throw Failure(_mpi, code, Rank, call, operation, what);
        }
    }

    private static DistributedException Failure(IMpiBinding mpi, int code, int rank, string call, string? operation, string? what)
    {
        var during = operation is null ? "" : $" (waiting for the {operation} of {what})";
        return new DistributedException(rank, $"Rank {rank}: {call}{during} failed with {mpi.Name} error {code}: {ErrorText(mpi, code)}");
    }

    private static string ErrorText(IMpiBinding mpi, int code)
    {
        var text = stackalloc byte[MaxErrorString];
        return mpi.ErrorString(code, text, out var length) == Success ? Encoding.ASCII.GetString(text, length) : "(no description)";
    }
}
