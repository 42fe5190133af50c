using System;

namespace NetGen;

/// <summary>
/// Base of every layer attribute. A layer is a <c>partial</c> property of a network class; its
/// name becomes the prefix of its parameters in PyTorch's state_dict convention
/// (<c>Hidden</c> owns <c>hidden.weight</c> and <c>hidden.bias</c>).
/// </summary>
/// <remarks>
/// A layer reads the layer declared before it (the first one reads the network input) unless
/// <see cref="Input"/> names another: <c>[Conv2D(32, 1, Input = nameof(Block1))]</c> starts a branch, and
/// <see cref="AddAttribute"/> and <see cref="ConcatAttribute"/> join branches. The last declared layer is the
/// network's output; every other layer must feed some layer.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>The name that stands for the network's input in <see cref="Input"/> and in <see cref="AddAttribute"/> or <see cref="ConcatAttribute"/> (<c>"input"</c>).</summary>
    public const string NetworkInput = "input";

    /// <summary>
    /// The layer this one reads, as <c>nameof(Layer)</c>, or <see cref="NetworkInput"/> for the network's input;
    /// null (the default) for the layer declared before it. <see cref="AddAttribute"/> and
    /// <see cref="ConcatAttribute"/> name their inputs in their constructors instead.
    /// </summary>
    public string? Input { get; set; }
}
