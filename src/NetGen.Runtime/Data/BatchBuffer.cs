namespace NetGen.Data;

/// <summary>One slot of the loader's ring: preallocated arrays for a full batch, and which batch they hold.</summary>
internal sealed class BatchBuffer(int batchSize, int sampleSize, int targetSize)
{
    public float[] Inputs { get; } = new float[batchSize * sampleSize];

    /// <summary>Float targets of a regression dataset (empty for a labelled one).</summary>
    public float[] Targets { get; } = new float[batchSize * targetSize];

    public int[] Labels { get; } = new int[batchSize];

    public int[] SampleIndices { get; } = new int[batchSize];

    /// <summary>The batch number whose samples are complete in this slot, or -1. Guarded by the epoch's lock.</summary>
    public int ReadyBatch { get; set; } = -1;
}
