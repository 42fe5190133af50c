using System;

namespace NetGen.Distributed;

/// <summary>
/// A collective of a data-parallel run failed: MPI returned an error, or another rank did not take
/// part within the timeout (it died or hung). The message names this rank and, when it can tell,
/// the ranks at fault. The run cannot continue: end the job with <see cref="MpiCommunicator.Abort"/>.
/// </summary>
public sealed class DistributedException : Exception
{
    /// <summary>Creates the exception raised on rank <paramref name="rank"/>.</summary>
    public DistributedException(int rank, string message)
        : base(message) => Rank = rank;

    /// <summary>The rank that raised it.</summary>
    public int Rank { get; }
}
