using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>The view of an Identity layer: it has no parameters and no numerics (the planner aliases its buffer, as for <see cref="Flatten"/>).</summary>
public sealed class Identity : Layer
{
    /// <summary>Creates the view of an identity layer named <paramref name="name"/>.</summary>
    public Identity(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();
}
