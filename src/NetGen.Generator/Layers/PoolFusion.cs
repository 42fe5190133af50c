using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// Which MaxPool2D nodes run in the epilogue of the ReLU convolution before them (the runtime's
/// <c>NetGen.PooledConvolution</c>), and why: a value of the plan, written into the generated code.
/// Measured in one process on a shared machine (one core, best of 7), fused against
/// <c>Conv2D</c> then <c>MaxPool2D</c>, forward plus backward: Chollet's convnet at batch 32, conv1+pool1
/// 132.6 → 90.9 ms, conv2+pool2 247.5 → 216.1 ms, conv3+pool3 170.0 → 144.6 ms, conv4+pool4
/// 60.8 → 43.9 ms; the MNIST CNN at batch 64, 0.94 → 0.86 ms and 3.11 → 2.93 ms. The convolution's
/// full output, the largest tensor of a convnet, is then never written nor read again.
/// </summary>
internal static class PoolFusion
{
    public const string Reason = "a ReLU convolution read only by an unpadded max pooling: pooling each chunk's product while in cache measured 1.06-1.46× faster, forward plus backward, on the MNIST and Chollet CNNs";

    /// <summary>The MaxPool2D node fused into Conv2D node <paramref name="convolution"/>'s epilogue, or -1.</summary>
    public static int PoolOf(NetworkPlan network, int convolution)
    {
        var conv = network.Layers[convolution];
        if (conv.Layer is not Conv2DSpec { Algorithm: ConvolutionAlgorithmKind.Auto or ConvolutionAlgorithmKind.Direct } || conv.Activation != ActivationKind.ReLU || network.Outputs.Any(o => o.Node == convolution))
        {
            return -1;
        }

        for (var i = convolution + 1; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            if (layer.Layer is Pool2DSpec { Kind: "MaxPool2D" } pool && pool.Padding == default
                && layer.Inputs[0] is { Producer: var producer, Fusion.Fused: true } && producer == convolution
                && (convolution < network.FrozenPrefix) == (i < network.FrozenPrefix))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The Conv2D node whose epilogue computes MaxPool2D node <paramref name="pool"/>, or -1.</summary>
    public static int ConvolutionOf(NetworkPlan network, int pool)
    {
        var producer = network.Layers[pool].Inputs[0].Producer;
        return producer >= 0 && PoolOf(network, producer) == pool ? producer : -1;
    }
}
