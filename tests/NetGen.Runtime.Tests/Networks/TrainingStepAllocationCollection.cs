using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// Test classes that measure what a training step allocates run alone, so the steady state they
/// measure is the step's own. In a full CI run with these classes in parallel with the rest,
/// <c>TrainingStepAllocatesNothingAfterTheFirst</c> once measured 7,856 bytes; never in five runs of
/// the class alone or four of the whole project. The likely cause (not proven): while another test's
/// product holds the shared worker pool, a step runs its products on the calling thread, so the
/// warm-up can miss the pool's one-time growth (worker threads are created once per process, by the
/// first caller that needs them), which then lands in a measured step.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingStepAllocationCollection
{
    public const string Name = "Training-step allocation";
}
