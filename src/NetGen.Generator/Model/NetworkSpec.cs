namespace NetGen.Generator.Model;

/// <summary>
/// A network as declared and validated: everything the later passes need, as plain equatable
/// values. Built by the parser from the <c>[Network]</c> class; holds no Roslyn symbols or syntax.
/// </summary>
/// <param name="InputShape">The per-sample input shape from <c>[Input]</c> on the class; for a network whose inputs are properties, the first one's.</param>
/// <param name="LabelSmoothing">ε of softmax cross-entropy's label smoothing, checked to lie in [0, 1]; 0 for none.</param>
/// <param name="Layers">Layers in declaration order.</param>
internal sealed record NetworkSpec(
    NetworkDeclaration Declaration,
    Shape InputShape,
    LossKind Loss,
    int Seed,
    double LabelSmoothing,
    EquatableArray<LayerSpec> Layers)
{
    public string TypeName => Declaration.TypeName;

    /// <summary>Inputs declared as <c>[Input]</c> properties, in declaration order; empty when the class declares its one input.</summary>
    public EquatableArray<NetworkInputSpec> NamedInputs { get; init; }

    /// <summary>Layers declared outputs with <c>[Output]</c>, in declaration order; empty when the last layer is the one output, trained with <see cref="Loss"/>.</summary>
    public EquatableArray<OutputSpec> Outputs { get; init; }

    /// <summary>
    /// Whether the network names its tensors (input properties or <c>[Output]</c>s): it then gets the typed
    /// <c>Forward</c>/<c>TrainStep</c>/<c>Evaluate</c> with one argument per input and output, and the
    /// single-tensor members of <c>INetwork</c> refuse to run.
    /// </summary>
    public bool HasNamedTensors => NamedInputs.Count > 0 || Outputs.Count > 0;

    /// <summary>Every input: the named ones, or the class's one input as <c>input</c>.</summary>
    public EquatableArray<NetworkInputSpec> AllInputs => NamedInputs.Count > 0
        ? NamedInputs
        : EquatableArray.Create(new NetworkInputSpec(InputReference.NetworkInput, InputShape, Declaration.Location));
}
