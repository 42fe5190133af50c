namespace NetGen.Kernels.Threading;

/// <summary>
/// Work split into numbered parts for <see cref="WorkerPool"/>. Implementations are reusable objects
/// that hold their inputs in fields, so starting a run allocates nothing.
/// </summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="partCount"/>; parts may run on any thread, in any order.</summary>
    void Execute(int part, int partCount);
}
