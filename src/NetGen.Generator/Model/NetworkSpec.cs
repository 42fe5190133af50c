namespace NetGen.Generator.Model;

/// <summary>
/// A network as declared and validated: everything the later passes need, as plain equatable
/// values. Built by the parser from the <c>[Network]</c> class; holds no Roslyn symbols or syntax.
/// </summary>
/// <param name="InputShape">The per-sample input shape from <c>[Input]</c>.</param>
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
}
