using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>
/// What the generator knows about one activation: the binders, the planner and both renderers read
/// these facts rather than comparing kinds. Derivatives are in terms of what forward saved, <c>s</c>:
/// the pre-activation <c>z</c> when <see cref="SavesPreActivation"/>, else the output <c>y</c>. The
/// runtime's numerics for the same kind are in <c>NetGen.Kernels.Activations</c>; a test keeps the two in step.
/// </summary>
/// <param name="Kind">The activation these facts describe.</param>
/// <param name="IsElementwise">Whether it acts on each value alone (Softmax acts on a whole row).</param>
/// <param name="SavesPreActivation">Whether its derivative needs <c>z</c>, so forward keeps it beside <c>y</c>.</param>
/// <param name="WeightInit">How the weights of a layer that ends in it start: He for rectifiers, Glorot otherwise.</param>
/// <param name="DeviceValue">The device C expression of its value at <c>z</c>; null when not elementwise.</param>
/// <param name="DeviceDerivative">The device C expression of its derivative at the saved <c>s</c>; null when not elementwise.</param>
internal sealed record ActivationFacts(ActivationKind Kind, bool IsElementwise, bool SavesPreActivation, InitKind WeightInit, string? DeviceValue, string? DeviceDerivative)
{
    /// <summary>The public enum member in generated C#, e.g. <c>global::NetGen.Activation.ReLU</c>.</summary>
    public string Literal => "global::NetGen.Activation." + Kind;

    /// <summary>The suffix of its device kernel names, e.g. <c>relu</c> in <c>bias_relu</c>.</summary>
    public string KernelSuffix => Kind.ToString().ToLowerInvariant();
}

/// <summary>
/// The one activation table. A switch expression without a discard arm: an activation added to
/// <see cref="ActivationKind"/> but not here is a build error (CS8509), never a silent default.
/// </summary>
internal static class ActivationTable
{
    /// <summary>The facts of <paramref name="kind"/>.</summary>
    public static ActivationFacts Of(ActivationKind kind) => kind switch
    {
        ActivationKind.None => new(kind, IsElementwise: true, SavesPreActivation: false, InitKind.GlorotUniform, "z", "1.0f"),
        ActivationKind.ReLU => new(kind, IsElementwise: true, SavesPreActivation: false, InitKind.HeUniform, "z > 0.0f ? z : 0.0f", "s > 0.0f ? 1.0f : 0.0f"),
        ActivationKind.LeakyReLU => new(kind, IsElementwise: true, SavesPreActivation: false, InitKind.HeUniform, "z > 0.0f ? z : 0.01f * z", "s > 0.0f ? 1.0f : 0.01f"),
        ActivationKind.Sigmoid => new(kind, IsElementwise: true, SavesPreActivation: false, InitKind.GlorotUniform, "1.0f / (1.0f + EXP(-z))", "s * (1.0f - s)"),
        ActivationKind.Tanh => new(kind, IsElementwise: true, SavesPreActivation: false, InitKind.GlorotUniform, "TANH(z)", "1.0f - s * s"),
        ActivationKind.GELU => new(kind, IsElementwise: true, SavesPreActivation: true, InitKind.HeUniform, "0.5f * z * (1.0f + ERF(z * 0.70710678f))", "0.5f * (1.0f + ERF(s * 0.70710678f)) + s * EXP(-0.5f * s * s) * 0.39894228f"),
        ActivationKind.ReLU6 => new(kind, IsElementwise: true, SavesPreActivation: false, InitKind.HeUniform, "z > 0.0f ? (z < 6.0f ? z : 6.0f) : 0.0f", "s > 0.0f && s < 6.0f ? 1.0f : 0.0f"),
        ActivationKind.Softmax => new(kind, IsElementwise: false, SavesPreActivation: false, InitKind.GlorotUniform, DeviceValue: null, DeviceDerivative: null),
    };

    /// <summary>Every activation's facts, in the enum's order.</summary>
    public static IEnumerable<ActivationFacts> All => Enum.GetValues(typeof(ActivationKind)).Cast<ActivationKind>().Select(Of);

    /// <summary>
    /// The activation an attribute's enum argument names, or false for a number outside the enum
    /// (a cast such as <c>(Activation)42</c>), which binders report rather than pass on.
    /// </summary>
    public static bool TryRead(int value, out ActivationKind kind)
    {
        kind = (ActivationKind)value;
        return Enum.IsDefined(typeof(ActivationKind), value);
    }

    /// <summary>The elementwise activations as a reader would list them: "None, ReLU, … or GELU".</summary>
    public static string ElementwiseNames()
    {
        var names = All.Where(f => f.IsElementwise).Select(f => f.Kind.ToString()).ToList();
        return string.Join(", ", names.Take(names.Count - 1)) + " or " + names[names.Count - 1];
    }
}
