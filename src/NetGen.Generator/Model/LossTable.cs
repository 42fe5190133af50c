using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>
/// What the generator knows about one loss: the planner, both renderers and the code fix read these
/// facts rather than comparing kinds. The runtime states the same link and target facts in
/// <c>NetGen.Losses.LossRules</c>; a test keeps the two in step.
/// </summary>
/// <param name="Kind">The loss these facts describe.</param>
/// <param name="Link">The last layer's activation the loss applies itself (Softmax, Sigmoid), fused with it on the logits; None when the loss reads the outputs as they are.</param>
/// <param name="LinkPhrase">How messages name the link it applies ("softmax", "the sigmoid"); null when it absorbs none.</param>
/// <param name="Name">How messages name it: "softmax cross-entropy".</param>
/// <param name="TakesLabels">Whether it compares class labels (int per sample) as well as float targets.</param>
/// <param name="RuntimeClass">Its class in <c>NetGen.Losses</c>, whose <c>Compute</c> the CPU code calls.</param>
/// <param name="Reads">What the comments call the values it reads: "the logits {shape}" or "the outputs {shape}", less the shape.</param>
/// <param name="Gradient">The gradient that seeds backward, as the generated comments write it.</param>
/// <param name="DeviceKernel">The name of its device kernel.</param>
/// <param name="DeviceTerm">For a loss of one term per value: the device C expression of the term at <c>d = y − t</c>; null for a loss per sample.</param>
/// <param name="DeviceDerivative">For a loss of one term per value: d term / d y at <c>d</c>; null for a loss per sample.</param>
internal sealed record LossFacts(LossKind Kind, ActivationKind Link, string? LinkPhrase, string Name, bool TakesLabels, string RuntimeClass, string Reads, string Gradient, string DeviceKernel, string? DeviceTerm, string? DeviceDerivative)
{
    /// <summary>Whether it sums one term per output value (MSE, MAE) rather than one per sample; the device writes that many terms.</summary>
    public bool IsElementwise => DeviceTerm is not null;

    /// <summary>Whether a last layer ending in <paramref name="activation"/> can feed it: any, unless it absorbs a link, then that link or none.</summary>
    public bool Accepts(ActivationKind activation) => Link == ActivationKind.None || activation == ActivationKind.None || activation == Link;
}

/// <summary>
/// The one loss table. A switch expression without a discard arm: a loss added to
/// <see cref="LossKind"/> but not here is a build error (CS8509), never a silent default.
/// </summary>
internal static class LossTable
{
    /// <summary>The facts of <paramref name="kind"/>.</summary>
    public static LossFacts Of(LossKind kind) => kind switch
    {
        LossKind.SoftmaxCrossEntropy => new(kind, ActivationKind.Softmax, "softmax", "softmax cross-entropy", TakesLabels: true, "SoftmaxCrossEntropy", "Softmax and cross-entropy fused on the logits", "(p − y) / batch", "softmax_cross_entropy", DeviceTerm: null, DeviceDerivative: null),
        LossKind.BinaryCrossEntropy => new(kind, ActivationKind.Sigmoid, "the sigmoid", "binary cross-entropy", TakesLabels: true, "BinaryCrossEntropy", "Sigmoid and binary cross-entropy fused on the logits", "(σ(z) − y) / batch", "binary_cross_entropy", DeviceTerm: null, DeviceDerivative: null),
        LossKind.MeanSquaredError => new(kind, ActivationKind.None, LinkPhrase: null, "mean squared error", TakesLabels: false, "MeanSquaredError", "Mean squared error on the outputs", "2 (y − t) / count", "mean_squared_error", "d * d", "2.0f * d"),
        LossKind.MeanAbsoluteError => new(kind, ActivationKind.None, LinkPhrase: null, "mean absolute error", TakesLabels: false, "MeanAbsoluteError", "Mean absolute error on the outputs", "sign(y − t) / count", "mean_absolute_error", "FABS(d)", "(d > 0.0f ? 1.0f : (d < 0.0f ? -1.0f : 0.0f))"),
    };

    /// <summary>Every loss's facts, in the enum's order.</summary>
    public static IEnumerable<LossFacts> All => Enum.GetValues(typeof(LossKind)).Cast<LossKind>().Select(Of);

    /// <summary>
    /// The loss an attribute's enum argument names, or false for a number outside the enum
    /// (a cast such as <c>(Loss)42</c>), which the planner reports rather than pass on.
    /// </summary>
    public static bool TryRead(int value, out LossKind kind)
    {
        kind = (LossKind)value;
        return Enum.IsDefined(typeof(LossKind), value);
    }
}
