using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>
/// Layers that apply another layer's parameters (<c>[Reuse]</c>): which node owns the parameters each
/// node uses, and the checks that need shapes: the owner has parameters to share (NG0025), and the
/// use's input gives them the owner's shapes (NG0110: a Dense fed [128] cannot be reused on [32], a
/// Conv2D can be reused on another image size).
/// </summary>
internal static class ParameterSharing
{
    /// <summary>For each node, the node whose parameters it uses, or -1 when it owns its own.</summary>
    public static int[] Owners(IReadOnlyList<GraphNode> graph)
    {
        var index = new Dictionary<string, int>();
        for (var i = 0; i < graph.Count; i++)
        {
            index[graph[i].Layer.PropertyName] = i;
        }

        return graph.Select(node => node.Layer.Reuses is { } reuse ? index[reuse.Owner] : -1).ToArray();
    }

    /// <summary>Whether the node at <paramref name="node"/> writes its parameter gradients last in node order (first in backward): the others sharing them add to what it wrote.</summary>
    public static bool AccumulatesGradients(int[] owners, int node)
    {
        var group = owners[node] < 0 ? node : owners[node];
        var last = Enumerable.Range(0, owners.Length).Where(i => i == group || owners[i] == group).Max();
        return node != last;
    }

    /// <summary>Reports each use whose owner has no parameters or whose input does not fit the owner's parameters.</summary>
    public static bool Check(NetworkSpec spec, IReadOnlyList<GraphNode> graph, IReadOnlyList<Shape> shapes, List<DiagnosticInfo> diagnostics)
    {
        var owners = Owners(graph);
        var ok = true;
        for (var i = 0; i < graph.Count; i++)
        {
            if (owners[i] < 0)
            {
                continue;
            }

            var use = graph[i].Layer;
            var owner = graph[owners[i]].Layer;
            var kind = LayerKinds.For(use);
            var ownerInput = NetworkPlanner.InputsOf(spec, graph, shapes, graph[owners[i]])[0];
            var useInput = NetworkPlanner.InputsOf(spec, graph, shapes, graph[i])[0];
            var ownerTensors = kind.Parameters(owner, ownerInput.Shape, shapes[owners[i]]).Concat(kind.Buffers(owner, ownerInput.Shape, shapes[owners[i]])).ToList();
            var useTensors = kind.Parameters(use, useInput.Shape, shapes[i]).Concat(kind.Buffers(use, useInput.Shape, shapes[i])).ToList();
            if (ownerTensors.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReuse, use.Reuses!.Location ?? use.Location, use.PropertyName, owner.PropertyName, Parsing.LayerReuse.NoParameters(kind)));
                ok = false;
            }
            else if (!ownerTensors.Select(t => t.Shape).SequenceEqual(useTensors.Select(t => t.Shape)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReuseShapeMismatch, use.Location, use.PropertyName, owner.PropertyName, ownerInput.Name, ownerInput.Shape.WithBatch, Describe(ownerTensors), useInput.Name, useInput.Shape.WithBatch, Describe(useTensors)));
                ok = false;
            }
        }

        return ok;
    }

    /// <summary>The tensors as a message lists them, by their suffix: <c>weight [64, 128]</c>.</summary>
    private static string Describe(IEnumerable<ParameterTensor> tensors) =>
        string.Join(", ", tensors.Select(t => $"{t.StateName.Substring(t.StateName.LastIndexOf('.') + 1)} {t.Shape}"));
}
