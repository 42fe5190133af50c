using NetGen.Optimizers;
using NetGen.Runtime.Tests.Networks;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// Networks with shared weights ([Reuse]) on the OpenCL device (PoCL in CI) against the CPU: each
/// shared tensor's gradient summed over its uses (a Dense used three times, a Conv2D at two image sizes,
/// a BatchNorm whose running statistics both uses move, a Dense twice in depth), the step after it, and
/// dL/dinput with the input read by two uses.
/// </summary>
public sealed class SharedWeightParityTests
{
    /// <summary>Float32 sums in a different order (tiles vs SIMD lanes) differ by a few ulps per term.</summary>
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper _output;

    public SharedWeightParityTests(ITestOutputHelper output) => _output = output;

    [OpenClFact]
    public void DenseUsedThreeTimesMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(7, 3, seed: 61);
        Check(DeviceParity.Measure(
            () => new TestTiedVector(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels),
            count => new Sgd(count, 0.1f, momentum: 0.9), batch: 7, seed: 62));
    }

    [OpenClFact]
    public void ConvolutionAtTwoScalesMatchesTheCpu()
    {
        var targets = DeviceParity.Random(5 * TestTiedImages.Layout.OutputSize, seed: 63);
        Check(DeviceParity.Measure(
            () => new TestTiedImages(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, targets),
            count => new Adam(count, 0.01f), batch: 5, seed: 64));
    }

    [OpenClFact]
    public void SharedBatchNormMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(6, 3, seed: 65);
        Check(DeviceParity.Measure(
            () => new TorchTied(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels),
            count => new Sgd(count, 0.1f), batch: 6, seed: 66));
    }

    [OpenClFact]
    public void InputGradientsThroughSharedWeightsMatchTheCpu()
    {
        var cpu = new TestTiedVector { ComputeInputGradients = true };
        using var gpu = cpu.ToDevice(Device.OpenCL());
        gpu.ComputeInputGradients = true;
        var inputs = DeviceParity.Random(9 * TestTiedVector.Layout.InputSize, seed: 67);
        var labels = DeviceParity.Labels(9, 3, seed: 68);

        cpu.TrainStep(inputs, labels);
        gpu.TrainStep(inputs, labels);

        var error = DeviceParity.MaxRelativeError(cpu.InputGradients.ToArray(), gpu.InputGradients.ToArray());
        _output.WriteLine($"dL/dinput: max relative error {error:E2}");
        Assert.True(error < Tolerance, $"The device's dL/dinput departs from the CPU's by {error:E2}");
    }

    private void Check(ParityReport report)
    {
        _output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }
}
