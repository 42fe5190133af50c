namespace NetGen.Generator.Emit;

/// <summary>
/// The kernels of the graph ops (Add, Concat) and of the gradient sum of a tensor several nodes read.
/// Each is one thread per value; an activation (Add's) or a producer's derivative follows as the
/// shared epilogue and derivative kernels, so these stay free of activation variants.
/// </summary>
internal static class GpuGraphKernels
{
    public const string Add = """
        // Add forward: y = a + b (the node's activation follows in place, as the bias_* epilogue without a bias).
        KERNEL void add_forward(GLOBAL const float* a, int aOffset, GLOBAL const float* b, int bOffset, GLOBAL float* y, int yOffset, int count)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            y[yOffset + i] = a[aOffset + i] + b[bOffset + i];
        }

        // Add backward for one input: dx = dz (that input's producer derivative follows in place where this node applies it).
        KERNEL void add_backward(GLOBAL const float* dz, int dzOffset, GLOBAL float* dx, int dxOffset, int count)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            dx[dxOffset + i] = dz[dzOffset + i];
        }
        """;

    public const string Concat = """
        // Concat forward for one input: its inputSize values of each sample into [offset, offset + inputSize) of the sample's outputSize.
        KERNEL void concat_forward(GLOBAL const float* x, int xOffset, GLOBAL float* y, int yOffset, int batch, int inputSize, int outputSize, int offset)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * inputSize) return;
            y[yOffset + (i / inputSize) * outputSize + offset + i % inputSize] = x[xOffset + i];
        }

        // Concat backward for one input: its block of each sample's dy gathered back into dx.
        KERNEL void concat_backward(GLOBAL const float* dy, int dyOffset, GLOBAL float* dx, int dxOffset, int batch, int inputSize, int outputSize, int offset)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * inputSize) return;
            dx[dxOffset + i] = dy[dyOffset + (i / inputSize) * outputSize + offset + i % inputSize];
        }
        """;

    public const string Accumulate = """
        // Gradient sum of a tensor several nodes read: g += another reader's gradient slot.
        KERNEL void accumulate(GLOBAL float* g, int gOffset, GLOBAL const float* addend, int addendOffset, int count)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            g[gOffset + i] += addend[addendOffset + i];
        }
        """;
}
