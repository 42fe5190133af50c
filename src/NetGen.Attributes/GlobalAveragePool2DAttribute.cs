namespace NetGen;

/// <summary>
/// The mean of each channel over the whole image: <c>[channels, height, width]</c> becomes
/// <c>[channels]</c>, like PyTorch's <c>nn.AdaptiveAvgPool2d(1)</c> followed by a flatten.
/// </summary>
public sealed class GlobalAveragePool2DAttribute : LayerAttribute
{
}
