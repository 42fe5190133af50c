using System;
using System.IO;
using System.Text.Json;
using Xunit;
using static NetGen.Runtime.Tests.Networks.TorchGolden;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// The pooled convolution paths Auto picks (direct convolution and Winograd F(2×2, 3×3), each with its max
/// pooling fused) against PyTorch's unfused conv2d, relu and max_pool2d: one training step of
/// <see cref="TorchPooledCnn"/> from the parameters PyTorch started from, loaded by state_dict name; the
/// logits, loss, every parameter gradient and the input gradient must each agree within 1e-5 of the
/// tensor's largest value. Golden values: tests/reference/record_pooled.py (computed in float64).
/// </summary>
public sealed class TorchPooledTests
{
    [Fact]
    public void PooledConvnetTrainingStepMatchesPyTorch()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Networks", "torch_pooled.json")));

        AssertTrainingStep(golden.RootElement.GetProperty("pooled"), new TorchPooledCnn { ComputeInputGradients = true });
    }
}
