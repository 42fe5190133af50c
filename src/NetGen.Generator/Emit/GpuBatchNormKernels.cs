using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// BatchNorm's kernels, NCHW (a vector is channels of one value) as on the CPU
/// (<c>NetGen.BatchNorm</c>). The per-channel reductions run one thread per channel and add in the
/// CPU's order (sample, then position), so the statistics and parameter gradients are the CPU's
/// float sums; the per-value work (the affine map and activation, the input gradient) runs one
/// thread per value. The input gradient reads Σ dz and Σ dz · x̂ back from dβ and dγ.
/// </summary>
internal static class GpuBatchNormKernels
{
    public const string Reductions = """
        // Training statistics, one thread per channel: mean and biased variance (two passes), 1/√(var + ε),
        // the running statistics moved by momentum (unbiased variance), and x̂ of every value of the channel.
        KERNEL void batch_norm_statistics(GLOBAL const float* x, int xOffset, GLOBAL float* normalized, int normalizedOffset, GLOBAL float* inverseStd, int inverseStdOffset, GLOBAL float* state, int meanOffset, int varianceOffset, int batch, int channels, int spatial, float momentum, float epsilon)
        {
            int c = GLOBAL_ID(0);
            if (c >= channels) return;
            float n = (float)(batch * spatial);
            float sum = 0.0f;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++) sum += x[xOffset + (b * channels + c) * spatial + s];
            float mean = sum / n;
            float squares = 0.0f;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    float d = x[xOffset + (b * channels + c) * spatial + s] - mean;
                    squares += d * d;
                }
            float invStd = 1.0f / SQRT(squares / n + epsilon);
            inverseStd[inverseStdOffset + c] = invStd;
            state[meanOffset + c] = (1.0f - momentum) * state[meanOffset + c] + momentum * mean;
            state[varianceOffset + c] = (1.0f - momentum) * state[varianceOffset + c] + momentum * squares / (n - 1.0f);
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    int i = (b * channels + c) * spatial + s;
                    normalized[normalizedOffset + i] = (x[xOffset + i] - mean) * invStd;
                }
        }

        // Parameter gradients, one thread per channel: dγ = Σ dz · x̂, dβ = Σ dz.
        KERNEL void batch_norm_parameter_gradients(GLOBAL const float* dz, int dzOffset, GLOBAL const float* normalized, int normalizedOffset, GLOBAL float* gradients, int gammaOffset, int betaOffset, int batch, int channels, int spatial)
        {
            int c = GLOBAL_ID(0);
            if (c >= channels) return;
            float sumDz = 0.0f, sumDzXhat = 0.0f;
            for (int b = 0; b < batch; b++)
                for (int s = 0; s < spatial; s++)
                {
                    int i = (b * channels + c) * spatial + s;
                    sumDz += dz[dzOffset + i];
                    sumDzXhat += dz[dzOffset + i] * normalized[normalizedOffset + i];
                }
            gradients[gammaOffset + c] = sumDzXhat;
            gradients[betaOffset + c] = sumDz;
        }

        // dx = γ/(N σ) · (N dz − Σ dz − x̂ Σ dz · x̂), one thread per value, the sums read from dβ and dγ.
        KERNEL void batch_norm_input_gradient(GLOBAL const float* dz, int dzOffset, GLOBAL const float* normalized, int normalizedOffset, GLOBAL const float* inverseStd, int inverseStdOffset, GLOBAL const float* parameters, int gammaOffset, GLOBAL const float* gradients, int gammaGradientOffset, int betaGradientOffset, GLOBAL float* dx, int dxOffset, int batch, int channels, int spatial)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * channels * spatial) return;
            int c = (i / spatial) % channels;
            float n = (float)(batch * spatial);
            float k = parameters[gammaOffset + c] * inverseStd[inverseStdOffset + c] / n;
            dx[dxOffset + i] = k * ((n * dz[dzOffset + i]) - gradients[betaGradientOffset + c] - (normalized[normalizedOffset + i] * gradients[gammaGradientOffset + c]));
        }
        """;

    /// <summary>Kernel name of the training map <c>y = act(γ x̂ + β)</c> for <paramref name="activation"/>.</summary>
    public static string Affine(ActivationKind activation) => "batch_norm_" + ActivationTable.Of(activation).KernelSuffix;

    /// <summary>Kernel name of the inference map with the running statistics for <paramref name="activation"/>.</summary>
    public static string Inference(ActivationKind activation) => "batch_norm_inference_" + ActivationTable.Of(activation).KernelSuffix;

    /// <summary>The training and inference per-value kernels of one activation; <paramref name="value"/> is its expression of <c>z</c>.</summary>
    public static string PerValue(ActivationKind activation, string value)
    {
        var keep = ActivationTable.Of(activation).SavesPreActivation ? "pre[preOffset + i] = z;" : "(void)pre; (void)preOffset;";
        return $$"""
            // Training: y = {{activation}}(γ x̂ + β), one thread per value.
            KERNEL void {{Affine(activation)}}(GLOBAL const float* normalized, int normalizedOffset, GLOBAL const float* parameters, int gammaOffset, int betaOffset, GLOBAL float* y, int yOffset, GLOBAL float* pre, int preOffset, int channels, int spatial, int count)
            {
                int i = GLOBAL_ID(0);
                if (i >= count) return;
                int c = (i / spatial) % channels;
                float z = (parameters[gammaOffset + c] * normalized[normalizedOffset + i]) + parameters[betaOffset + c];
                {{keep}}
                y[yOffset + i] = {{value}};
            }

            // Inference: y = {{activation}}(x · scale + shift), scale = γ/√(running_var + ε), shift = β − running_mean · scale.
            KERNEL void {{Inference(activation)}}(GLOBAL const float* x, int xOffset, GLOBAL const float* parameters, int gammaOffset, int betaOffset, GLOBAL const float* state, int meanOffset, int varianceOffset, float epsilon, GLOBAL float* y, int yOffset, GLOBAL float* pre, int preOffset, int channels, int spatial, int count)
            {
                int i = GLOBAL_ID(0);
                if (i >= count) return;
                int c = (i / spatial) % channels;
                float scale = parameters[gammaOffset + c] / SQRT(state[varianceOffset + c] + epsilon);
                float shift = parameters[betaOffset + c] - (state[meanOffset + c] * scale);
                float z = (x[xOffset + i] * scale) + shift;
                {{keep}}
                y[yOffset + i] = {{value}};
            }
            """;
    }
}
