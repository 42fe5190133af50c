using System.Collections.Generic;
using System.Diagnostics;

namespace NetGen.Profiling;

/// <summary>
/// Times every layer's forward and backward in the steps a network really runs: attach it with
/// <c>((ILayerPassSource)model).LayerPassHook = profiler</c>, train or infer, then read <see cref="Layers"/>.
/// </summary>
/// <remarks>
/// A layer's time is the time from the previous layer's end (or its pass's start) to its own end, so what runs
/// between layers inside a pass (a gradient sum, the data-parallel hook) counts to the layer after it. After the
/// first step it allocates nothing. FLOPs are nominal, from the shapes: backward counts twice the forward
/// products (the input's and the weights' gradients), except for layer 0, whose input needs no gradient.
/// </remarks>
public sealed class LayerProfiler : ILayerPassHook
{
    private readonly List<LayerTiming> _layers = [];
    private long _last;

    /// <summary>One entry per layer index reported so far, in layer order.</summary>
    public IReadOnlyList<LayerTiming> Layers => _layers;

    /// <summary>Forgets every time and FLOP counted (a warm-up's, say), keeping the layers.</summary>
    public void Reset()
    {
        foreach (var layer in _layers)
        {
            layer.Clear();
        }
    }

    /// <inheritdoc/>
    public void PassStarting(LayerPass pass) => _last = Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public void LayerFinished(LayerPass pass, int layer, string name, long forwardFlopsPerSample, int batch)
    {
        var now = Stopwatch.GetTimestamp();
        while (_layers.Count <= layer)
        {
            _layers.Add(new LayerTiming());
        }

        var flops = (double)forwardFlopsPerSample * batch;
        _layers[layer].Add(name, pass, Stopwatch.GetElapsedTime(_last, now).TotalSeconds, pass == LayerPass.Backward ? (layer == 0 ? flops : 2 * flops) : flops);
        _last = now;
    }
}

/// <summary>One layer's accumulated time and nominal FLOPs in each pass, as <see cref="LayerProfiler"/> counted them.</summary>
public sealed class LayerTiming
{
    /// <summary>The layer's state name (<c>conv1</c>), or empty before it reported.</summary>
    public string Name { get; private set; } = string.Empty;

    /// <summary>Seconds spent in the layer's forward passes.</summary>
    public double ForwardSeconds { get; private set; }

    /// <summary>Seconds spent in the layer's backward passes.</summary>
    public double BackwardSeconds { get; private set; }

    /// <summary>Nominal FLOPs of the forward passes timed.</summary>
    public double ForwardFlops { get; private set; }

    /// <summary>Nominal FLOPs of the backward passes timed.</summary>
    public double BackwardFlops { get; private set; }

    /// <summary>Forward GFLOP/s (0 for a layer without arithmetic, or not yet run).</summary>
    public double ForwardGflops => ForwardSeconds > 0 ? ForwardFlops / ForwardSeconds / 1e9 : 0;

    /// <summary>Backward GFLOP/s (0 for a layer without arithmetic, or not yet run).</summary>
    public double BackwardGflops => BackwardSeconds > 0 ? BackwardFlops / BackwardSeconds / 1e9 : 0;

    internal void Add(string name, LayerPass pass, double seconds, double flops)
    {
        Name = name;
        switch (pass)
        {
            case LayerPass.Forward:
                ForwardSeconds += seconds;
                ForwardFlops += flops;
                break;
            case LayerPass.Backward:
                BackwardSeconds += seconds;
                BackwardFlops += flops;
                break;
        }
    }

    internal void Clear() => (ForwardSeconds, BackwardSeconds, ForwardFlops, BackwardFlops) = (0, 0, 0, 0);
}
