namespace NetGen.Data;

/// <summary>What the loader does with the samples left over when the dataset size is not a multiple of the batch size.</summary>
public enum LastBatchPolicy
{
    /// <summary>Serve them as a final, smaller batch, so every sample is seen each epoch.</summary>
    Keep,

    /// <summary>Skip them, so every batch has exactly the batch size.</summary>
    Drop,
}
