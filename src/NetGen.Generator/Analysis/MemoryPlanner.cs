using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>
/// Memory planning of the lowered graph: parameter and buffer offsets in node order (a use of another
/// node's parameters gets the owner's tensors, and all but the last of them in node order add their
/// parameter gradients to what the last one, first in backward, wrote); per-sample
/// activation offsets (output, saved pre-activation, what backward keeps), layers that only reshape
/// aliasing their input; and for a tensor several layers read, one gradient slot per extra reader
/// after that. The gradient buffer mirrors the activation buffer's offsets. The gradient of the network
/// input (and its slots) is planned in a buffer of its own, which only a network asked for
/// <c>InputGradients</c> allocates.
/// </summary>
/// <remarks>
/// Why slots rather than accumulating: every op's backward overwrites its input gradient (that is what
/// lets Dense fuse the producer's activation derivative into its product's epilogue), so each reader of
/// a shared tensor writes its own slot, and one pass per extra slot sums them before the producer's
/// backward, applying the producer's derivative in the last of those passes. A tensor read once, which is
/// every tensor of a sequential network, has no slot and no pass: its reader writes the gradient in place
/// with the derivative fused, as before.
/// </remarks>
internal static class MemoryPlanner
{
    public static NetworkPlan LayOut(NetworkSpec spec, IReadOnlyList<GraphNode> graph, IReadOnlyList<Shape> shapes, LossPlan loss, PlanningCursor cursor)
    {
        var count = graph.Count;
        var outputOffsets = new int[count];
        var roots = new int[count];
        var preActivations = new int[count];
        var activations = new ActivationKind[count];
        var parameters = new List<ParameterTensor>[count];
        var buffers = new List<ParameterTensor>[count];
        var saved = new (int Offset, int PerSample)[count];
        var owners = ParameterSharing.Owners(graph);
        int parameterOffset = 0, bufferOffset = 0, activationOffset = 0;
        for (var i = 0; i < count; i++)
        {
            var layer = graph[i].Layer;
            cursor.Layer = layer;
            var kind = LayerKinds.For(layer);
            var input = ShapeOf(graph[i].Producers[0], spec, shapes);
            var output = shapes[i];
            // A use of another node's parameters places none: it gets the owner's tensors below.
            parameters[i] = owners[i] < 0 ? Place(kind.Parameters(layer, input, output), ref parameterOffset) : [];
            buffers[i] = owners[i] < 0 ? Place(kind.Buffers(layer, input, output), ref bufferOffset) : [];

            // The loss applies the output layer's link itself, fused with its gradient.
            activations[i] = i == count - 1 && loss.Link != ActivationKind.None ? ActivationKind.None : kind.Activation(layer);
            preActivations[i] = -1;
            if (kind.IsReshape)
            {
                var producer = graph[i].Producers[0];
                outputOffsets[i] = producer < 0 ? -1 : outputOffsets[producer];
                roots[i] = producer < 0 ? -1 : roots[producer];
            }
            else
            {
                outputOffsets[i] = activationOffset;
                roots[i] = i;
                activationOffset = checked(activationOffset + output.Size);
                if (ActivationTable.Of(activations[i]).SavesPreActivation)
                {
                    preActivations[i] = activationOffset;
                    activationOffset = checked(activationOffset + output.Size);
                }
            }

            var keeps = kind.SavedPerSample(layer, input, output);
            saved[i] = (keeps > 0 ? activationOffset : -1, keeps);
            activationOffset = checked(activationOffset + keeps);
        }

        for (var i = 0; i < count; i++)
        {
            if (owners[i] >= 0)
            {
                parameters[i] = parameters[owners[i]];
                buffers[i] = buffers[owners[i]];
            }
        }

        // Readers of each stored tensor (keyed by the node whose activation made it, -1 for the input), in node order.
        var readers = new Dictionary<int, List<(int Node, int Edge)>>();
        for (var i = 0; i < count; i++)
        {
            if (LayerKinds.For(graph[i].Layer).IsReshape)
            {
                continue;
            }

            for (var k = 0; k < graph[i].Producers.Count; k++)
            {
                var producer = graph[i].Producers[k];
                var root = producer < 0 ? -1 : roots[producer];
                if (!readers.TryGetValue(root, out var list))
                {
                    readers[root] = list = new List<(int, int)>();
                }

                list.Add((i, k));
            }
        }

        var gradientOffsets = new Dictionary<(int Node, int Edge), int>();
        var sums = new List<GradientSum>();
        foreach (var pair in readers.OrderBy(p => p.Key))
        {
            var root = pair.Key;
            var main = root < 0 ? 0 : outputOffsets[root];
            var size = ShapeOf(root, spec, shapes).Size;
            var slots = new List<int>();
            for (var r = 0; r < pair.Value.Count; r++)
            {
                var offset = main;
                if (r > 0 && root < 0)
                {
                    // The input's gradient and its slots have a buffer of their own, allocated only when asked for.
                    offset = checked(r * size);
                    slots.Add(offset);
                }
                else if (r > 0)
                {
                    offset = activationOffset;
                    activationOffset = checked(activationOffset + size);
                    slots.Add(offset);
                }

                gradientOffsets[pair.Value[r]] = offset;
            }

            if (pair.Value.Count > 1)
            {
                var shape = ShapeOf(root, spec, shapes);
                sums.Add(new GradientSum(NameOf(graph, root), root, shape, main, slots.ToEquatableArray(), pair.Value.Select(r => graph[r.Node].Layer.PropertyName).ToEquatableArray()));
            }
        }

        var layers = new List<LayerPlan>();
        for (var i = 0; i < count; i++)
        {
            var node = graph[i];
            var edges = new List<InputEdge>();
            for (var k = 0; k < node.Producers.Count; k++)
            {
                var producer = node.Producers[k];
                var root = producer < 0 ? -1 : roots[producer];
                var shape = ShapeOf(producer, spec, shapes);
                var offset = producer < 0 ? -1 : outputOffsets[producer];
                var readersOfRoot = readers.TryGetValue(root, out var list) ? list.Count : 1;
                var fusion = readersOfRoot > 1
                    ? FusionDecision.No($"'{NameOf(graph, root)}' is read by {readersOfRoot} layers, so their gradients are summed before its activation derivative is applied")
                    : FusionDecision.Yes($"the only reader of '{NameOf(graph, root)}'");
                var gradientOffset = gradientOffsets.TryGetValue((i, k), out var g) ? g : (root < 0 ? 0 : outputOffsets[root]);
                edges.Add(new InputEdge(producer < 0 ? InputReference.NetworkInput : graph[producer].Layer.PropertyName, root, offset, shape, gradientOffset, fusion));
            }

            layers.Add(new LayerPlan(node.Layer, edges.ToEquatableArray(), shapes[i], outputOffsets[i], preActivations[i], activations[i], parameters[i].ToEquatableArray())
            {
                SavedOffset = saved[i].Offset,
                SavedPerSample = saved[i].PerSample,
                Buffers = buffers[i].ToEquatableArray(),
                ParameterOwner = owners[i],
                AccumulatesParameterGradients = parameters[i].Count > 0 && ParameterSharing.AccumulatesGradients(owners, i),
            });
        }

        return new NetworkPlan(spec, layers.ToEquatableArray(), loss, parameterOffset, activationOffset)
        {
            BufferCount = bufferOffset,
            InputGradientsPerSample = checked(spec.InputShape.Size * System.Math.Max(1, readers.TryGetValue(-1, out var inputReaders) ? inputReaders.Count : 0)),
            GradientSums = sums.ToEquatableArray(),
        };
    }

    /// <summary>The per-sample shape of what <paramref name="producer"/> makes, as its readers see it (the network input for -1).</summary>
    private static Shape ShapeOf(int producer, NetworkSpec spec, IReadOnlyList<Shape> shapes) => producer < 0 ? spec.InputShape : shapes[producer];

    private static string NameOf(IReadOnlyList<GraphNode> graph, int node) => node < 0 ? InputReference.NetworkInput : graph[node].Layer.PropertyName;

    private static List<ParameterTensor> Place(IEnumerable<ParameterTensor> tensors, ref int offset)
    {
        var placed = new List<ParameterTensor>();
        foreach (var tensor in tensors)
        {
            placed.Add(tensor with { Offset = offset });
            offset = checked(offset + tensor.Shape.Size);
        }

        return placed;
    }
}
