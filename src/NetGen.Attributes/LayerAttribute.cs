using System;

namespace NetGen;

/// <summary>
/// Base of every layer attribute. A layer is a <c>partial</c> property of a network class; its
/// name becomes the prefix of its parameters in PyTorch's state_dict convention
/// (<c>Hidden</c> owns <c>hidden.weight</c> and <c>hidden.bias</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public abstract class LayerAttribute : Attribute
{
}
