using System;

namespace NetGen;

/// <summary>
/// Starts a layer frozen: training computes no gradient for its parameters and optimizers leave
/// them unchanged, as with <c>requires_grad = False</c> in PyTorch. <c>INetwork.SetFrozen</c>
/// freezes or thaws layers at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class FrozenAttribute : Attribute
{
}
