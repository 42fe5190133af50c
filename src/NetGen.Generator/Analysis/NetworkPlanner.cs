using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>The planner's output: a plan, or the shape errors that prevent one.</summary>
internal sealed record PlanResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// The passes between parsing and emission, as pure functions of the spec: the graph (names to edges,
/// topological order, <see cref="GraphBuilder"/>), shape inference (each op's rule over its inputs),
/// loss fitting and fusion (the loss absorbs the output layer's link activation), [Frozen] and [Reuse]
/// checks (<see cref="ParameterSharing"/>), and
/// memory planning (<see cref="MemoryPlanner"/>: parameter and buffer offsets, per-sample activation
/// offsets, gradient slots of shared tensors, and which activation derivatives backward fuses).
/// </summary>
internal static class NetworkPlanner
{
    public static PlanResult Plan(NetworkSpec spec)
    {
        var cursor = new PlanningCursor();
        try
        {
            return Plan(spec, cursor);
        }
        catch (System.OverflowException)
        {
            // Sizes are computed in checked arithmetic; the cursor names the layer that overflowed.
            var layer = cursor.Layer;
            var error = DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, layer?.Location ?? spec.Declaration.Location, layer?.PropertyName ?? spec.TypeName, spec.TypeName, int.MaxValue.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
            return new PlanResult(null, EquatableArray.Create(error));
        }
    }

    private static PlanResult Plan(NetworkSpec spec, PlanningCursor cursor)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var graph = GraphBuilder.Build(spec, diagnostics);
        var shapes = graph is null ? null : InferShapes(spec, graph, diagnostics, cursor);
        if (graph is null || shapes is null)
        {
            return new PlanResult(null, diagnostics.ToEquatableArray());
        }

        var outputs = spec.Outputs.Count == 0 ? FitLastLayer(spec, graph, shapes, diagnostics) : FitOutputs(spec, graph, shapes, diagnostics);
        if (outputs is null || !FrozenLayersHaveParameters(spec, graph, shapes, diagnostics) || !ParameterSharing.Check(spec, graph, shapes, diagnostics))
        {
            return new PlanResult(null, diagnostics.ToEquatableArray());
        }

        return new PlanResult(MemoryPlanner.LayOut(spec, graph, shapes, outputs, cursor), diagnostics.ToEquatableArray());
    }

    /// <summary>The one output of a network without <c>[Output]</c>: its last node, with the network's loss and weight 1.</summary>
    private static List<OutputPlan>? FitLastLayer(NetworkSpec spec, IReadOnlyList<GraphNode> graph, List<Shape> shapes, List<DiagnosticInfo> diagnostics)
    {
        var last = graph[graph.Count - 1].Layer;
        var loss = FitLoss(spec.Loss, spec.LabelSmoothing, last, LayerKinds.For(last).Activation(last), shapes[shapes.Count - 1], diagnostics);
        return loss is null ? null : new List<OutputPlan> { new(last.PropertyName, graph.Count - 1, loss, 1) };
    }

    /// <summary>
    /// The outputs marked <c>[Output]</c>, each loss fitted to its layer (NG0027 where one does not fit). An output
    /// other layers read keeps its activation: a loss that absorbed it would leave them reading logits.
    /// </summary>
    private static List<OutputPlan>? FitOutputs(NetworkSpec spec, IReadOnlyList<GraphNode> graph, List<Shape> shapes, List<DiagnosticInfo> diagnostics)
    {
        var outputs = new List<OutputPlan>();
        foreach (var declared in spec.Outputs)
        {
            var node = Enumerable.Range(0, graph.Count).First(i => graph[i].Layer.PropertyName == declared.LayerName);
            var layer = graph[node].Layer;
            var activation = LayerKinds.For(layer).Activation(layer);
            var facts = LossTable.TryRead((int)declared.Loss, out _) ? LossTable.Of(declared.Loss) : null;
            var readers = graph.Where(g => g.Producers.Contains(node)).Select(g => g.Layer.PropertyName).ToList();
            var problem = facts is null ? $"{(int)declared.Loss} is not a Loss value"
                : ShapeProblem(declared.Loss, shapes[node]) ?? LinkProblem(facts, activation)
                ?? (facts.Link != ActivationKind.None && activation == facts.Link && readers.Count > 0
                    ? $"{facts.Name} would apply its {activation} itself, but '{readers[0]}' reads '{layer.PropertyName}' and needs it applied; end '{layer.PropertyName}' in no activation (logits)"
                    : null);
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOutput, declared.Location ?? layer.Location, layer.PropertyName, spec.TypeName, $"Loss.{declared.Loss} does not fit its output {shapes[node].WithBatch}: {problem}"));
                continue;
            }

            var link = facts!.Link == ActivationKind.None ? ActivationKind.None : activation;
            outputs.Add(new OutputPlan(layer.PropertyName, node, new LossPlan(declared.Loss, link, shapes[node].Size, 0), declared.Weight));
        }

        return outputs.Count == spec.Outputs.Count ? outputs : null;
    }

    /// <summary>Shape inference in topological order: the output shape of every node, or null after the first error.</summary>
    private static List<Shape>? InferShapes(NetworkSpec spec, IReadOnlyList<GraphNode> graph, List<DiagnosticInfo> diagnostics, PlanningCursor cursor)
    {
        var shapes = new List<Shape>();
        foreach (var node in graph)
        {
            cursor.Layer = node.Layer;
            var kind = LayerKinds.For(node.Layer);
            var inputs = InputsOf(spec, graph, shapes, node);
            if (!kind.ReadsTokenIds && inputs.FirstOrDefault(i => i.Shape.Tokens is not null) is { } tokens)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TokensReadAsFeatures, node.Layer.Location, node.Layer.PropertyName, node.Layer.KindName, tokens.Name, tokens.Shape.Tokens!.Vocabulary));
                return null;
            }

            var result = kind.InferShape(node.Layer, inputs);
            if (result.Error is { } error)
            {
                diagnostics.Add(error);
                return null;
            }

            shapes.Add(result.Output!);
        }

        return shapes;
    }

    /// <summary>The tensors <paramref name="node"/> reads, named as in messages (<c>input</c> for the only network input).</summary>
    internal static IReadOnlyList<NamedShape> InputsOf(NetworkSpec spec, IReadOnlyList<GraphNode> graph, IReadOnlyList<Shape> shapes, GraphNode node) =>
        node.Producers.Select((p, k) => p < 0
            ? new NamedShape(spec.AllInputs[GraphNode.InputIndexOf(p)].Name, spec.AllInputs[GraphNode.InputIndexOf(p)].Shape, node.Layer.Inputs[k].Location)
            : new NamedShape(graph[p].Layer.PropertyName, shapes[p], node.Layer.Inputs[k].Location)).ToList();

    /// <summary>Checks the loss against the output layer and decides which link activation it absorbs.</summary>
    private static LossPlan? FitLoss(LossKind loss, double labelSmoothing, LayerSpec last, ActivationKind activation, Shape output, List<DiagnosticInfo> diagnostics)
    {
        string? problem = LossTable.TryRead((int)loss, out _)
            ? ShapeProblem(loss, output) ?? LinkProblem(LossTable.Of(loss), activation)
            : $"{(int)loss} is not a Loss value";
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossDoesNotFit, last.Location, loss, last.PropertyName, output.WithBatch, problem));
            return null;
        }

        var link = LossTable.Of(loss).Link == ActivationKind.None ? ActivationKind.None : activation;
        return new LossPlan(loss, link, output.Size, labelSmoothing);
    }

    // What each loss needs of the output's shape; a loss added without its line here is a build error.
    private static string? ShapeProblem(LossKind loss, Shape output) => loss switch
    {
        LossKind.SoftmaxCrossEntropy when output.Rank != 1 => "softmax cross-entropy needs a vector of class scores per sample",
        LossKind.SoftmaxCrossEntropy when output[0] < 2 => "softmax cross-entropy needs at least 2 classes; for one output unit use Loss.BinaryCrossEntropy",
        LossKind.BinaryCrossEntropy when output.Size != 1 => $"binary cross-entropy needs exactly one output unit, but the output has {output.Size}; for several classes use Loss.SoftmaxCrossEntropy",
        LossKind.SoftmaxCrossEntropy or LossKind.BinaryCrossEntropy or LossKind.MeanSquaredError or LossKind.MeanAbsoluteError => null,
    };

    private static string? LinkProblem(LossFacts loss, ActivationKind activation) => loss.Accepts(activation)
        ? null
        : $"{loss.Name} applies {loss.LinkPhrase} itself, so the last layer must end in no activation (logits) or {loss.Link}, not {activation}";

    /// <summary>[Frozen] only makes sense on a layer with parameters; reports each one without.</summary>
    private static bool FrozenLayersHaveParameters(NetworkSpec spec, IReadOnlyList<GraphNode> graph, List<Shape> shapes, List<DiagnosticInfo> diagnostics)
    {
        var ok = true;
        for (var i = 0; i < graph.Count; i++)
        {
            var layer = graph[i].Layer;
            var kind = LayerKinds.For(layer);
            // A use is frozen with its owner, which is checked (and reported) once, on the owner.
            if (layer.Frozen && layer.Reuses is null && !kind.Parameters(layer, InputsOf(spec, graph, shapes, graph[i])[0].Shape, shapes[i]).Any())
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FrozenWithoutParameters, layer.FrozenLocation ?? layer.Location, layer.PropertyName, kind.Name));
                ok = false;
            }
        }

        return ok;
    }
}

/// <summary>The layer the planner is working on, so an overflow can be reported against it.</summary>
internal sealed class PlanningCursor
{
    public LayerSpec? Layer { get; set; }
}
