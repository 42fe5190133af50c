using System;

namespace NetGen.Distributed;

/// <summary>
/// The processes that train one model together (data parallelism): each knows its rank among them,
/// and they exchange buffers with the two collectives training needs. Every process must call the
/// same collectives in the same order. <see cref="MpiCommunicator"/> implements it over MPI;
/// <see cref="Training.TrainerOptions.Communicator"/> hands it to <c>Trainer.Fit</c>.
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's number among <see cref="Size"/>, from 0; rank 0 prints and writes files.</summary>
    int Rank { get; }

    /// <summary>How many processes train together.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank with rank 0's. <paramref name="what"/> names the buffer in errors.</summary>
    /// <exception cref="DistributedException">A rank failed or did not take part in time.</exception>
    void Broadcast(Span<float> values, string what);

    /// <inheritdoc cref="Broadcast(Span{float}, string)"/>
    void Broadcast(Span<double> values, string what);

    /// <summary>
    /// Replaces <paramref name="values"/> on every rank with their element-wise sum over all ranks,
    /// bit for bit the same on every rank. <paramref name="what"/> names the buffer in errors.
    /// </summary>
    /// <exception cref="DistributedException">A rank failed or did not take part in time.</exception>
    void AllReduceSum(Span<float> values, string what);

    /// <inheritdoc cref="AllReduceSum(Span{float}, string)"/>
    void AllReduceSum(Span<double> values, string what);

    /// <summary>
    /// Starts <see cref="AllReduceSum(Span{float}, string)"/> of <paramref name="values"/> and returns
    /// without waiting for it, so computation can go on meanwhile; <see cref="WaitForStarted"/> completes
    /// it. The memory must stay where it is (pinned, e.g. inside <c>fixed</c>) and untouched until then.
    /// This default completes the sum at once, for communicators without non-blocking collectives.
    /// </summary>
    /// <exception cref="DistributedException">A rank failed or did not take part in time.</exception>
    void StartAllReduceSum(Span<float> values, string what) => AllReduceSum(values, what);

    /// <summary>Waits until every sum <see cref="StartAllReduceSum"/> started has completed on this rank.</summary>
    /// <exception cref="DistributedException">A rank failed or did not take part in time.</exception>
    void WaitForStarted()
    {
    }
}
