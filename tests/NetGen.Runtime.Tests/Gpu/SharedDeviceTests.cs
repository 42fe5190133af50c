using System.Threading.Tasks;
using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// Networks of one type on one device share its compiled kernels. Training two of them on two
/// threads at once gives each exactly what it gets alone: one launch's arguments never end up in
/// another's.
/// </summary>
public sealed class SharedDeviceTests
{
    private const int Batch = 8;
    private const int Steps = 400;

    [OpenClFact]
    public void TwoNetworksOfOneTypeTrainedAtOnceMatchOneTrainedAlone()
    {
        var inputs = DeviceParity.Random(Batch * GpuNormalized.Layout.InputSize, seed: 50);
        var labels = DeviceParity.Labels(Batch, 3, seed: 51);
        var alone = Train(inputs, labels);

        var together = new float[2][];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => together[i] = Train(inputs, labels));

        Assert.Equal(alone, together[0]);
        Assert.Equal(alone, together[1]);
    }

    /// <summary>The parameters of a fresh network after <see cref="Steps"/> Adam steps on one batch.</summary>
    private static float[] Train(float[] inputs, int[] labels)
    {
        using var gpu = new GpuNormalized().ToDevice(Device.OpenCL());
        var optimizer = new Adam(GpuNormalized.Layout.ParameterCount, 0.01f);
        for (var step = 0; step < Steps; step++)
        {
            gpu.TrainStep(inputs, labels);
            optimizer.Step(gpu);
        }

        return ((INetwork)gpu).Parameters.ToArray();
    }
}
