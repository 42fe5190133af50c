using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[Dense(units, activation, Bias = …, PerStep = …)]</c>.</summary>
internal sealed record DenseSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, int Units, ActivationKind Activation, bool HasBias)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Dense";

    /// <summary>Applied to each step of a sequence <c>[steps, in] → [steps, units]</c> (Keras' TimeDistributed(Dense)).</summary>
    public bool PerStep { get; init; }
}

/// <summary>
/// Dense: <c>[*, in] → [*, units]</c>, weight <c>[units, in]</c> (PyTorch layout), bias <c>[units]</c>.
/// Forward is one matrix product with bias and activation in its epilogue; backward is two
/// products (weight gradient, input gradient with the producer's activation derivative fused) and
/// a column sum. Numerics live in the runtime's <c>NetGen.Dense</c>. With <c>PerStep</c> it maps
/// <c>[*, steps, in] → [*, steps, units]</c>: a sequence is <c>batch·steps</c> rows of <c>in</c> values, so the
/// same calls run with <c>batch·steps</c> rows.
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

        return new DenseSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, units, activation, arguments.Bool("Bias", true)) { PerStep = arguments.Bool("PerStep", false) };
    }

    /// <summary>Features per row: the input's last dimension (a vector's size, or a sequence's features per step).</summary>
    private static int Inputs(Shape input) => input[input.Rank - 1];

    /// <summary>Rows of the product: the batch, or every step of every sample.</summary>
    private static string Rows(LayerPlan plan) => ((DenseSpec)plan.Layer).PerStep ? $"batch * {plan.Input[0]}" : "batch";

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        var dense = (DenseSpec)spec;
        if (dense.PerStep)
        {
            return input.Rank == 2
                ? ShapeResult.Ok(Shape.Of(input[0], dense.Units) with { Padding = input.Padding }) // per step, so the steps (and which are padding) stay
                : ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, "Dense with PerStep = true", "a sequence [steps, features]", producer, input.ToString(), "; remove PerStep to apply it to the whole " + (input.Rank == 1 ? "vector" : $"input, flattened to [{input.Size}]")));
        }

        if (input.Rank != 1)
        {
            var hint = input.IsSequence ? $"; '{producer}' returns every step: set ReturnSequences = false on it for the last step's [{input[1]}], set PerStep = true on '{spec.PropertyName}' to apply it to each step, or add a Flatten layer before '{spec.PropertyName}' to make it [{input.Size}]"
                : input.Rank > 1 ? $"; add a Flatten layer before '{spec.PropertyName}' to make it [{input.Size}]" : string.Empty;
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, "Dense", "a vector [features]", producer, input.ToString(), hint));
        }

        return ShapeResult.Ok(Shape.Of(dense.Units));
    }

    public override IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output)
    {
        var dense = (DenseSpec)spec;
        var init = ActivationTable.Of(dense.Activation).WeightInit;
        var inputs = Inputs(input);
        yield return new ParameterTensor(spec.StateName + ".weight", spec.PropertyName + "Weight", 0, Shape.Of(dense.Units, inputs), init, inputs, dense.Units);
        if (dense.HasBias)
        {
            yield return new ParameterTensor(spec.StateName + ".bias", spec.PropertyName + "Bias", 0, Shape.Of(dense.Units), InitKind.Zeros, inputs, dense.Units);
        }
    }

    public override ActivationKind Activation(LayerSpec spec) => ((DenseSpec)spec).Activation;

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var dense = (DenseSpec)spec;
        return $"{Inputs(input)} → {dense.Units}" + (dense.PerStep ? $" at each of {input[0]} steps" : string.Empty) + (dense.Activation == ActivationKind.None ? string.Empty : ", " + dense.Activation) + (dense.HasBias ? string.Empty : ", no bias");
    }

    // Per row: the product and the bias; a per-step Dense has one row per step.
    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => (long)input.Size / Inputs(input) * ((2L * Inputs(input) * Inputs(output)) + (((DenseSpec)spec).HasBias ? Inputs(output) : 0));

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var affine = $"x{plan.Input.WithBatch} · weight[{Inputs(plan.Output)}, {Inputs(plan.Input)}]ᵀ" + (((DenseSpec)plan.Layer).HasBias ? " + bias" : string.Empty);
        var formula = plan.Activation == ActivationKind.None ? affine : $"{plan.Activation}({affine})";
        writer.Line($"// y{plan.Output.WithBatch} = {formula}" + (((DenseSpec)plan.Layer).PerStep ? " at every step (one product over batch × steps rows)" : string.Empty) + ", with bias and activation fused into the product's epilogue");
        writer.Line($"global::NetGen.Dense.Forward<float>(x: {context.Input}, weight: {context.Parameter("weight")}, bias: {context.Parameter("bias")}, y: {context.Output}, preActivation: {context.PreActivation}, batch: {Rows(plan)}, inputs: {Inputs(plan.Input)}, units: {Inputs(plan.Output)}, activation: {ActivationTable.Of(plan.Activation).Literal});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        writer.Line($"// dweight = dzᵀ · x, dbias = Σ dz" + (context.ProducerActivation == ActivationKind.None ? ", dx = dz · weight" : $", dx = (dz · weight) ⊙ {context.ProducerActivation}′ fused in the epilogue"));
        writer.Line($"global::NetGen.Dense.Backward<float>(dz: {context.OutputGradient}, x: {context.Input}, weight: {context.Parameter("weight")}, weightGradient: {context.ParameterGradient("weight")}, biasGradient: {context.ParameterGradient("bias")}, dx: {context.InputGradient}, batch: {Rows(plan)}, inputs: {Inputs(plan.Input)}, units: {Inputs(plan.Output)}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved}{context.AccumulateArgument});");
    }

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        var hasBias = ((DenseSpec)plan.Layer).HasBias;
        int inputs = Inputs(plan.Input), units = Inputs(plan.Output);
        var rows = Rows(plan);
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = {plan.Activation}(x{plan.Input.WithBatch} · weight[{units}, {inputs}]ᵀ{(hasBias ? " + bias" : string.Empty)})");
        writer.Line($"Gemm({rows}, {units}, {inputs}, /* x */ {device.Input}, {inputs}, 1, /* weightᵀ */ Parameters, {context.ParameterConstant("weight")}, 1, {inputs}, /* y */ {device.Output}, accumulate: false);");
        if (hasBias || plan.Activation != ActivationKind.None)
        {
            var bias = context.ParameterConstant("bias");
            writer.Line($"Launch(\"{GpuKernelRenderer.Epilogue(plan.Activation)}\", {rows} * {units}, /* y */ {device.Output}, /* pre */ {device.PreActivation}, /* bias */ Parameters, {bias ?? "0"}, {(bias is null ? 0 : 1)}, /* rows, columns */ {rows}, {units});");
        }
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        int inputs = Inputs(plan.Input), units = Inputs(plan.Output);
        var rows = Rows(plan);
        writer.Line($"// {plan.Layer.StateName}: dweight = dzᵀ · x, dbias = Σ dz" + (device.NeedsInputGradient ? $", dx = (dz · weight){context.DerivativeNote()}" : "; the input needs no gradient"));
        writer.Line($"Gemm({units}, {inputs}, {rows}, /* dzᵀ */ {device.OutputGradient}, 1, {units}, /* x */ {device.Input}, {inputs}, 1, /* dweight */ {device.ParameterGradients}, {device.ParameterGradientOffset("weight")}, accumulate: false);");
        if (context.ParameterConstant("bias") is not null)
        {
            writer.Line($"Launch(\"column_sum\", {units}, /* dz */ {device.OutputGradient}, /* rows, columns */ {rows}, {units}, /* dbias */ {device.ParameterGradients}, {device.ParameterGradientOffset("bias")});");
        }

        if (device.NeedsInputGradient)
        {
            writer.Line($"Gemm({rows}, {inputs}, {units}, /* dz */ {device.OutputGradient}, {units}, 1, /* weight */ Parameters, {context.ParameterConstant("weight")}, {inputs}, 1, /* dx */ {device.InputGradient}, accumulate: false);");
            device.EmitProducerDerivative(writer, 0, plan.Input.Size);
        }
    }

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        // Gemm with transB: NetGen's weight is [units, inputs], PyTorch's layout. Gemm takes matrices only, so a per-step Dense has no translation yet.
        if (((DenseSpec)context.Plan.Layer).PerStep)
        {
            return false;
        }

        writer.Line(context.Node("Gemm", OnnxNodeContext.Names(context.Input, context.Tensor("weight"), context.Tensor("bias")), ints: "[(\"transB\", 1)]"));
        return true;
    }

    public override string ViewConstruction(LayerContext context)
    {
        var bias = context.ParameterConstant("bias") ?? "-1";
        return $"new global::NetGen.Dense(name: \"{context.Plan.Layer.StateName}\", parameters: _parameters, gradients: {context.GradientBuffer}, weightOffset: {context.ParameterConstant("weight")}, biasOffset: {bias}, units: {Inputs(context.Plan.Output)}, inputs: {Inputs(context.Plan.Input)})";
    }
}
