using System;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// Add's numerics in float64: <c>a = actA(u), b = actB(v), y = act(a + b)</c>, loss <c>Σ w ⊙ y</c>;
/// the gradient of both inputs through Add's backward (the producers' derivatives fused) against
/// finite differences, for every elementwise activation of the sum.
/// </summary>
public sealed class AddGradientTests
{
    private const int Count = 2 * 7; // batch 2 × 7 values per sample

    public static TheoryData<Activation> Elementwise => new(Enum.GetValues<Activation>().Where(Activations.IsElementwise));

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void BothInputsMatchFiniteDifferencesForEachActivationOfTheSum(Activation activation)
    {
        // Each activation of the sum meets a producer with a derivative of its own on each side.
        AssertGradientsMatch(activation, Activation.Tanh, Activation.GELU);
    }

    [Theory]
    [MemberData(nameof(Elementwise))]
    public void BothInputsMatchFiniteDifferencesForEachProducerActivation(Activation producer)
    {
        AssertGradientsMatch(Activation.Sigmoid, producer, Activation.None);
        AssertGradientsMatch(Activation.ReLU, Activation.LeakyReLU, producer);
    }

    [Fact]
    public void SoftmaxIsRejectedNamingIt()
    {
        var values = new double[Count];
        var forward = Assert.Throws<ArgumentException>(() => Add.Forward<double>(values, values, new double[Count], default, Count, Activation.Softmax));
        Assert.Contains("Softmax", forward.Message);
        var backward = Assert.Throws<ArgumentException>(() => Add.Backward<double>(values, new double[Count], Count, Activation.Softmax, values));
        Assert.Contains("Softmax", backward.Message);
    }

    [Fact]
    public void ShortSpansAreRejectedNamingThem()
    {
        var full = new double[Count];
        var error = Assert.Throws<ArgumentException>(() => Add.Forward<double>(full, new double[Count - 1], new double[Count], default, Count, Activation.ReLU));
        Assert.Equal("b", error.ParamName);
        Assert.Contains($"fewer than the {Count}", error.Message);
        error = Assert.Throws<ArgumentException>(() => Add.Forward<double>(full, full, new double[Count], new double[1], Count, Activation.GELU));
        Assert.Equal("preActivation", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => Add.Backward<double>(full, new double[Count], Count, Activation.Tanh, new double[2]));
        Assert.Equal("previousSaved", error.ParamName);
    }

    [Fact]
    public void AnEmptyInputGradientIsLeftAlone()
    {
        // A network input nobody differentiates gets no buffer; the call must not fail on it.
        Add.Backward<double>(new double[Count], default, Count, Activation.ReLU, new double[Count]);
    }

    private static void AssertGradientsMatch(Activation activation, Activation producerA, Activation producerB)
    {
        var random = new SeededRandom(5);
        var u = FiniteDifferences.Random(Count, random, 2);
        var v = FiniteDifferences.Random(Count, random, 2);
        var w = FiniteDifferences.Random(Count, random);

        double[] Produce(double[] pre, Activation producer)
        {
            var x = pre.ToArray();
            Activations.ApplyRows<double>(producer, x, 1, Count);
            return x;
        }

        double Loss()
        {
            var y = new double[Count];
            Add.Forward<double>(Produce(u, producerA), Produce(v, producerB), y, new double[Count], Count, activation);
            return y.Select((value, i) => value * w[i]).Sum();
        }

        var a = Produce(u, producerA);
        var b = Produce(v, producerB);
        var y = new double[Count];
        var sum = new double[Count];
        Add.Forward<double>(a, b, y, sum, Count, activation);

        // The consumer of the sum applies Add's own derivative, as generated code does.
        var dz = w.ToArray();
        Activations.Backward<double>(activation, dz, Activations.SavesPreActivation(activation) ? sum : y, 1, Count);
        var du = new double[Count];
        var dv = new double[Count];
        Add.Backward<double>(dz, du, Count, producerA, Activations.SavesPreActivation(producerA) ? u : a);
        Add.Backward<double>(dz, dv, Count, producerB, Activations.SavesPreActivation(producerB) ? v : b);

        foreach (var (name, analytic, values) in new[] { ("a", du, u), ("b", dv, v) })
        {
            var error = FiniteDifferences.RelativeError(analytic, FiniteDifferences.Gradient(values, Loss));
            Assert.True(error < 1e-6, $"{activation} of {producerA} + {producerB}, input {name}: relative error {error:E2}");
            Assert.Contains(analytic, g => g != 0);
        }
    }
}
