using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>The view of a Flatten layer: it has no parameters and no numerics (the planner aliases its buffer).</summary>
public sealed class Flatten : Layer
{
    /// <summary>Creates the view of a flatten layer named <paramref name="name"/>.</summary>
    public Flatten(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();
}
