using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Analysis;

/// <summary>The planner's output: a plan, or the shape errors that prevent one.</summary>
internal sealed record PlanResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// The passes between parsing and emission, as pure functions of the spec: shape inference
/// (each layer's rule in order), loss fitting and fusion (the loss absorbs the last layer's link
/// activation), [Frozen] checks, and memory planning (parameter and buffer offsets, per-sample
/// activation offsets including what layers save for backward).
/// </summary>
internal static class NetworkPlanner
{
    public static PlanResult Plan(NetworkSpec spec)
    {
        var cursor = new Cursor();
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

    private static PlanResult Plan(NetworkSpec spec, Cursor cursor)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var shapes = InferShapes(spec, diagnostics, cursor);
        if (shapes is null)
        {
            return new PlanResult(null, diagnostics.ToEquatableArray());
        }

        var lastSpec = spec.Layers[spec.Layers.Count - 1];
        var loss = FitLoss(spec.Loss, spec.LabelSmoothing, lastSpec, LayerKinds.For(lastSpec).Activation(lastSpec), shapes[shapes.Count - 1], diagnostics);
        if (loss is null)
        {
            return new PlanResult(null, diagnostics.ToEquatableArray());
        }

        if (!FrozenLayersHaveParameters(spec, shapes, diagnostics))
        {
            return new PlanResult(null, diagnostics.ToEquatableArray());
        }

        return new PlanResult(LayOut(spec, shapes, loss, cursor), diagnostics.ToEquatableArray());
    }

    /// <summary>Shape inference: the output shape of every layer, or null after the first error.</summary>
    private static List<Shape>? InferShapes(NetworkSpec spec, List<DiagnosticInfo> diagnostics, Cursor cursor)
    {
        var shapes = new List<Shape>();
        var current = spec.InputShape;
        var producer = "input";
        foreach (var layer in spec.Layers)
        {
            cursor.Layer = layer;
            var result = LayerKinds.For(layer).InferShape(layer, current, producer);
            if (result.Error is { } error)
            {
                diagnostics.Add(error);
                return null;
            }

            current = result.Output!;
            producer = layer.PropertyName;
            shapes.Add(current);
        }

        return shapes;
    }

    /// <summary>Checks the loss against the last layer and decides which link activation it absorbs.</summary>
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
    private static bool FrozenLayersHaveParameters(NetworkSpec spec, List<Shape> shapes, List<DiagnosticInfo> diagnostics)
    {
        var ok = true;
        var input = spec.InputShape;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var kind = LayerKinds.For(layer);
            if (layer.Frozen && !kind.Parameters(layer, input, shapes[i]).Any())
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FrozenWithoutParameters, layer.FrozenLocation ?? layer.Location, layer.PropertyName, kind.Name));
                ok = false;
            }

            input = shapes[i];
        }

        return ok;
    }

    /// <summary>Memory planning: parameter offsets in layer order, activation offsets per sample.</summary>
    private static NetworkPlan LayOut(NetworkSpec spec, List<Shape> shapes, LossPlan loss, Cursor cursor)
    {
        var layers = new List<LayerPlan>();
        var parameterOffset = 0;
        var bufferOffset = 0;
        var activationOffset = 0;
        var input = spec.InputShape;
        var inputOffset = -1;
        var inputProducer = -1;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            cursor.Layer = layer;
            var kind = LayerKinds.For(layer);
            var output = shapes[i];

            var parameters = new List<ParameterTensor>();
            foreach (var tensor in kind.Parameters(layer, input, output))
            {
                parameters.Add(tensor with { Offset = parameterOffset });
                parameterOffset = checked(parameterOffset + tensor.Shape.Size);
            }

            var buffers = new List<ParameterTensor>();
            foreach (var tensor in kind.Buffers(layer, input, output))
            {
                buffers.Add(tensor with { Offset = bufferOffset });
                bufferOffset = checked(bufferOffset + tensor.Shape.Size);
            }

            var activation = kind.Activation(layer);
            if (i == spec.Layers.Count - 1 && loss.Link != ActivationKind.None)
            {
                activation = ActivationKind.None; // the loss applies the link itself, fused
            }

            int outputOffset;
            var preActivationOffset = -1;
            if (kind.IsReshape)
            {
                outputOffset = inputOffset;
            }
            else
            {
                outputOffset = activationOffset;
                activationOffset = checked(activationOffset + output.Size);
                if (ActivationTable.Of(activation).SavesPreActivation)
                {
                    preActivationOffset = activationOffset;
                    activationOffset = checked(activationOffset + output.Size);
                }
            }

            var savedPerSample = kind.SavedPerSample(layer, input, output);
            var savedOffset = savedPerSample > 0 ? activationOffset : -1;
            activationOffset = checked(activationOffset + savedPerSample);

            layers.Add(new LayerPlan(layer, input, output, inputProducer, inputOffset, outputOffset, preActivationOffset, activation, inputOffset >= 0, parameters.ToEquatableArray())
            {
                SavedOffset = savedOffset,
                SavedPerSample = savedPerSample,
                Buffers = buffers.ToEquatableArray(),
            });
            if (!kind.IsReshape)
            {
                inputProducer = i;
            }

            inputOffset = outputOffset;
            input = output;
        }

        return new NetworkPlan(spec, layers.ToEquatableArray(), loss, parameterOffset, activationOffset) { BufferCount = bufferOffset };
    }

    /// <summary>The layer the planner is working on, so an overflow can be reported against it.</summary>
    private sealed class Cursor
    {
        public LayerSpec? Layer { get; set; }
    }
}
