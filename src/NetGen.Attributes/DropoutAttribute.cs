namespace NetGen;

/// <summary>
/// Inverted dropout like PyTorch's <c>nn.Dropout</c>: during training each value is zeroed with
/// probability <c>rate</c> and the survivors are scaled by <c>1 / (1 − rate)</c>; inference passes the
/// input through unchanged. Masks come from the network's <see cref="NetworkAttribute.Seed"/> and the
/// training step number, so the same seed gives the same masks.
/// </summary>
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Declares a dropout layer that zeroes each value with probability <paramref name="rate"/>, in [0, 1).</summary>
    public DropoutAttribute(double rate) => Rate = rate;

    /// <summary>The probability of zeroing a value during training.</summary>
    public double Rate { get; }
}
