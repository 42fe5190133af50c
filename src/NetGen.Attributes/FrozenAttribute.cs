using System;

namespace NetGen;

/// <summary>
/// Compiles a layer out of training: it has no gradients and no optimizer state (its parameters lie
/// after the trainable ones), so optimizers leave it unchanged, and it cannot be thawed. Layers before
/// the first trainable one, with a <c>[Frozen]</c> layer among them (a frozen backbone), run in
/// inference mode even in training steps (BatchNorm uses its running statistics, Dropout is off), keep
/// nothing for backward and have no backward. <c>INetwork.SetFrozen</c> freezes and thaws layers at run
/// time instead, keeping their gradients and optimizer state, as <c>requires_grad = False</c> in PyTorch.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class FrozenAttribute : Attribute
{
}
