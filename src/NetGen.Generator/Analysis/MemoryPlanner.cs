using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>
/// Memory planning of the lowered graph: parameter and buffer offsets in node order, the parameters of
/// [Frozen] layers after all the others so that gradients cover the trainable ones only (a use of another
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
    public static NetworkPlan LayOut(NetworkSpec spec, IReadOnlyList<GraphNode> graph, IReadOnlyList<Shape> shapes, IReadOnlyList<OutputPlan> outputs, PlanningCursor cursor)
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
        var frozenPrefix = FrozenPrefix(spec, graph, shapes, owners);
        int parameterOffset = 0, bufferOffset = 0, activationOffset = 0;
        for (var i = 0; i < count; i++)
        {
            var layer = graph[i].Layer;
            cursor.Layer = layer;
            var kind = LayerKinds.For(layer);
            var input = ShapeOf(graph[i].Producers[0], spec, shapes);
            var output = shapes[i];
            // A use of another node's parameters places none: it gets the owner's tensors below. [Frozen]
            // layers are placed after every trainable one, below.
            parameters[i] = owners[i] < 0 && !layer.Frozen ? Place(kind.Parameters(layer, input, output), ref parameterOffset) : [];
            buffers[i] = owners[i] < 0 ? Place(kind.Buffers(layer, input, output), ref bufferOffset) : [];

            // A loss applies its output layer's link itself, fused with its gradient.
            activations[i] = outputs.Any(o => o.Node == i && o.Loss.Link != ActivationKind.None) ? ActivationKind.None : kind.Activation(layer);
            preActivations[i] = -1;
            if (kind.IsReshape)
            {
                var producer = graph[i].Producers[0];
                outputOffsets[i] = producer < 0 ? -1 : outputOffsets[producer];
                roots[i] = producer < 0 ? producer : roots[producer];
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

            // A frozen prefix runs forward in inference mode and never backward.
            var keeps = i < frozenPrefix && kind.SavesOnlyWhileTraining ? 0 : kind.SavedPerSample(layer, input, output);
            saved[i] = (keeps > 0 ? activationOffset : -1, keeps);
            activationOffset = checked(activationOffset + keeps);
        }

        // The trainable parameters come first, so the gradient buffer (and every optimizer state, which mirrors
        // it) holds them alone: [0, trainableCount), at the same offsets. [Frozen] layers follow, in node order.
        var trainableCount = parameterOffset;
        for (var i = 0; i < count; i++)
        {
            if (owners[i] < 0 && graph[i].Layer.Frozen)
            {
                var layer = graph[i].Layer;
                parameters[i] = Place(LayerKinds.For(layer).Parameters(layer, ShapeOf(graph[i].Producers[0], spec, shapes), shapes[i]), ref parameterOffset);
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (owners[i] >= 0)
            {
                parameters[i] = parameters[owners[i]];
                buffers[i] = buffers[owners[i]];
            }
        }

        // Readers of each stored tensor (keyed by the node whose activation made it, -1 - k for the kth input): the loss
        // of an output first (node LossReader, edge the output's index), so it writes the tensor's gradient, then layers in node order.
        var readers = new Dictionary<int, List<(int Node, int Edge)>>();
        for (var o = 0; o < outputs.Count; o++)
        {
            readers[roots[outputs[o].Node]] = new List<(int, int)> { (LossReader, o) };
        }

        for (var i = 0; i < count; i++)
        {
            if (LayerKinds.For(graph[i].Layer).IsReshape)
            {
                continue;
            }

            for (var k = 0; k < graph[i].Producers.Count; k++)
            {
                var producer = graph[i].Producers[k];
                var root = producer < 0 ? producer : roots[producer];
                if (!readers.TryGetValue(root, out var list))
                {
                    readers[root] = list = new List<(int, int)>();
                }

                list.Add((i, k));
            }
        }

        // Each input's gradient and its slots have a buffer of their own, allocated only when asked for: input after input.
        var inputs = spec.AllInputs;
        var inputGradientOffsets = new int[inputs.Count];
        var inputGradientsPerSample = 0;
        for (var k = 0; k < inputs.Count; k++)
        {
            inputGradientOffsets[k] = inputGradientsPerSample;
            var inputReaders = readers.TryGetValue(GraphNode.NetworkInput(k), out var list) ? list.Count : 0;
            inputGradientsPerSample = checked(inputGradientsPerSample + (inputs[k].Shape.Size * System.Math.Max(1, inputReaders)));
        }

        var gradientOffsets = new Dictionary<(int Node, int Edge), int>();
        var sums = new List<GradientSum>();
        foreach (var pair in readers.OrderBy(p => p.Key))
        {
            var root = pair.Key;
            var main = root < 0 ? inputGradientOffsets[GraphNode.InputIndexOf(root)] : outputOffsets[root];
            var size = ShapeOf(root, spec, shapes).Size;
            var slots = new List<int>();
            for (var r = 0; r < pair.Value.Count; r++)
            {
                var offset = main;
                if (r > 0 && root < 0)
                {
                    offset = checked(main + (r * size));
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
                sums.Add(new GradientSum(NameOf(spec, graph, root), root, shape, main, slots.ToEquatableArray(), pair.Value.Select(r => r.Node == LossReader ? "loss" : graph[r.Node].Layer.PropertyName).ToEquatableArray()));
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
                var root = producer < 0 ? producer : roots[producer];
                var shape = ShapeOf(producer, spec, shapes);
                var offset = producer < 0 ? -1 : outputOffsets[producer];
                var readersOfRoot = readers.TryGetValue(root, out var list) ? list.Count : 1;
                var fusion = readersOfRoot > 1
                    ? FusionDecision.No(ReadBySeveral(spec, graph, root, list!))
                    : FusionDecision.Yes($"the only reader of '{NameOf(spec, graph, root)}'");
                var gradientOffset = gradientOffsets.TryGetValue((i, k), out var g) ? g : (root < 0 ? inputGradientOffsets[GraphNode.InputIndexOf(root)] : outputOffsets[root]);
                edges.Add(new InputEdge(NameOf(spec, graph, producer), root, offset, shape, gradientOffset, fusion));
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

        return new NetworkPlan(spec, layers.ToEquatableArray(), outputs[0].Loss, parameterOffset, activationOffset)
        {
            BufferCount = bufferOffset,
            TrainableParameterCount = trainableCount,
            FrozenPrefix = frozenPrefix,
            InputGradientsPerSample = inputGradientsPerSample,
            InputGradientOffsets = inputGradientOffsets.ToEquatableArray(),
            GradientSums = sums.ToEquatableArray(),
            Outputs = outputs.ToEquatableArray(),
        };
    }

    /// <summary>
    /// The number of nodes before the first one with trainable parameters, when a [Frozen] layer is among
    /// them (else 0): nothing before that node needs a gradient, so they are the frozen prefix.
    /// </summary>
    private static int FrozenPrefix(NetworkSpec spec, IReadOnlyList<GraphNode> graph, IReadOnlyList<Shape> shapes, int[] owners)
    {
        var frozen = false;
        for (var i = 0; i < graph.Count; i++)
        {
            // A use of shared parameters is frozen exactly when their owner is.
            var owner = owners[i] < 0 ? i : owners[i];
            var layer = graph[owner].Layer;
            if (!LayerKinds.For(layer).Parameters(layer, ShapeOf(graph[owner].Producers[0], spec, shapes), shapes[owner]).Any())
            {
                continue;
            }

            if (!layer.Frozen)
            {
                return frozen ? i : 0;
            }

            frozen = true;
        }

        return frozen ? graph.Count : 0;
    }

    /// <summary>The reader an output's loss is listed as, before the layers that read the output.</summary>
    private const int LossReader = -1;

    /// <summary>Why backward cannot fuse the producer's derivative into a reader of <paramref name="root"/>.</summary>
    private static string ReadBySeveral(NetworkSpec spec, IReadOnlyList<GraphNode> graph, int root, List<(int Node, int Edge)> readers) =>
        readers[0].Node == LossReader
            ? $"'{NameOf(spec, graph, root)}' is an output that {readers.Count - 1} layer{(readers.Count > 2 ? "s" : "")} also read{(readers.Count > 2 ? "" : "s")}, so their gradients and the loss's are summed before its activation derivative is applied"
            : $"'{NameOf(spec, graph, root)}' is read by {readers.Count} layers, so their gradients are summed before its activation derivative is applied";

    /// <summary>The per-sample shape of what <paramref name="producer"/> makes, as its readers see it (a network input for a negative index).</summary>
    private static Shape ShapeOf(int producer, NetworkSpec spec, IReadOnlyList<Shape> shapes) => producer < 0 ? spec.AllInputs[GraphNode.InputIndexOf(producer)].Shape : shapes[producer];

    private static string NameOf(NetworkSpec spec, IReadOnlyList<GraphNode> graph, int node) => node < 0 ? spec.AllInputs[GraphNode.InputIndexOf(node)].Name : graph[node].Layer.PropertyName;

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
