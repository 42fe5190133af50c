using System.Linq;
using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// Each test network's forward pass, loss, gradients and one optimizer step on the OpenCL device
/// (PoCL in CI) against the CPU SIMD path, within float32 tolerance.
/// </summary>
public sealed class OpenClParityTests
{
    /// <summary>Float32 sums in a different order (tiles vs SIMD lanes) differ by a few ulps per term.</summary>
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper _output;

    public OpenClParityTests(ITestOutputHelper output) => _output = output;

    [OpenClFact]
    public void SoftmaxCrossEntropyWithAdamMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(37, 4, seed: 1);
        var report = DeviceParity.Measure(
            () => new GpuClassifier(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels), (g, x) => g.TrainStep(x, labels),
            new Adam(GpuClassifier.Layout.ParameterCount, 0.01f), new GpuAdam(0.01f), batch: 37, seed: 2);
        Check(report);
    }

    [OpenClFact]
    public void SmoothedSoftmaxCrossEntropyMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(21, 4, seed: 9);
        var report = DeviceParity.Measure(
            () => new GpuSmoothedClassifier(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels), (g, x) => g.TrainStep(x, labels),
            new Adam(GpuSmoothedClassifier.Layout.ParameterCount, 0.01f), new GpuAdam(0.01f), batch: 21, seed: 10,
            // Inputs in [-16, 16]: a good share of the ReLU6 pre-activations pass 6, so the clamp and its zero gradient are compared too.
            inputs: [.. DeviceParity.Random(21 * GpuSmoothedClassifier.Layout.InputSize, seed: 10).Select(v => 16 * v)]);
        Check(report);
    }

    [OpenClFact]
    public void BinaryCrossEntropyWithNesterovSgdMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(33, 2, seed: 3);
        var report = DeviceParity.Measure(
            () => new GpuBinary(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels), (g, x) => g.TrainStep(x, labels),
            new Sgd(GpuBinary.Layout.ParameterCount, 0.1f, momentum: 0.9, nesterov: true, weightDecay: 0.01), new GpuSgd(0.1f, momentum: 0.9, nesterov: true, weightDecay: 0.01), batch: 33, seed: 4);
        Check(report);
    }

    [OpenClFact]
    public void MeanSquaredErrorWithMomentumSgdMatchesTheCpu()
    {
        var targets = DeviceParity.Random(40 * GpuRegressor.Layout.OutputSize, seed: 5);
        var report = DeviceParity.Measure(
            () => new GpuRegressor(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, targets), (g, x) => g.TrainStep(x, targets),
            new Sgd(GpuRegressor.Layout.ParameterCount, 0.05f, momentum: 0.5, dampening: 0.1), new GpuSgd(0.05f, momentum: 0.5, dampening: 0.1), batch: 40, seed: 6);
        Check(report);
    }

    [OpenClFact]
    public void MeanAbsoluteErrorWithAdamWeightDecayMatchesTheCpu()
    {
        var targets = DeviceParity.Random(29 * GpuAbsoluteRegressor.Layout.OutputSize, seed: 7);
        var report = DeviceParity.Measure(
            () => new GpuAbsoluteRegressor(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, targets), (g, x) => g.TrainStep(x, targets),
            new Adam(GpuAbsoluteRegressor.Layout.ParameterCount, 0.01f, weightDecay: 0.1), new GpuAdam(0.01f, weightDecay: 0.1), batch: 29, seed: 8);
        Check(report);
    }

    [OpenClFact]
    public void FlattenedImageOnSoftTargetsMatchesTheCpu()
    {
        var targets = SoftTargets(35, GpuFlattened.Layout.OutputSize, seed: 9);
        var report = DeviceParity.Measure(
            () => new GpuFlattened(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, targets), (g, x) => g.TrainStep(x, targets),
            new Sgd(GpuFlattened.Layout.ParameterCount, 0.2f), new GpuSgd(0.2f), batch: 35, seed: 10);
        Check(report);
    }

    [OpenClFact]
    public void ConvolutionalNetworkWithAdamMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(13, 3, seed: 11);
        var report = DeviceParity.Measure(
            () => new GpuConvolutional(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels), (g, x) => g.TrainStep(x, labels),
            new Adam(GpuConvolutional.Layout.ParameterCount, 0.01f), new GpuAdam(0.01f), batch: 13, seed: 12);
        Check(report);
    }

    [OpenClFact]
    public void UnevenPaddingAndUncountedPaddingMatchTheCpu()
    {
        var labels = DeviceParity.Labels(11, 3, seed: 21);
        var report = DeviceParity.Measure(
            () => new GpuUnevenlyPadded(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels), (g, x) => g.TrainStep(x, labels),
            new Adam(GpuUnevenlyPadded.Layout.ParameterCount, 0.01f), new GpuAdam(0.01f), batch: 11, seed: 22);
        Check(report);
    }

    [OpenClFact]
    public void MaxPoolingOverTiesMatchesTheCpu()
    {
        // Inputs in {-1, -0.5, 0, 0.5, 1} and filter c all (c + 1) / 4: each output is an exact multiple of
        // 1/8 in a narrow range, so most pooling windows hold the maximum at two or more different patches.
        var inputs = DeviceParity.Random(9 * GpuPooled.Layout.InputSize, seed: 13);
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = System.MathF.Round(inputs[i] * 2) / 2;
        }

        var targets = DeviceParity.Random(9 * GpuPooled.Layout.OutputSize, seed: 14);
        var report = DeviceParity.Measure(
            TiedPooled, n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, targets), (g, x) => g.TrainStep(x, targets),
            new Sgd(GpuPooled.Layout.ParameterCount, 0.1f, momentum: 0.9), new GpuSgd(0.1f, momentum: 0.9), batch: 9, seed: 0, inputs);
        Check(report);
    }

    private static GpuPooled TiedPooled()
    {
        var network = new GpuPooled();
        var weight = network.Sums.Weight.Span;
        for (var i = 0; i < weight.Length; i++)
        {
            weight[i] = ((i / 4) + 1) / 4f;
        }

        return network;
    }

    private void Check(ParityReport report)
    {
        _output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }

    private static float[] SoftTargets(int rows, int classes, int seed)
    {
        var targets = DeviceParity.Random(rows * classes, seed);
        for (var r = 0; r < rows; r++)
        {
            var sum = 0f;
            for (var c = 0; c < classes; c++)
            {
                targets[(r * classes) + c] = System.Math.Abs(targets[(r * classes) + c]) + 0.1f;
                sum += targets[(r * classes) + c];
            }

            for (var c = 0; c < classes; c++)
            {
                targets[(r * classes) + c] /= sum;
            }
        }

        return targets;
    }
}
