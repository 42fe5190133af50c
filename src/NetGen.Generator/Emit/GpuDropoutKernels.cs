namespace NetGen.Generator.Emit;

/// <summary>
/// Dropout's kernels. The keep decision is the CPU's (<c>NetGen.Dropout.Forward</c>) to the bit:
/// SplitMix64 of <c>stream + index · 0x9E3779B97F4A7C15</c>, its high 32 bits against
/// <c>rate · 2³²</c>, with the stream seed from <c>NetGen.Dropout.StreamSeed(seed, layer, step)</c>
/// computed on the host and passed as two 32-bit halves (kernel arguments are 32-bit). So the same
/// seed and training step give the same mask on every device, and the mask multiplier is the same
/// float <c>1 / (1 − rate)</c>.
/// </summary>
internal static class GpuDropoutKernels
{
    public const string Source = """
        // SplitMix64's finaliser, as NetGen.Dropout.Mix.
        DEVICE U64 dropout_mix(U64 z)
        {
            z = (z ^ (z >> 30)) * (U64)0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * (U64)0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        // y = x ⊙ mask, mask = scale where the value's hash reaches the threshold, else 0; the mask is kept for backward.
        // Inference passes threshold 0 and scale 1: every value kept, an exact copy.
        KERNEL void dropout_forward(GLOBAL const float* x, int xOffset, GLOBAL float* y, int yOffset, GLOBAL float* mask, int maskOffset, int count, int streamLow, int streamHigh, int threshold, float scale)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            U64 stream = ((U64)(unsigned int)streamHigh << 32) | (U64)(unsigned int)streamLow;
            U64 bits = dropout_mix(stream + (U64)i * (U64)0x9E3779B97F4A7C15UL) >> 32;
            float keep = bits >= (U64)(unsigned int)threshold ? scale : 0.0f;
            mask[maskOffset + i] = keep;
            y[yOffset + i] = x[xOffset + i] * keep;
        }

        // dx = dy ⊙ mask (the producer's activation derivative follows as its own launch, as after a matrix product).
        KERNEL void dropout_backward(GLOBAL const float* dy, int dyOffset, GLOBAL const float* mask, int maskOffset, GLOBAL float* dx, int dxOffset, int count)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            dx[dxOffset + i] = dy[dyOffset + i] * mask[maskOffset + i];
        }
        """;
}
