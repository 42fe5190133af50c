using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using NetGen.Checkpoints;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Networks;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The Winograd weights a forward pass keeps (<see cref="WinogradWeightCache{T}"/>): reused while the
/// kernels are bit for bit the same, recomputed whenever they are not, however they were changed.
/// Each reference is computed on a new thread, whose cache is empty.
/// </summary>
public sealed class WinogradWeightCacheTests
{
    [Fact]
    public void Unchanged_kernels_reuse_their_transform_and_a_written_kernel_gets_a_new_one()
    {
        var weight = Random(32 * 16 * 9, 61);
        var first = WinogradWeightCache<float>.Packed(weight, 32, 16);
        var again = WinogradWeightCache<float>.Packed(weight, 32, 16);
        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(first), ref MemoryMarshal.GetReference(again)), "unchanged kernels were transformed again");

        weight[100] += 0.25f;
        var changed = WinogradWeightCache<float>.Packed(weight, 32, 16).ToArray();

        Assert.Equal(Transformed(weight, 32, 16), Bits(changed));
    }

    [Fact]
    public void A_zero_turned_negative_is_a_change()
    {
        var weight = Random(8 * 4 * 9, 62);
        weight[0] = 0f;
        _ = WinogradWeightCache<float>.Packed(weight, 8, 4);

        weight[0] = -0f;

        Assert.Equal(Transformed(weight, 8, 4), Bits(WinogradWeightCache<float>.Packed(weight, 8, 4).ToArray()));
    }

    [Fact]
    public void Layers_of_one_shape_keep_an_entry_each()
    {
        var a = Random(16 * 16 * 9, 63);
        var b = Random(16 * 16 * 9, 64);
        var first = WinogradWeightCache<float>.Packed(a, 16, 16);
        _ = WinogradWeightCache<float>.Packed(b, 16, 16);

        var again = WinogradWeightCache<float>.Packed(a, 16, 16);

        Assert.True(Unsafe.AreSame(ref MemoryMarshal.GetReference(first), ref MemoryMarshal.GetReference(again)), "a second layer of the same shape evicted the first");
        Assert.Equal(Transformed(a, 16, 16), Bits(again.ToArray()));
    }

    public static TheoryData<string> WaysWeightsChange => new() { "optimizer step", "checkpoint load", "partial checkpoint load", "parameter span write" };

    [Theory]
    [MemberData(nameof(WaysWeightsChange))]
    public void A_forward_pass_after_the_weights_change_computes_with_the_new_weights(string way)
    {
        var model = new TestAutoWinogradCnn();
        var x = Random(2 * model.InputSize, 65);
        var outputs = new float[2 * model.OutputSize];
        model.Forward(x, outputs);

        Change(model, way, x);
        model.Forward(x, outputs);

        var parameters = model.Parameters.ToArray();
        Assert.Equal(OnNewThread(parameters, x), outputs);
    }

    private static void Change(TestAutoWinogradCnn model, string way, float[] x)
    {
        switch (way)
        {
            case "optimizer step":
                model.TrainStep(x, [1, 3]);
                new Sgd(model, 0.5f).Step(model);
                break;
            case "checkpoint load":
            case "partial checkpoint load":
                var other = new TestAutoWinogradCnn();
                Random(other.Parameters.Length, 66).CopyTo(other.Parameters);
                var path = Path.Combine(Path.GetTempPath(), $"netgen-winograd-cache-{Guid.NewGuid():N}.safetensors");
                try
                {
                    Checkpoint.Save(path, other);
                    if (way == "checkpoint load")
                    {
                        Checkpoint.Load(path, model);
                    }
                    else
                    {
                        Assert.NotEmpty(Checkpoint.LoadPartial(path, model, ["conv"]));
                    }
                }
                finally
                {
                    File.Delete(path);
                }

                break;
            case "parameter span write":
                model.Parameters[3] += 0.5f;
                break;
            default:
                throw new ArgumentException($"No such way: {way}.", nameof(way));
        }
    }

    private static float[] OnNewThread(float[] parameters, float[] x)
    {
        var outputs = new float[2 * 5];
        var thread = new Thread(() =>
        {
            var fresh = new TestAutoWinogradCnn();
            parameters.CopyTo(fresh.Parameters);
            fresh.Forward(x, outputs);
        });
        thread.Start();
        thread.Join();
        return outputs;
    }

    private static int[] Transformed(float[] weight, int outChannels, int inChannels)
    {
        var packed = new float[WinogradTiles.PackedLength(outChannels, inChannels)];
        WinogradTiles.TransformWeights<float>(weight, outChannels, inChannels, flipped: false, packed);
        return Bits(packed);
    }

    private static int[] Bits(float[] values) => MemoryMarshal.Cast<float, int>(values).ToArray();
}
