namespace NetGen;

/// <summary>
/// Batch normalisation like PyTorch's <c>nn.BatchNorm1d</c> (vector input <c>[features]</c>) or
/// <c>nn.BatchNorm2d</c> (image input <c>[channels, height, width]</c>, statistics per channel over
/// batch × height × width). Training normalises with the batch statistics and updates the running
/// statistics; inference normalises with the running statistics. Parameters <c>weight</c> (γ, starts
/// at 1) and <c>bias</c> (β, starts at 0); buffers <c>running_mean</c> and <c>running_var</c>.
/// </summary>
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Declares a batch normalisation, followed by <paramref name="activation"/> (elementwise only).</summary>
    public BatchNormAttribute(Activation activation = Activation.None) => Activation = activation;

    /// <summary>The activation applied after the affine map (not Softmax).</summary>
    public Activation Activation { get; }

    /// <summary>Weight of the batch statistic in the running statistics' update, in [0, 1] (default 0.1).</summary>
    public double Momentum { get; set; } = 0.1;

    /// <summary>Added to the variance before its square root, &gt; 0 (default 1e-5).</summary>
    public double Epsilon { get; set; } = 1e-5;
}
