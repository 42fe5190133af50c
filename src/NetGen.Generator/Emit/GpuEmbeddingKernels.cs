namespace NetGen.Generator.Emit;

/// <summary>
/// Embedding's kernels. Forward is a gather, one thread per output value. Backward is a scatter
/// without atomics: one thread per column of the table walks the positions in order and adds each
/// position's gradient to its token's row, in the CPU's order (<c>NetGen.Embedding.Backward</c>), so the
/// gradient is the same from run to run, where float atomics would add in whatever order threads arrive. The host checks every
/// id before the batch is staged (<c>NetGen.Embedding.CheckTokens</c>, the CPU's error); the kernels still
/// never index the table with an id outside <c>[0, vocabulary)</c> (a zero row forward, nothing backward),
/// so a device read or write can never leave the table whatever the buffer holds.
/// </summary>
internal static class GpuEmbeddingKernels
{
    public const string Source = """
        // Embedding forward: y[i, j] = weight[tokens[i], j] over count positions × dimension.
        KERNEL void embedding_forward(GLOBAL const float* tokens, int tokensOffset, GLOBAL const float* weight, int weightOffset, GLOBAL float* y, int yOffset, int count, int vocabulary, int dimension)
        {
            int i = GLOBAL_ID(0);
            if (i >= count * dimension) return;
            float id = tokens[tokensOffset + i / dimension];
            y[yOffset + i] = id >= 0.0f && id < (float)vocabulary ? weight[weightOffset + (int)id * dimension + i % dimension] : 0.0f;
        }

        // Embedding backward for column j: dweight[tokens[i], j] += dy[i, j] for the positions i in order, except the padding id's;
        // dweight was cleared before (fill_zero), so rows no token used stay zero.
        KERNEL void embedding_backward(GLOBAL const float* dy, int dyOffset, GLOBAL const float* tokens, int tokensOffset, GLOBAL float* dweight, int dweightOffset, int count, int vocabulary, int dimension, int paddingIndex)
        {
            int j = GLOBAL_ID(0);
            if (j >= dimension) return;
            for (int i = 0; i < count; i++)
            {
                float id = tokens[tokensOffset + i];
                if (!(id >= 0.0f && id < (float)vocabulary) || (int)id == paddingIndex) continue;
                dweight[dweightOffset + (int)id * dimension + j] += dy[dyOffset + i * dimension + j];
            }
        }
        """;
}
