using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Renders a network's kernels in NetGen's portable C dialect: a prelude of macros (<c>KERNEL</c>,
/// <c>GLOBAL</c>, <c>GLOBAL_ID</c>, <c>LOCAL_MEM</c>, <c>BARRIER</c>, math, <c>U64</c>) lets the same text compile
/// as OpenCL C 1.2 and, under NVRTC, as CUDA C++. Only the kernels the network needs are written
/// (each op's, see <see cref="LayerKind.DeviceKernels"/>, one epilogue and one derivative kernel per
/// activation used, the loss's kernels), so PoCL, which
/// compiles with LLVM, has little to compile. Every tensor is a buffer plus an element offset.
/// </summary>
internal static class GpuKernelRenderer
{
    public const string Prelude = """
        #ifdef __OPENCL_VERSION__
        #define KERNEL __kernel
        #define DEVICE
        #define GLOBAL __global
        #define LOCAL_MEM __local
        #define GLOBAL_ID(d) ((int)get_global_id(d))
        #define LOCAL_ID(d) ((int)get_local_id(d))
        #define GROUP_ID(d) ((int)get_group_id(d))
        #define BARRIER() barrier(CLK_LOCAL_MEM_FENCE)
        #define EXP(x) exp(x)
        #define LOG(x) log(x)
        #define TANH(x) tanh(x)
        #define ERF(x) erf(x)
        #define SQRT(x) sqrt(x)
        #define FABS(x) fabs(x)
        #define ISNAN(x) isnan(x)
        #define U64 ulong
        #else
        #define KERNEL extern "C" __global__
        #define DEVICE __device__
        #define GLOBAL
        #define LOCAL_MEM __shared__
        #define GLOBAL_ID(d) ((int)((d) == 0 ? blockIdx.x * blockDim.x + threadIdx.x : blockIdx.y * blockDim.y + threadIdx.y))
        #define LOCAL_ID(d) ((int)((d) == 0 ? threadIdx.x : threadIdx.y))
        #define GROUP_ID(d) ((int)((d) == 0 ? blockIdx.x : blockIdx.y))
        #define BARRIER() __syncthreads()
        #define EXP(x) expf(x)
        #define LOG(x) logf(x)
        #define TANH(x) tanhf(x)
        #define ERF(x) erff(x)
        #define SQRT(x) sqrtf(x)
        #define FABS(x) fabsf(x)
        #define ISNAN(x) isnan(x)
        #define U64 unsigned long long
        #endif
        """;

    /// <summary>The whole kernel source of <paramref name="plan"/>: prelude, SGEMM, epilogues, loss, optimizers.</summary>
    public static string Render(NetworkPlan plan)
    {
        var writer = new SourceWriter();
        writer.Lines(Prelude);
        writer.Line();
        writer.Lines(GpuTiledGemm.Defines);
        writer.Line();
        writer.Lines(Sgemm);
        writer.Line();
        writer.Lines(ColumnSum);
        foreach (var kernel in plan.Layers.SelectMany(l => LayerKinds.For(l.Layer).DeviceKernels(l)).Distinct())
        {
            writer.Line();
            writer.Lines(kernel);
        }

        if (plan.GradientSums.Count > 0 || plan.Layers.Any(l => l.AccumulatesParameterGradients))
        {
            writer.Line();
            writer.Lines(GpuGraphKernels.Accumulate);
        }

        foreach (var activation in ActivationsUsed(plan))
        {
            writer.Line();
            RenderEpilogue(writer, activation);
            if (activation != ActivationKind.None)
            {
                writer.Line();
                RenderDerivative(writer, activation);
            }
        }

        writer.Line();
        RenderLoss(writer, plan.Loss);
        return writer.ToString();
    }

    /// <summary>Kernel name of the bias-plus-activation epilogue for <paramref name="activation"/>.</summary>
    public static string Epilogue(ActivationKind activation) => "bias_" + ActivationTable.Of(activation).KernelSuffix;

    /// <summary>Kernel name of the in-place multiply by the derivative of <paramref name="activation"/>.</summary>
    public static string Derivative(ActivationKind activation) => "backward_" + ActivationTable.Of(activation).KernelSuffix;

    /// <summary>Activations the layers apply, plus the link the loss absorbed (applied for inference outputs).</summary>
    private static IEnumerable<ActivationKind> ActivationsUsed(NetworkPlan plan) =>
        plan.Layers.Select(l => l.Activation).Append(ActivationKind.None).Append(plan.Loss.Link)
            .Where(a => ActivationTable.Of(a).IsElementwise).Distinct().OrderBy(a => a);

    /// <summary>
    /// The C expression of <paramref name="activation"/> applied to <c>z</c>. Softmax has none: the
    /// device emitter refuses it (NG0301) before any kernel is rendered, so reaching here is a bug.
    /// </summary>
    public static string Value(ActivationKind activation) =>
        ActivationTable.Of(activation).DeviceValue ?? throw new InvalidOperationException($"{activation} has no elementwise device kernel.");

    // The derivative from what forward saved: the pre-activation s = z where the table says so, else the output s = y.
    private static string DerivativeOf(ActivationKind activation) =>
        ActivationTable.Of(activation).DeviceDerivative ?? throw new InvalidOperationException($"{activation} has no elementwise device derivative.");

    private static void RenderEpilogue(SourceWriter writer, ActivationKind activation)
    {
        var saves = ActivationTable.Of(activation).SavesPreActivation;
        writer.Line($"// y = {activation}(y + bias[column]) over rows × columns{(saves ? "; the pre-activation is kept for the derivative" : string.Empty)}.");
        writer.Line($"KERNEL void {Epilogue(activation)}(GLOBAL float* y, int yOffset, GLOBAL float* pre, int preOffset, GLOBAL const float* bias, int biasOffset, int hasBias, int rows, int columns)");
        writer.Line("{");
        writer.Line("    int i = GLOBAL_ID(0);");
        writer.Line("    if (i >= rows * columns) return;");
        writer.Line("    float z = y[yOffset + i] + (hasBias ? bias[biasOffset + i % columns] : 0.0f);");
        writer.Line(saves ? "    pre[preOffset + i] = z;" : "    (void)pre; (void)preOffset;");
        writer.Line($"    y[yOffset + i] = {Value(activation)};");
        writer.Line("}");
    }

    private static void RenderDerivative(SourceWriter writer, ActivationKind activation)
    {
        writer.Line($"// g ⊙= {activation}′(s), s the saved {(ActivationTable.Of(activation).SavesPreActivation ? "pre-activation" : "output")}.");
        writer.Line($"KERNEL void {Derivative(activation)}(GLOBAL float* g, int gOffset, GLOBAL const float* saved, int savedOffset, int count)");
        writer.Line("{");
        writer.Line("    int i = GLOBAL_ID(0);");
        writer.Line("    if (i >= count) return;");
        writer.Line("    float s = saved[savedOffset + i];");
        writer.Line($"    g[gOffset + i] *= {DerivativeOf(activation)};");
        writer.Line("}");
    }

    private static void RenderLoss(SourceWriter writer, LossPlan plan)
    {
        var loss = LossTable.Of(plan.Kind);
        writer.Lines(plan.Kind switch
        {
            LossKind.SoftmaxCrossEntropy => SoftmaxCrossEntropy,
            LossKind.BinaryCrossEntropy => BinaryCrossEntropy,
            LossKind.MeanSquaredError or LossKind.MeanAbsoluteError => ElementwiseLoss(loss.DeviceKernel, loss.DeviceTerm!, loss.DeviceDerivative!),
        });
    }

    private static string ElementwiseLoss(string name, string term, string derivative) => $$"""
        // One thread per element: term(y − t) into terms (the host sums them), d term / d y / count into g.
        KERNEL void {{name}}(GLOBAL const float* y, int yOffset, GLOBAL const float* targets, int targetsOffset, GLOBAL float* g, int gOffset, GLOBAL float* terms, int count)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            float d = y[yOffset + i] - targets[targetsOffset + i];
            terms[i] = {{term}};
            g[gOffset + i] = {{derivative}} / (float)count;
        }
        """;

    private static readonly string Sgemm = GpuTiledGemm.Render(
        "C[m, n] (+)= Σk A(m, k) · B(k, n), A(m, k) = a[aOffset + m·aRow + k·aColumn], B likewise, C row-major.",
        "sgemm",
        "GLOBAL const float* a, int aOffset, int aRow, int aColumn, GLOBAL const float* b, int bOffset, int bRow, int bColumn, GLOBAL float* c, int cOffset, int accumulate",
        "a[aOffset + row * aRow + depth * aColumn]",
        "b[bOffset + depth * bRow + column * bColumn]",
        (r, c, v) => $"c[cOffset + {r} * n + {c}] = {v} + (accumulate ? c[cOffset + {r} * n + {c}] : 0.0f);");

    private const string ColumnSum = """
        // Bias gradient: sum[j] = Σ_rows x[row, j], one thread per column, rows summed in order.
        KERNEL void column_sum(GLOBAL const float* x, int xOffset, int rows, int columns, GLOBAL float* sum, int sumOffset)
        {
            int j = GLOBAL_ID(0);
            if (j >= columns) return;
            float total = 0.0f;
            for (int r = 0; r < rows; r++) total += x[xOffset + r * columns + j];
            sum[sumOffset + j] = total;
        }
        """;

    private const string SoftmaxCrossEntropy = """
        // Softmax and cross-entropy fused on the logits, one thread per row: the row's loss term
        // (log Σ exp z − z·y) into terms and (softmax(z) − y) / rows into g; y one-hot from a label or a target row,
        // smoothed to (1 − ε)·y + ε / classes when the network declares LabelSmoothing = ε.
        KERNEL void softmax_cross_entropy(GLOBAL const float* z, int zOffset, GLOBAL const int* labels, GLOBAL const float* targets, int targetsOffset, int useLabels, float smoothing, GLOBAL float* g, int gOffset, GLOBAL float* terms, int rows, int classes)
        {
            int r = GLOBAL_ID(0);
            if (r >= rows) return;
            GLOBAL const float* row = z + zOffset + r * classes;
            float max = row[0];
            for (int c = 1; c < classes; c++) max = row[c] > max ? row[c] : max;
            float sum = 0.0f;
            for (int c = 0; c < classes; c++) sum += EXP(row[c] - max);
            float logSum = LOG(sum);
            float term = 0.0f;
            for (int c = 0; c < classes; c++)
            {
                float y = useLabels ? (labels[targetsOffset + r] == c ? 1.0f : 0.0f) : targets[targetsOffset + r * classes + c];
                if (smoothing != 0.0f) y = (1.0f - smoothing) * y + smoothing / (float)classes;
                term -= y * (row[c] - max - logSum);
                g[gOffset + r * classes + c] = (EXP(row[c] - max - logSum) - y) / (float)rows;
            }
            terms[r] = term;
        }

        // Softmax of each row in place (inference outputs).
        KERNEL void softmax_rows(GLOBAL float* z, int zOffset, int rows, int classes)
        {
            int r = GLOBAL_ID(0);
            if (r >= rows) return;
            GLOBAL float* row = z + zOffset + r * classes;
            float max = row[0];
            for (int c = 1; c < classes; c++) max = row[c] > max ? row[c] : max;
            float sum = 0.0f;
            for (int c = 0; c < classes; c++) { row[c] = EXP(row[c] - max); sum += row[c]; }
            for (int c = 0; c < classes; c++) row[c] /= sum;
        }
        """;

    private const string BinaryCrossEntropy = """
        // Sigmoid and binary cross-entropy fused on the logits, one thread per sample: the stable term
        // max(z, 0) − z·t + log(1 + e^−|z|) into terms and (σ(z) − t) / count into g.
        KERNEL void binary_cross_entropy(GLOBAL const float* z, int zOffset, GLOBAL const int* labels, GLOBAL const float* targets, int targetsOffset, int useLabels, GLOBAL float* g, int gOffset, GLOBAL float* terms, int count)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            float x = z[zOffset + i];
            float t = useLabels ? (labels[targetsOffset + i] == 1 ? 1.0f : 0.0f) : targets[targetsOffset + i];
            g[gOffset + i] = (1.0f / (1.0f + EXP(-x)) - t) / (float)count;
            terms[i] = (x > 0.0f ? x : 0.0f) - x * t + LOG(1.0f + EXP(-FABS(x)));
        }
        """;
}
