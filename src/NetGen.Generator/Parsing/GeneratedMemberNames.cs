using System.Collections.Generic;

namespace NetGen.Generator.Parsing;

/// <summary>
/// The member names NetGen's generated part of a network class declares, so the parser can reject a
/// user's member or layer that would collide with one (NG0010) instead of leaving the compiler to
/// report the collision inside generated code. <c>GeneratedMemberNameTests</c> compiles generated
/// networks and checks that every member they declare is listed here or derived by <see cref="ForLayer"/>.
/// </summary>
internal static class GeneratedMemberNames
{
    /// <summary>Members every generated network declares, whatever its layers (CPU part and GPU part).</summary>
    public static readonly IReadOnlyCollection<string> Fixed = new HashSet<string>(System.StringComparer.Ordinal)
    {
        // The Layout class (the compile-time sizes and offsets) and the static tables.
        "Layout", "s_parameterLayout", "s_bufferLayout", "s_layerNames", "s_layerParameters", "s_inputShape", "s_outputShape",
        "s_summaryTable", "s_summaryRows", "s_summaryFooter",
        // State.
        "_parameters", "_gradients", "_buffers", "_frozen", "_firstTrainable", "_backwardFrom", "_computeInputGradients", "_trainableRanges", "_gradientReadyHook", "_layerPassHook", "_trainingSteps",
        "_inputGradients", "_activations", "_activationGradients", "_batchCapacity", "_lastBatch", "_inputGradientBatch", "_inUse",
        // INetwork, implemented as public members.
        "InputShape", "OutputShape", "InputSize", "OutputSize", "Loss", "OutputActivation", "Parameters", "Gradients", "ParameterLayout", "Buffers", "BufferLayout",
        "TrainableRanges", "SetFrozen", "IsFrozen", "TrainingSteps", "Summary", "Forward", "Evaluate", "TrainStep", "LastOutputs",
        "ComputeInputGradients", "InputGradients", "GradientReadyHook", "LayerPassHook",
        // Helpers.
        "ResetParameters", "ExportOnnx", "CreateParameters", "CreateBuffers", "Prepare", "Reserve", "RunForward", "RunBackward", "WriteOutputs",
        // IFrozenFeatureNetwork (a frozen backbone under a head) and the two halves of its forward pass.
        "FrozenFeatureSize", "ForwardFrozenPrefix", "TrainStepFromFeatures", "EvaluateFromFeatures", "RunFrozenPrefix", "RunHead",
        // A network with named inputs or outputs: its inputs and outputs, the typed methods' loss values, per-input gradients.
        "s_inputs", "s_outputs", "s_inputGradientOffsets", "Losses", "InputGradientsOf",
        // The GPU part.
        "ToDevice", "Gpu",
    };

    /// <summary>The members generated for one layer property: the property itself, its view field and its forward/backward pair.</summary>
    public static IEnumerable<string> ForLayer(string propertyName)
    {
        yield return propertyName;
        yield return LayerField(propertyName);
        yield return "Forward_" + propertyName;
        yield return "Backward_" + propertyName;
    }

    /// <summary>The field caching a layer's view: <c>Hidden</c> → <c>_hiddenLayer</c>.</summary>
    public static string LayerField(string propertyName) =>
        "_" + char.ToLowerInvariant(propertyName[0]) + propertyName.Substring(1) + "Layer";
}
