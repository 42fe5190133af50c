using System;

namespace NetGen.Losses;

/// <summary>
/// What the runtime knows about each loss beside its numerics: the link it applies itself, whether
/// it compares class labels and how many terms it sums. The generator's loss table states the same facts (a test keeps
/// the two in step). Switches without a discard arm: a loss added to <see cref="Loss"/> but not
/// here is a build error (CS8509), never a silent default.
/// </summary>
internal static class LossRules
{
    /// <summary>The last layer's activation <paramref name="loss"/> applies itself on the logits; None when it reads the outputs as they are.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loss"/> is a number outside <see cref="Loss"/>.</exception>
    public static Activation Link(Loss loss) => Defined(loss) switch
    {
        Loss.SoftmaxCrossEntropy => Activation.Softmax,
        Loss.BinaryCrossEntropy => Activation.Sigmoid,
        Loss.MeanSquaredError or Loss.MeanAbsoluteError => Activation.None,
    };

    /// <summary>Whether <paramref name="loss"/> compares class labels (a classifier's) rather than float targets only (a regressor's).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loss"/> is a number outside <see cref="Loss"/>.</exception>
    public static bool TakesLabels(Loss loss) => Defined(loss) switch
    {
        Loss.SoftmaxCrossEntropy or Loss.BinaryCrossEntropy => true,
        Loss.MeanSquaredError or Loss.MeanAbsoluteError => false,
    };

    /// <summary>Whether <paramref name="loss"/> sums one term per output value (MSE, MAE) rather than one per sample; the device writes that many terms.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loss"/> is a number outside <see cref="Loss"/>.</exception>
    public static bool HasTermPerValue(Loss loss) => Defined(loss) switch
    {
        Loss.SoftmaxCrossEntropy or Loss.BinaryCrossEntropy => false,
        Loss.MeanSquaredError or Loss.MeanAbsoluteError => true,
    };

    // INetwork.Loss comes from generated code, but a hand-written network may return any number;
    // it gets an error that names it rather than a SwitchExpressionException or a guess.
    private static Loss Defined(Loss loss) =>
        Enum.IsDefined(loss) ? loss : throw new ArgumentOutOfRangeException(nameof(loss), loss, $"{(int)loss} is not a Loss value.");
}
