namespace NetGen;

/// <summary>
/// Told by a network's backward pass, after each layer, which part of the flat gradient buffer
/// (<see cref="INetwork.Gradients"/>) will not change again this step, so work on it (a data-parallel
/// all-reduce) can start while backward goes on with the earlier layers.
/// </summary>
/// <remarks>
/// Backward walks the layers in reverse and the parameters are laid out in layer order, so the ranges
/// arrive from the end of the buffer towards its start, each ending where the previous one began; over a
/// full backward they cover the buffer exactly once. A backward that stops early (frozen leading layers)
/// leaves a prefix unannounced: its gradients are final once <c>TrainStep</c> returns.
/// </remarks>
public interface IGradientReadyHook
{
    /// <summary>The gradients <c>[offset, offset + length)</c> are final for this step.</summary>
    void GradientReady(int offset, int length);
}

/// <summary>A network whose backward pass announces finished gradient ranges to an <see cref="IGradientReadyHook"/> (every generated CPU network).</summary>
public interface IGradientReadySource
{
    /// <summary>The hook backward calls after each layer whose gradients it finishes; null (the default) calls nothing.</summary>
    IGradientReadyHook? GradientReadyHook { get; set; }
}
