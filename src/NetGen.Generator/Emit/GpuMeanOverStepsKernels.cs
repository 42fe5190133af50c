namespace NetGen.Generator.Emit;

/// <summary>
/// GlobalAveragePool1D's kernels, one thread per value written: forward sums a feature over the steps
/// in order and scales by <c>1 / steps</c> (the CPU's order and scale), backward spreads <c>dy / steps</c>
/// over every step (the producer's activation derivative follows as its own launch).
/// </summary>
internal static class GpuMeanOverStepsKernels
{
    public const string Source = """
        // Mean over steps: y[b, f] = (Σ_t x[b, t, f]) · (1 / steps).
        KERNEL void mean_over_steps_forward(GLOBAL const float* x, int xOffset, GLOBAL float* y, int yOffset, int batch, int steps, int features)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * features) return;
            int b = i / features;
            int f = i % features;
            float total = 0.0f;
            for (int t = 0; t < steps; t++) total += x[xOffset + (b * steps + t) * features + f];
            y[yOffset + i] = total * (1.0f / (float)steps);
        }

        // Mean over steps backward: dx[b, t, f] = dy[b, f] · (1 / steps).
        KERNEL void mean_over_steps_backward(GLOBAL const float* dy, int dyOffset, GLOBAL float* dx, int dxOffset, int batch, int steps, int features)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * steps * features) return;
            int f = i % features;
            int b = i / (steps * features);
            dx[dxOffset + i] = dy[dyOffset + b * features + f] * (1.0f / (float)steps);
        }
        """;

    /// <summary>
    /// The same over each sample's real steps only (<c>MaskPadding</c>), its length <c>n</c> read from
    /// <c>lengths</c> (written by <see cref="GpuRecurrentKernels.Lengths"/>): forward sums <c>t &lt; n</c> and scales
    /// by <c>1 / n</c>, backward writes <c>dy / n</c> there and zero at the padded steps.
    /// </summary>
    public const string Masked = """
        // Mean over a sample's real steps: y[b, f] = (Σ_{t < n} x[b, t, f]) · (1 / n), n = lengths[b].
        KERNEL void masked_mean_over_steps_forward(GLOBAL const float* x, int xOffset, GLOBAL const float* lengths, int lengthsOffset, GLOBAL float* y, int yOffset, int batch, int steps, int features)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * features) return;
            int b = i / features;
            int f = i % features;
            int n = (int)lengths[lengthsOffset + b];
            float total = 0.0f;
            for (int t = 0; t < n; t++) total += x[xOffset + (b * steps + t) * features + f];
            y[yOffset + i] = total * (1.0f / (float)n);
        }

        // Masked mean backward: dx[b, t, f] = dy[b, f] · (1 / n) for t < n, 0 at the padded steps.
        KERNEL void masked_mean_over_steps_backward(GLOBAL const float* dy, int dyOffset, GLOBAL const float* lengths, int lengthsOffset, GLOBAL float* dx, int dxOffset, int batch, int steps, int features)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * steps * features) return;
            int f = i % features;
            int t = (i / features) % steps;
            int b = i / (steps * features);
            int n = (int)lengths[lengthsOffset + b];
            dx[dxOffset + i] = t < n ? dy[dyOffset + b * features + f] * (1.0f / (float)n) : 0.0f;
        }
        """;
}
