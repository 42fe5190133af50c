using System;
using System.Linq;
using System.Threading;
using NetGen.Distributed;

namespace NetGen.Runtime.Tests.Distributed;

/// <summary>
/// Ranks as threads of one process, for testing <c>Trainer.Fit</c>'s data-parallel
/// logic without MPI: each collective meets at a barrier, and sums run in rank order as MPI's do.
/// </summary>
internal sealed class ThreadCommunicator : ICommunicator
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Group _group;

    private ThreadCommunicator(Group group, int rank)
    {
        _group = group;
        Rank = rank;
    }

    public int Rank { get; }

    public int Size => _group.Slots.Length;

    /// <summary>How many collectives this rank has joined.</summary>
    public int Collectives { get; private set; }

    public static ThreadCommunicator[] Create(int size)
    {
        var group = new Group(size);
        return Enumerable.Range(0, size).Select(rank => new ThreadCommunicator(group, rank)).ToArray();
    }

    public void Broadcast(Span<float> values, string what) => Exchange(values, what, sum: false);

    public void Broadcast(Span<double> values, string what) => Exchange(values, what, sum: false);

    public void AllReduceSum(Span<float> values, string what) => Exchange(values, what, sum: true);

    public void AllReduceSum(Span<double> values, string what) => Exchange(values, what, sum: true);

    private void Exchange<T>(Span<T> values, string what, bool sum)
        where T : struct, System.Numerics.INumber<T>
    {
        Collectives++;
        _group.Slots[Rank] = values.ToArray();
        Meet(what);
        var result = sum ? _group.Slots.Select(slot => (T[])slot!).Aggregate((total, next) => total.Zip(next, (a, b) => a + b).ToArray()) : (T[])_group.Slots[0]!;
        if (result.Length != values.Length)
        {
            throw new InvalidOperationException($"Rank {Rank}: {what} has {values.Length} values but the ranks' buffers differ in length.");
        }

        Meet(what);
        result.CopyTo(values);
    }

    private void Meet(string what)
    {
        if (!_group.Barrier.SignalAndWait(Patience))
        {
            throw new TimeoutException($"Rank {Rank}: the other ranks did not reach the exchange of {what}.");
        }
    }

    private sealed class Group(int size)
    {
        public Barrier Barrier { get; } = new(size);

        public object?[] Slots { get; } = new object?[size];
    }
}
