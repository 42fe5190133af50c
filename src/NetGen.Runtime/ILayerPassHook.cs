namespace NetGen;

/// <summary>Which pass over the layers a <see cref="ILayerPassHook"/> call belongs to.</summary>
public enum LayerPass
{
    /// <summary>The forward pass (inference, evaluation, or the first half of a training step).</summary>
    Forward,

    /// <summary>The backward pass of a training step, walking the layers in reverse.</summary>
    Backward,
}

/// <summary>
/// Told by a generated network's passes where each layer's work ends, so a profiler can time every
/// layer of a real step (<see cref="Profiling.LayerProfiler"/>) without a copy of the network.
/// </summary>
/// <remarks>
/// A pass announces <see cref="PassStarting"/>, then <see cref="LayerFinished"/> after each layer it runs,
/// in the order it runs them (backward: reverse layer order, stopping at the first layer that needs a
/// gradient). A layer's time is the time since the previous call. The arguments are constants of the
/// generated code, so the calls allocate nothing.
/// </remarks>
public interface ILayerPassHook
{
    /// <summary>A pass is about to run its first layer.</summary>
    void PassStarting(LayerPass pass);

    /// <summary>
    /// Layer <paramref name="layer"/> (index in declaration order, state name <paramref name="name"/>) finished
    /// <paramref name="pass"/> for <paramref name="batch"/> samples; its forward pass costs
    /// <paramref name="forwardFlopsPerSample"/> FLOPs per sample (a multiply-add counts as 2, as in the summary;
    /// 0 for a layer whose work another runs, such as a max pooling fused into the convolution before it).
    /// </summary>
    void LayerFinished(LayerPass pass, int layer, string name, long forwardFlopsPerSample, int batch);
}

/// <summary>A network whose passes report each layer to an <see cref="ILayerPassHook"/> (every generated CPU network).</summary>
public interface ILayerPassSource
{
    /// <summary>The hook the passes call after each layer; null (the default) calls nothing.</summary>
    ILayerPassHook? LayerPassHook { get; set; }
}
