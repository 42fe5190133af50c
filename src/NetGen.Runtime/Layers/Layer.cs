using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// A layer of a generated network, as seen from user code: its state_dict name and views of its
/// parameters and their gradients inside the network's flat buffers.
/// </summary>
public abstract class Layer
{
    /// <summary>Creates a layer view named <paramref name="name"/>.</summary>
    protected Layer(string name) => Name = name;

    /// <summary>The state_dict prefix of the layer (the property name in lower camel case).</summary>
    public string Name { get; }

    /// <summary>The layer's parameter tensors (empty for layers without parameters).</summary>
    public abstract IReadOnlyList<TensorView> Parameters { get; }
}
