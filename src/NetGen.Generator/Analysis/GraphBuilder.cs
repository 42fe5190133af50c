using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>A layer in topological order, with the topological indices of what it reads (<see cref="NetworkInput"/>(k): the network's kth input).</summary>
internal sealed record GraphNode(LayerSpec Layer, IReadOnlyList<int> Producers)
{
    /// <summary>How a producer index names the network's <paramref name="input"/>th input: -1 for the first (the only one of most networks), -2 for the second, ….</summary>
    public static int NetworkInput(int input) => -1 - input;

    /// <summary>Which network input a negative producer index names.</summary>
    public static int InputIndexOf(int producer) => -1 - producer;
}

/// <summary>
/// The first pass over a spec: resolves the names layers read into edges and orders the layers so
/// that each comes after everything it reads, keeping declaration order wherever the edges allow (a
/// sequential network keeps its order exactly). Reports a name that is no layer or input (NG0012), a cycle
/// (NG0013), a layer nothing reads that is not an output (NG0014: the last declared layer, or those marked
/// <c>[Output]</c>) and an input property nothing reads (NG0028).
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

        var inputs = spec.AllInputs;
        for (var k = 0; k < inputs.Count; k++)
        {
            // A layer property named 'input' takes the name, as it always has; input properties cannot share a layer's.
            if (!index.ContainsKey(inputs[k].Name))
            {
                index[inputs[k].Name] = GraphNode.NetworkInput(k);
            }
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

        return order.Select(i => new GraphNode(layers[i], producers[i].Select(p => p < 0 ? p : position[p]).ToArray())).ToList();
    }

    /// <summary>The declaration index a name refers to, <see cref="GraphNode.NetworkInput"/>(k) for an input, or <see cref="int.MinValue"/> after reporting NG0012.</summary>
    private static int Resolve(NetworkSpec spec, LayerSpec layer, InputReference input, Dictionary<string, int> index, List<DiagnosticInfo> diagnostics)
    {
        if (index.TryGetValue(input.Name, out var producer))
        {
            return producer;
        }

        var near = index.Keys.FirstOrDefault(name => string.Equals(name, input.Name, StringComparison.OrdinalIgnoreCase));
        var hint = near is not null ? $"; did you mean '{near}'? Names are case-sensitive; write nameof({near})"
            : spec.NamedInputs.Count > 0 ? $"; its inputs are named: read one with {string.Join(" or ", spec.NamedInputs.Select(i => $"nameof({i.Name})"))}, or a layer with nameof(Layer)"
            : "; name a layer with nameof(Layer), or the network input with LayerAttribute.NetworkInput";
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownInput, input.Location ?? layer.Location, layer.PropertyName, input.Name, spec.TypeName, hint));
        return int.MinValue;
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

    /// <summary>NG0014 for every layer that is not an output and that no layer reads; NG0028 for every input property no layer reads.</summary>
    private static void ReportUnused(NetworkSpec spec, int[][] producers, List<DiagnosticInfo> diagnostics)
    {
        var last = spec.Layers[spec.Layers.Count - 1].PropertyName;
        var outputs = spec.Outputs.Count > 0 ? spec.Outputs.Select(o => o.LayerName).ToList() : new List<string> { last };
        var which = spec.Outputs.Count > 0
            ? $"it is not an output (those are marked [Output]: {string.Join(", ", outputs.Select(o => $"'{o}'"))})"
            : $"only the last declared layer, '{last}', is the output";
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            if (!outputs.Contains(layer.PropertyName) && !producers.Any(p => p.Contains(i)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedLayer, layer.Location, layer.PropertyName, spec.TypeName, which));
            }
        }

        for (var k = 0; k < spec.NamedInputs.Count; k++)
        {
            if (!producers.Any(p => p.Contains(GraphNode.NetworkInput(k))))
            {
                var input = spec.NamedInputs[k];
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedInput, input.Location, input.Name, spec.TypeName));
            }
        }
    }
}
