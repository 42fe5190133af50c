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

    /// <summary>
    /// A view of one of the layer's parameter gradients in <paramref name="gradients"/>, the network's
    /// gradient buffer; null for a <c>[Frozen]</c> layer, which has no gradients, and whose view then says so when read.
    /// </summary>
    protected TensorView GradientView(float[]? gradients, int offset, params int[] shape) => gradients is null
        ? TensorView.Absent($"Layer '{Name}' is marked [Frozen], so it has no gradients (the network keeps none for it); freeze it with SetFrozen instead to read them.", shape)
        : new TensorView(gradients, offset, shape);

    /// <summary>The layer's parameter tensors (empty for layers without parameters).</summary>
    public abstract IReadOnlyList<TensorView> Parameters { get; }
}
