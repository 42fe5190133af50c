using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// Kernels of the image layers, NCHW as on the CPU. Conv2D is three implicit GEMMs on the shared
/// tiled body (<see cref="GpuTiledGemm"/>): im2col and col2im are index arithmetic inside the tile
/// loads, so no column matrix is ever stored. Pooling backward gathers (one thread per input pixel
/// sums the windows that hold it), so it needs no atomics and adds in the CPU's order.
/// </summary>
internal static class GpuImageKernels
{
    /// <summary>
    /// The window geometry every convolution kernel takes, in this order (see <c>NetGen.WindowGeometry</c>);
    /// the bottom and right padding only add positions, so they are in the output size.
    /// </summary>
    private const string Geometry = "int channels, int height, int width, int window, int stride, int padTop, int padLeft, int outHeight, int outWidth";

    private const string GeometryArguments = "channels, height, width, window, stride, padTop, padLeft, outHeight, outWidth";

    /// <summary>Kernel name of the convolution forward with its bias and <paramref name="activation"/> epilogue.</summary>
    public static string ConvForward(ActivationKind activation) => "conv_forward_" + ActivationTable.Of(activation).KernelSuffix;

    /// <summary>The im2col and col2im element functions the implicit GEMMs read through.</summary>
    public const string ConvHelpers = $$"""
        // Element (patch, position) of the im2col matrix, read from the image: patch = (c·window + i)·window + j,
        // position = sample·outHeight·outWidth + oh·outWidth + ow; zero in the padding.
        DEVICE float image_patch(GLOBAL const float* x, int xOffset, int patch, int position, {{Geometry}})
        {
            int area = window * window;
            int outPlane = outHeight * outWidth;
            int c = patch / area, tap = patch % area;
            int sample = position / outPlane, p = position % outPlane;
            int h = (p / outWidth) * stride - padTop + tap / window;
            int w = (p % outWidth) * stride - padLeft + tap % window;
            return (h >= 0 && h < height && w >= 0 && w < width) ? x[xOffset + ((sample * channels + c) * height + h) * width + w] : 0.0f;
        }

        // col2im as a gather: the output gradient that kernel tap (f, i, j), f·window² + i·window + j, sends to the
        // input pixel position = sample·height·width + h·width + w; zero when no window position puts the tap there.
        DEVICE float tap_gradient(GLOBAL const float* dz, int dzOffset, int filters, int tap, int position, {{Geometry}})
        {
            int area = window * window;
            int f = tap / area, ij = tap % area;
            int plane = height * width;
            int sample = position / plane, hw = position % plane;
            int oh = hw / width + padTop - ij / window;
            int ow = hw % width + padLeft - ij % window;
            if (oh < 0 || ow < 0 || oh % stride != 0 || ow % stride != 0) return 0.0f;
            oh /= stride;
            ow /= stride;
            return (oh < outHeight && ow < outWidth) ? dz[dzOffset + ((sample * filters + f) * outHeight + oh) * outWidth + ow] : 0.0f;
        }
        """;

    /// <summary>Conv2D weight gradient as an implicit GEMM over the recomputed im2col matrix.</summary>
    public static string WeightGradient => GpuTiledGemm.Render(
        "Conv2D weight gradient: dweight[f, patch] = Σ over samples and positions of dz[f, position] · im2col[patch, position]; m = filters, n = channels·window², k = batch·outHeight·outWidth.",
        "conv_weight_gradient",
        $"GLOBAL const float* dz, int dzOffset, GLOBAL const float* x, int xOffset, {Geometry}, GLOBAL float* dw, int dwOffset",
        "dz[dzOffset + ((depth / (outHeight * outWidth)) * m + row) * (outHeight * outWidth) + depth % (outHeight * outWidth)]",
        $"image_patch(x, xOffset, column, depth, {GeometryArguments})",
        (r, c, v) => $"dw[dwOffset + {r} * n + {c}] = {v};");

    /// <summary>Conv2D input gradient as an implicit GEMM whose B operand is col2im's gather.</summary>
    public static string InputGradient => GpuTiledGemm.Render(
        "Conv2D input gradient (before the producer's derivative): dx[c, position] = Σ over taps of weight[f, c, i, j] · the gradient the tap sends there; m = channels, n = batch·height·width, k = filters·window².",
        "conv_input_gradient",
        $"GLOBAL const float* w, int wOffset, GLOBAL const float* dz, int dzOffset, int filters, {Geometry}, GLOBAL float* dx, int dxOffset",
        "w[wOffset + ((depth / (window * window)) * m + row) * (window * window) + depth % (window * window)]",
        $"tap_gradient(dz, dzOffset, filters, depth, column, {GeometryArguments})",
        (r, c, v) => $"dx[dxOffset + (({c} / (height * width)) * m + {r}) * (height * width) + {c} % (height * width)] = {v};");

    /// <summary>Conv2D bias gradient.</summary>
    public const string ChannelSum = """
        // Conv2D bias gradient: sum[f] = Σ_samples (Σ_positions x[sample, f, position]), one thread per channel, in the CPU's order.
        KERNEL void channel_sum(GLOBAL const float* x, int xOffset, int batch, int channels, int plane, GLOBAL float* sum, int sumOffset)
        {
            int f = GLOBAL_ID(0);
            if (f >= channels) return;
            float total = 0.0f;
            for (int s = 0; s < batch; s++)
            {
                GLOBAL const float* row = x + xOffset + (s * channels + f) * plane;
                float rowSum = 0.0f;
                for (int p = 0; p < plane; p++) rowSum += row[p];
                total += rowSum;
            }
            sum[sumOffset + f] = total;
        }
        """;

    /// <summary>Conv2D forward with <paramref name="activation"/> (and the bias) applied as each element of the product is stored.</summary>
    public static string ConvForwardKernel(ActivationKind activation, string value)
    {
        var saves = ActivationTable.Of(activation).SavesPreActivation;
        return GpuTiledGemm.Render(
            $"Conv2D forward: y[f, position] = {activation}(Σ_patch weight[f, patch] · im2col[patch, position] + bias[f]){(saves ? ", the pre-activation kept" : string.Empty)}; m = filters, n = batch·outHeight·outWidth, k = channels·window².",
            ConvForward(activation),
            $"GLOBAL const float* w, int wOffset, GLOBAL const float* x, int xOffset, {Geometry}, GLOBAL const float* bias, int biasOffset, int hasBias, GLOBAL float* y, int yOffset, GLOBAL float* pre, int preOffset",
            "w[wOffset + row * k + depth]",
            $"image_patch(x, xOffset, depth, column, {GeometryArguments})",
            (r, c, v) =>
                $"int at = (({c} / (outHeight * outWidth)) * m + {r}) * (outHeight * outWidth) + {c} % (outHeight * outWidth); "
                + $"float z = {v} + (hasBias ? bias[biasOffset + {r}] : 0.0f); "
                + (saves ? "pre[preOffset + at] = z; " : "(void)pre; (void)preOffset; ")
                + $"y[yOffset + at] = {value};");
    }

    /// <summary>Which output windows hold an input pixel, for the gathering backward kernels, and which pixels a window holds.</summary>
    public const string PoolHelpers = """
        // The windows (along one axis) that hold padded coordinate h (pixel + padding before it):
        // oh·stride ≤ h ≤ oh·stride + window − 1, within the output.
        DEVICE int first_window(int h, int window, int stride) { return h < window ? 0 : (h - window + stride) / stride; }
        DEVICE int last_window(int h, int stride, int outputs) { return h / stride < outputs - 1 ? h / stride : outputs - 1; }
        // The first pixel of the window starting at start (negative in the padding), and how many of its pixels lie on the image.
        DEVICE int window_first(int start) { return start < 0 ? 0 : start; }
        DEVICE int window_pixels(int start, int window, int size) { return (start + window < size ? start + window : size) - window_first(start); }
        """;

    /// <summary>MaxPool2D forward and backward.</summary>
    public const string MaxPool = """
        // Index in the plane of the first maximum of the rows × columns pixels at (top, left), scanning rows in
        // order; a NaN wins, so it propagates (as on the CPU). Padding is no pixel: it counts as −∞.
        DEVICE int window_argmax(GLOBAL const float* plane, int top, int left, int width, int rows, int columns)
        {
            int best = top * width + left;
            float max = plane[best];
            for (int i = 0; i < rows && !ISNAN(max); i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    int at = (top + i) * width + left + j;
                    float v = plane[at];
                    if (v > max || ISNAN(v))
                    {
                        max = v;
                        best = at;
                        if (ISNAN(v)) break;
                    }
                }
            }
            return best;
        }

        // The first maximum of output (oh, ow)'s window over its pixels on the image.
        DEVICE int pool_argmax(GLOBAL const float* plane, int oh, int ow, int height, int width, int window, int stride, int padTop, int padLeft)
        {
            int top = oh * stride - padTop, left = ow * stride - padLeft;
            return window_argmax(plane, window_first(top), window_first(left), width, window_pixels(top, window, height), window_pixels(left, window, width));
        }

        // y = the maximum of each window, one thread per output; images = batch · channels planes.
        KERNEL void max_pool(GLOBAL const float* x, int xOffset, GLOBAL float* y, int yOffset, int images, int height, int width, int window, int stride, int padTop, int padLeft, int outHeight, int outWidth)
        {
            int o = GLOBAL_ID(0);
            int outPlane = outHeight * outWidth;
            if (o >= images * outPlane) return;
            GLOBAL const float* plane = x + xOffset + (o / outPlane) * height * width;
            int p = o % outPlane;
            y[yOffset + o] = plane[pool_argmax(plane, p / outWidth, p % outWidth, height, width, window, stride, padTop, padLeft)];
        }

        // dx = dy routed to each window's first maximum: one thread per input pixel adds the gradients of the
        // windows whose maximum it is, in output order (the CPU's order), found again by forward's scan.
        KERNEL void max_pool_backward(GLOBAL const float* dy, int dyOffset, GLOBAL const float* x, int xOffset, GLOBAL float* dx, int dxOffset, int images, int height, int width, int window, int stride, int padTop, int padLeft, int outHeight, int outWidth)
        {
            int i = GLOBAL_ID(0);
            int plane = height * width;
            if (i >= images * plane) return;
            int image = i / plane, at = i % plane, h = at / width + padTop, w = at % width + padLeft;
            GLOBAL const float* input = x + xOffset + image * plane;
            float sum = 0.0f;
            for (int oh = first_window(h, window, stride); oh <= last_window(h, stride, outHeight); oh++)
                for (int ow = first_window(w, window, stride); ow <= last_window(w, stride, outWidth); ow++)
                    if (pool_argmax(input, oh, ow, height, width, window, stride, padTop, padLeft) == at)
                        sum += dy[dyOffset + (image * outHeight + oh) * outWidth + ow];
            dx[dxOffset + i] = sum;
        }
        """;

    /// <summary>AvgPool2D forward and backward.</summary>
    public const string AvgPool = """
        // What output (oh, ow)'s window sum is multiplied by: 1 / window², or 1 / its pixels on the image
        // when the padding is not counted (PyTorch's count_include_pad = False).
        DEVICE float avg_scale(int oh, int ow, int height, int width, int window, int stride, int padTop, int padLeft, int countIncludePad)
        {
            int area = countIncludePad ? window * window : window_pixels(oh * stride - padTop, window, height) * window_pixels(ow * stride - padLeft, window, width);
            return 1.0f / (float)area;
        }

        // y = the mean of each window (its pixels on the image summed in row order, times avg_scale), one thread per output.
        KERNEL void avg_pool(GLOBAL const float* x, int xOffset, GLOBAL float* y, int yOffset, int images, int height, int width, int window, int stride, int padTop, int padLeft, int outHeight, int outWidth, int countIncludePad)
        {
            int o = GLOBAL_ID(0);
            int outPlane = outHeight * outWidth;
            if (o >= images * outPlane) return;
            GLOBAL const float* plane = x + xOffset + (o / outPlane) * height * width;
            int oh = (o % outPlane) / outWidth, ow = o % outWidth;
            int top = oh * stride - padTop, left = ow * stride - padLeft;
            int rows = window_pixels(top, window, height), columns = window_pixels(left, window, width);
            top = window_first(top);
            left = window_first(left);
            float sum = 0.0f;
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++)
                    sum += plane[(top + i) * width + left + j];
            y[yOffset + o] = sum * avg_scale(oh, ow, height, width, window, stride, padTop, padLeft, countIncludePad);
        }

        // dx = Σ over the windows holding each input pixel of dy · avg_scale, one thread per pixel, in output order.
        KERNEL void avg_pool_backward(GLOBAL const float* dy, int dyOffset, GLOBAL float* dx, int dxOffset, int images, int height, int width, int window, int stride, int padTop, int padLeft, int outHeight, int outWidth, int countIncludePad)
        {
            int i = GLOBAL_ID(0);
            int plane = height * width;
            if (i >= images * plane) return;
            int image = i / plane, h = (i % plane) / width + padTop, w = i % width + padLeft;
            float sum = 0.0f;
            for (int oh = first_window(h, window, stride); oh <= last_window(h, stride, outHeight); oh++)
                for (int ow = first_window(w, window, stride); ow <= last_window(w, stride, outWidth); ow++)
                    sum += dy[dyOffset + (image * outHeight + oh) * outWidth + ow] * avg_scale(oh, ow, height, width, window, stride, padTop, padLeft, countIncludePad);
            dx[dxOffset + i] = sum;
        }
        """;

    /// <summary>GlobalAveragePool2D forward and backward.</summary>
    public const string GlobalAveragePool = """
        // y[image] = the mean of the image's plane, one thread per (sample, channel).
        KERNEL void global_average_pool(GLOBAL const float* x, int xOffset, GLOBAL float* y, int yOffset, int images, int plane)
        {
            int image = GLOBAL_ID(0);
            if (image >= images) return;
            float sum = 0.0f;
            for (int p = 0; p < plane; p++) sum += x[xOffset + image * plane + p];
            y[yOffset + image] = sum * (1.0f / (float)plane);
        }

        // dx = dy[image] / plane over the image's plane, one thread per input pixel.
        KERNEL void global_average_pool_backward(GLOBAL const float* dy, int dyOffset, GLOBAL float* dx, int dxOffset, int images, int plane)
        {
            int i = GLOBAL_ID(0);
            if (i >= images * plane) return;
            dx[dxOffset + i] = dy[dyOffset + i / plane] * (1.0f / (float)plane);
        }
        """;
}
