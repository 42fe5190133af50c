namespace NetGen;

/// <summary>
/// One output of a network with several (a layer marked <c>[Output]</c>): its name (the
/// layer's state_dict prefix, as Keras names its <c>digit_loss</c>), place, size and loss, which says
/// whether it trains on class labels or float targets.
/// </summary>
/// <param name="Name">The layer's state_dict prefix, e.g. <c>digit</c>.</param>
/// <param name="Index">Its position among the network's outputs (declaration order), from 0.</param>
/// <param name="Size">Floats per sample.</param>
/// <param name="Loss">The loss it trains with.</param>
/// <param name="Activation">The activation the outputs <c>Evaluate</c> writes have been through (Softmax or Sigmoid: probabilities).</param>
public sealed record OutputTensor(string Name, int Index, int Size, Loss Loss, Activation Activation)
{
    /// <summary>Whether it trains on class labels (one per sample) rather than <see cref="Size"/> float targets per sample.</summary>
    public bool TakesLabels => Losses.LossRules.TakesLabels(Loss);
}
