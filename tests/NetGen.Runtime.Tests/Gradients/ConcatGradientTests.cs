using System;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// Concat's numerics in float64: inputs <c>x_i = act_i(u_i)</c> joined along the first per-sample
/// axis, loss <c>Σ w ⊙ tanh(y)</c>; each input's gradient through Concat's backward (its producer's
/// derivative fused, Softmax's over each sample's row) against finite differences.
/// </summary>
public sealed class ConcatGradientTests
{
    private const int Batch = 2;

    public static TheoryData<Activation> Producers => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(Producers))]
    public void TwoImagesAlongChannelsMatchFiniteDifferences(Activation producer) =>
        // [2, 3, 4] ++ [1, 3, 4] → [3, 3, 4]
        AssertGradientsMatch([2 * 3 * 4, 1 * 3 * 4], [producer, Activation.ReLU]);

    [Theory]
    [MemberData(nameof(Producers))]
    public void ThreeVectorsMatchFiniteDifferences(Activation producer) =>
        AssertGradientsMatch([5, 3, 4], [Activation.Sigmoid, producer, Activation.None]);

    [Fact]
    public void ThreeImagesPlaceEachInputAfterThePreviousOnesInEverySample()
    {
        // [1, 2, 2] ++ [2, 2, 2] ++ [1, 2, 2]: per sample the output is input 0's 4 values, input 1's 8, input 2's 4.
        int[] sizes = [4, 8, 4];
        var y = new double[Batch * 16];
        var offset = 0;
        for (var input = 0; input < sizes.Length; input++)
        {
            var x = Enumerable.Range(0, Batch * sizes[input]).Select(i => (100.0 * input) + i).ToArray();
            Concat.Forward<double>(x, y, Batch, sizes[input], 16, offset);
            offset += sizes[input];
        }

        double[] expected = [0, 1, 2, 3, 100, 101, 102, 103, 104, 105, 106, 107, 200, 201, 202, 203,
            4, 5, 6, 7, 108, 109, 110, 111, 112, 113, 114, 115, 204, 205, 206, 207];
        Assert.Equal(expected, y);
    }

    [Fact]
    public void ASliceThatDoesNotFitTheOutputSampleIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Concat.Forward<double>(new double[Batch * 4], new double[Batch * 6], Batch, 4, 6, 3));
        Assert.Equal("offset", error.ParamName);
        Assert.Contains("4 values at offset 3 does not fit an output sample of 6", error.Message);
        error = Assert.Throws<ArgumentException>(() => Concat.Backward<double>(new double[Batch * 6], new double[Batch * 4], Batch, 4, 6, 2, Activation.Tanh, new double[3]));
        Assert.Equal("previousSaved", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Concat.Forward<double>(new double[Batch * 4], new double[5], Batch, 4, 6, 0));
        Assert.Equal("y", error.ParamName);
    }

    private static void AssertGradientsMatch(int[] sizes, Activation[] producers)
    {
        var outputSize = sizes.Sum();
        var random = new SeededRandom(9);
        var us = sizes.Select(size => FiniteDifferences.Random(Batch * size, random, 2)).ToArray();
        var w = FiniteDifferences.Random(Batch * outputSize, random);

        double[] Produce(int input)
        {
            var x = us[input].ToArray();
            Activations.ApplyRows<double>(producers[input], x, Batch, sizes[input]);
            return x;
        }

        double[] Join()
        {
            var y = new double[Batch * outputSize];
            for (int input = 0, offset = 0; input < sizes.Length; offset += sizes[input], input++)
            {
                Concat.Forward<double>(Produce(input), y, Batch, sizes[input], outputSize, offset);
            }

            return y;
        }

        double Loss() => Join().Select((v, i) => w[i] * Math.Tanh(v)).Sum();

        var dy = Join().Select((v, i) => w[i] * (1 - (Math.Tanh(v) * Math.Tanh(v)))).ToArray();
        for (int input = 0, offset = 0; input < sizes.Length; offset += sizes[input], input++)
        {
            var dx = new double[Batch * sizes[input]];
            var saved = Activations.SavesPreActivation(producers[input]) ? us[input] : Produce(input);
            Concat.Backward<double>(dy, dx, Batch, sizes[input], outputSize, offset, producers[input], saved);
            var error = FiniteDifferences.RelativeError(dx, FiniteDifferences.Gradient(us[input], Loss));
            Assert.True(error < 1e-6, $"input {input} ({producers[input]}): relative error {error:E2}");
            Assert.Contains(dx, g => g != 0);
        }
    }
}
