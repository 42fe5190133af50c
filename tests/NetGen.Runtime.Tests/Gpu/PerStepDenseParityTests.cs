using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>A per-step Dense (batch · steps rows of the product) on the OpenCL device (PoCL in CI) against the CPU: outputs, loss, every gradient, one step.</summary>
public sealed class PerStepDenseParityTests(ITestOutputHelper output)
{
    /// <summary>Float32 sums in a different order (tiles vs SIMD lanes) differ by a few ulps per term.</summary>
    private const double Tolerance = 1e-4;

    [OpenClFact]
    public void PerStepDenseMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(7, 2, seed: 51);
        var report = DeviceParity.Measure(
            () => new GpuPerStepDense(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels),
            count => new Sgd(count, 0.1f), batch: 7, seed: 52);
        output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }
}

/// <summary>Six steps of five features, a Tanh Dense at each step, flattened into a classifier.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
[Input(6, 5)]
public partial class GpuPerStepDense
{
    [Dense(3, Activation.Tanh, PerStep = true)] public partial Dense Projection { get; }

    [Flatten] public partial Flatten Steps { get; }

    [Dense(2)] public partial Dense Output { get; }
}
