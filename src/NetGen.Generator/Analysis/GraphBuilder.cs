using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>A layer in topological order, with the topological indices of what it reads (-1: the network input).</summary>
internal sealed record GraphNode(LayerSpec Layer, IReadOnlyList<int> Producers);

/// <summary>
/// The first pass over a spec: resolves the names layers read into edges and orders the layers so
/// that each comes after everything it reads, keeping declaration order wherever the edges allow (a
/// sequential network keeps its order exactly). Reports a name that is no layer (NG0012), a cycle
/// (NG0013) and a layer nothing reads that is not the output, the last declared layer (NG0014).
/// </summary>
internal static class GraphBuilder
{
    public static IReadOnlyList<GraphNode>? Build(NetworkSpec spec, List<DiagnosticInfo> diagnostics)
    {
        var layers = spec.Layers;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            index[layers[i].PropertyName] = i;
        }

        var producers = new int[layers.Count][];
        for (var i = 0; i < layers.Count; i++)
        {
            producers[i] = layers[i].Inputs.Select(input => Resolve(spec, layers[i], input, index, diagnostics)).ToArray();
        }

        if (diagnostics.Count > 0)
        {
            return null;
        }

        var order = TopologicalOrder(producers);
        if (order is null)
        {
            diagnostics.Add(Cycle(spec, producers));
            return null;
        }

        ReportUnused(spec, producers, diagnostics);
        if (diagnostics.Count > 0)
        {
            return null;
        }

        var position = new int[layers.Count];
        for (var i = 0; i < order.Count; i++)
        {
            position[order[i]] = i;
        }

        return order.Select(i => new GraphNode(layers[i], producers[i].Select(p => p < 0 ? -1 : position[p]).ToArray())).ToList();
    }

    /// <summary>The declaration index a name refers to, -1 for the network input, or -2 after reporting NG0012.</summary>
    private static int Resolve(NetworkSpec spec, LayerSpec layer, InputReference input, Dictionary<string, int> index, List<DiagnosticInfo> diagnostics)
    {
        if (index.TryGetValue(input.Name, out var producer))
        {
            return producer;
        }

        if (input.Name == InputReference.NetworkInput)
        {
            return -1;
        }

        var near = index.Keys.FirstOrDefault(name => string.Equals(name, input.Name, StringComparison.OrdinalIgnoreCase));
        var hint = near is not null ? $"; did you mean '{near}'? Names are case-sensitive; write nameof({near})" : "; name a layer with nameof(Layer), or the network input with LayerAttribute.NetworkInput";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownInput, input.Location ?? layer.Location, layer.PropertyName, input.Name, spec.TypeName, hint));
        return -2;
    }

    /// <summary>Kahn's algorithm, always taking the earliest declared ready layer; null when a cycle leaves layers unordered.</summary>
    private static List<int>? TopologicalOrder(int[][] producers)
    {
        var count = producers.Length;
        var waiting = producers.Select(p => p.Count(q => q >= 0)).ToArray();
        var done = new bool[count];
        var order = new List<int>(count);
        while (order.Count < count)
        {
            var ready = Enumerable.Range(0, count).Where(i => !done[i] && waiting[i] == 0).ToList();
            if (ready.Count == 0)
            {
                return null;
            }

            var next = ready[0];
            done[next] = true;
            order.Add(next);
            for (var i = 0; i < count; i++)
            {
                waiting[i] -= producers[i].Count(p => p == next);
            }
        }

        return order;
    }

    /// <summary>NG0013 naming the shortest cycle through the first declared layer on one, at the argument that closes it.</summary>
    private static DiagnosticInfo Cycle(NetworkSpec spec, int[][] producers)
    {
        var start = Enumerable.Range(0, producers.Length).First(i => ShortestCycle(i, producers) is not null);
        var cycle = ShortestCycle(start, producers)!;
        var names = string.Join(" → ", cycle.Concat(new[] { cycle[0] }).Select(i => $"'{spec.Layers[i].PropertyName}'"));
        var closing = spec.Layers[cycle[0]];
        var reference = closing.Inputs.FirstOrDefault(input => input.Name == spec.Layers[cycle[cycle.Count - 1]].PropertyName);
        return DiagnosticInfo.Create(DiagnosticDescriptors.GraphCycle, reference?.Location ?? closing.Location, spec.TypeName, names);
    }

    /// <summary>
    /// The shortest cycle through <paramref name="layer"/>, starting at it, in data-flow order (each layer
    /// reads the one before it, the first reads the last), or null when it is on none: a breadth-first
    /// search over producers.
    /// </summary>
    private static List<int>? ShortestCycle(int layer, int[][] producers)
    {
        var reader = new int[producers.Length];
        for (var i = 0; i < reader.Length; i++)
        {
            reader[i] = -1;
        }

        var queue = new Queue<int>();
        queue.Enqueue(layer);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var producer in producers[current].Where(p => p >= 0))
            {
                if (producer == layer)
                {
                    // Walk back from current to layer along the readers: that is data-flow order reversed.
                    var path = new List<int>();
                    for (var node = current; node != layer; node = reader[node])
                    {
                        path.Add(node);
                    }

                    // Start the cycle at the layer searched from (the first declared on one), still in data-flow order.
                    path.Insert(0, layer);
                    return path;
                }

                if (reader[producer] < 0)
                {
                    reader[producer] = current;
                    queue.Enqueue(producer);
                }
            }
        }

        return null;
    }

    /// <summary>NG0014 for every layer but the last declared (the output) that no layer reads.</summary>
    private static void ReportUnused(NetworkSpec spec, int[][] producers, List<DiagnosticInfo> diagnostics)
    {
        var output = spec.Layers.Count - 1;
        for (var i = 0; i < output; i++)
        {
            if (!producers.Any(p => p.Contains(i)))
            {
                var layer = spec.Layers[i];
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayer, layer.Location, layer.PropertyName, spec.TypeName, spec.Layers[output].PropertyName));
            }
        }
    }
}
