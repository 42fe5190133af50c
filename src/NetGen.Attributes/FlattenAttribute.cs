namespace NetGen;

/// <summary>
/// Reads each sample's tensor as a vector, e.g. <c>[32, 5, 5]</c> as <c>[800]</c>, in row-major
/// (channel, row, column) order like PyTorch's <c>nn.Flatten</c>. It copies nothing.
/// </summary>
public sealed class FlattenAttribute : LayerAttribute
{
}
