using System;
using NetGen.Gpu;
using NetGen.Optimizers;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>Largest relative errors between the OpenCL path and the CPU SIMD path for one training step.</summary>
/// <remarks><see cref="Parameters"/> covers the buffers (running statistics) too.</remarks>
internal sealed record ParityReport(double Forward, double Loss, double Gradients, double Parameters)
{
    public double Max => Math.Max(Math.Max(Forward, Loss), Math.Max(Gradients, Parameters));

    public override string ToString() => $"forward {Forward:E2}, loss {Loss:E2}, gradients {Gradients:E2}, parameters and buffers after step {Parameters:E2}";
}

/// <summary>Runs the same batch through a network on the CPU and on a device and measures how far they part.</summary>
internal static class DeviceParity
{
    /// <summary>Values below this magnitude are compared absolutely (relative error of values near zero means nothing).</summary>
    private const double Floor = 1e-3;

    public static ParityReport Measure<TNetwork>(
        Func<TNetwork> create, Func<TNetwork, GpuNetwork> toDevice, Func<INetwork, float[], float> train, Func<int, Optimizer> optimizer, int batch, int seed, float[]? inputs = null)
        where TNetwork : INetwork
    {
        var cpu = create();
        using var device = toDevice(cpu);
        // Everything below goes through INetwork, as Trainer.Fit does.
        INetwork gpu = device;
        inputs ??= Random(batch * cpu.InputSize, seed);

        var cpuOutputs = new float[batch * cpu.OutputSize];
        var gpuOutputs = new float[batch * cpu.OutputSize];
        cpu.Forward(inputs, cpuOutputs);
        gpu.Forward(inputs, gpuOutputs);
        var forward = MaxRelativeError(cpuOutputs, gpuOutputs);

        var cpuLoss = train(cpu, inputs);
        var gpuLoss = train(gpu, inputs);
        var loss = MaxRelativeError([cpuLoss], [gpuLoss]);
        var gradients = MaxRelativeError(cpu.Gradients.ToArray(), gpu.Gradients.ToArray());

        optimizer(cpu.Gradients.Length).Step(cpu);
        optimizer(cpu.Gradients.Length).Step(gpu);
        var parameters = Math.Max(MaxRelativeError(cpu.Parameters.ToArray(), gpu.Parameters.ToArray()), MaxRelativeError(cpu.Buffers.ToArray(), gpu.Buffers.ToArray()));
        return new ParityReport(forward, loss, gradients, parameters);
    }

    public static float[] Random(int count, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return values;
    }

    public static int[] Labels(int count, int classes, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = random.NextInt(classes);
        }

        return labels;
    }

    public static double MaxRelativeError(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"{expected.Length} expected values but {actual.Length} actual ones.", nameof(actual));
        }

        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (!float.IsFinite(actual[i]))
            {
                return double.PositiveInfinity;
            }

            var scale = Math.Max(Floor, Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])));
            max = Math.Max(max, Math.Abs(expected[i] - (double)actual[i]) / scale);
        }

        return max;
    }
}
