using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[Dense(units, activation, Bias = …)]</c>.</summary>
internal sealed record DenseSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, int Units, ActivationKind Activation, bool HasBias)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Dense";
}

/// <summary>
/// Dense: <c>[*, in] → [*, units]</c>, weight <c>[units, in]</c> (PyTorch layout), bias <c>[units]</c>.
/// Forward is one matrix product with bias and activation in its epilogue; backward is two
/// products (weight gradient, input gradient with the producer's activation derivative fused) and
/// a column sum. Numerics live in the runtime's <c>NetGen.Dense</c>.
/// </summary>
internal sealed class DenseLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.DenseAttribute";

    public override string RuntimeType => "NetGen.Dense";

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var units = arguments.Int("units", 0);
        if (units <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("units"), declaration.PropertyName, $"Dense units must be positive, got {units}"));
            return null;
        }

        var value = arguments.Int("activation", 0);
        if (!ActivationTable.TryRead(value, out var activation))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("activation"), declaration.PropertyName, $"{value} is not an Activation value"));
            return null;
        }

        return new DenseSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, units, activation, arguments.Bool("Bias", true));
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        if (input.Rank != 1)
        {
            var hint = input.Rank > 1 ? $"; add a Flatten layer before '{spec.PropertyName}' to make it [{input.Size}]" : string.Empty;
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, "Dense", "a vector [features]", producer, input.ToString(), hint));
        }

        return ShapeResult.Ok(Shape.Of(((DenseSpec)spec).Units));
    }

    public override IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output)
    {
        var dense = (DenseSpec)spec;
        var init = ActivationTable.Of(dense.Activation).WeightInit;
        yield return new ParameterTensor(spec.StateName + ".weight", spec.PropertyName + "Weight", 0, Shape.Of(dense.Units, input[0]), init, input[0], dense.Units);
        if (dense.HasBias)
        {
            yield return new ParameterTensor(spec.StateName + ".bias", spec.PropertyName + "Bias", 0, Shape.Of(dense.Units), InitKind.Zeros, input[0], dense.Units);
        }
    }

    public override ActivationKind Activation(LayerSpec spec) => ((DenseSpec)spec).Activation;

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var dense = (DenseSpec)spec;
        return $"{input[0]} → {dense.Units}" + (dense.Activation == ActivationKind.None ? string.Empty : ", " + dense.Activation) + (dense.HasBias ? string.Empty : ", no bias");
    }

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => (2L * input[0] * output[0]) + (((DenseSpec)spec).HasBias ? output[0] : 0);

    public override void EmitForward(CpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var affine = $"x{plan.Input.WithBatch} · weight[{plan.Output[0]}, {plan.Input[0]}]ᵀ" + (((DenseSpec)plan.Layer).HasBias ? " + bias" : string.Empty);
        var formula = plan.Activation == ActivationKind.None ? affine : $"{plan.Activation}({affine})";
        writer.Line($"// y{plan.Output.WithBatch} = {formula}, with bias and activation fused into the product's epilogue");
        writer.Line($"global::NetGen.Dense.Forward<float>({context.Input}, {context.Parameter("weight")}, {context.Parameter("bias")}, {context.Output}, {context.PreActivation}, batch, {plan.Input[0]}, {plan.Output[0]}, {ActivationTable.Of(plan.Activation).Literal});");
    }

    public override void EmitBackward(CpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        writer.Line($"// dweight = dzᵀ · x, dbias = Σ dz" + (context.ProducerActivation == ActivationKind.None ? ", dx = dz · weight" : $", dx = (dz · weight) ⊙ {context.ProducerActivation}′ fused in the epilogue"));
        writer.Line($"global::NetGen.Dense.Backward<float>({context.OutputGradient}, {context.Input}, {context.Parameter("weight")}, {context.ParameterGradient("weight")}, {context.ParameterGradient("bias")}, {context.InputGradient}, batch, {plan.Input[0]}, {plan.Output[0]}, {ActivationTable.Of(context.ProducerActivation).Literal}, {context.ProducerSaved});");
    }

    public override string ViewConstruction(CpuLayerContext context)
    {
        var bias = context.ParameterConstant("bias") ?? "-1";
        return $"new global::NetGen.Dense(\"{context.Plan.Layer.StateName}\", _parameters, _gradients, {context.ParameterConstant("weight")}, {bias}, {context.Plan.Output[0]}, {context.Plan.Input[0]})";
    }
}
