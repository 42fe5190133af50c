using System;

namespace NetGen.Optimizers;

/// <summary>
/// One per-parameter buffer of an optimizer's state, named as in PyTorch's <c>state_dict</c>
/// (<c>exp_avg</c>, <c>momentum_buffer</c>, ...). <see cref="Values"/> mirrors the parameter buffer.
/// </summary>
/// <remarks>
/// <see cref="Optimizer.State"/> hands out the live buffers: a checkpoint writer reads them as they
/// are and <see cref="Optimizer.LoadState"/> copies saved ones back, so a resumed run continues bit for bit.
/// </remarks>
public sealed class OptimizerState
{
    /// <summary>Creates a named state buffer.</summary>
    public OptimizerState(string name, float[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        Name = name;
        Values = values;
    }

    /// <summary>The PyTorch state_dict key of this buffer.</summary>
    public string Name { get; }

    /// <summary>One value per parameter.</summary>
    public float[] Values { get; }
}
