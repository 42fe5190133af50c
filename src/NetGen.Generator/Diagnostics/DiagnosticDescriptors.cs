using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports, with stable IDs in blocks: NG00xx declaration misuse, NG01xx
/// shape errors, NG02xx differentiation, NG03xx backend fallbacks (Info), NG09xx internal.
/// Each has a page at <c>docs/diagnostics/NGxxxx.md</c>, linked as <see cref="HelpLink"/>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Declaration = "NetGen.Declaration";
    private const string Shapes = "NetGen.Shapes";
    private const string Internal = "NetGen.Internal";
    private const string Backend = "NetGen.Backend";

    public static readonly DiagnosticDescriptor NetworkNotPartial = Error(
        "NG0001", Declaration, "Network class must be partial",
        "Network '{0}' must be declared 'partial' so NetGen can add its generated members");

    public static readonly DiagnosticDescriptor MissingInput = Error(
        "NG0002", Declaration, "Network has no input shape",
        "Network '{0}' has no [Input] attribute; declare the per-sample input shape, e.g. [Input(784)] or [Input(1, 28, 28)]");

    public static readonly DiagnosticDescriptor InvalidInputShape = Error(
        "NG0003", Declaration, "Invalid input shape",
        "Input dimension {0} of network '{1}' is {2}; every dimension must be a positive integer");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "NG0004", Declaration, "Network has no layers",
        "Network '{0}' declares no layers; add partial properties with layer attributes such as [Dense(10)]");

    public static readonly DiagnosticDescriptor LayerNotPartial = Error(
        "NG0005", Declaration, "Layer property must be partial",
        "Layer '{0}' must be a 'partial' property with only a getter, e.g. 'public partial {1} {0} {{ get; }}'");

    public static readonly DiagnosticDescriptor LayerTypeMismatch = Error(
        "NG0006", Declaration, "Layer property has the wrong type",
        "Layer '{0}' is declared with [{1}] but its property type is '{2}'; declare it as '{3}'");

    public static readonly DiagnosticDescriptor InvalidLayerArgument = Error(
        "NG0007", Declaration, "Invalid layer argument",
        "Layer '{0}': {1}");

    public static readonly DiagnosticDescriptor UnsupportedContainingType = Error(
        "NG0008", Declaration, "Unsupported network declaration",
        "Network '{0}' cannot be generated: {1}");

    public static readonly DiagnosticDescriptor UnknownLayerKind = Error(
        "NG0009", Declaration, "Unknown layer attribute",
        "Layer '{0}' uses [{1}], which this version of NetGen cannot generate");

    public static readonly DiagnosticDescriptor NameClash = Error(
        "NG0010", Declaration, "Name clashes with a generated member",
        "'{0}' in network '{1}' clashes with {2}; rename it");

    public static readonly DiagnosticDescriptor StateNameClash = Error(
        "NG0011", Declaration, "Two layers share a state_dict name",
        "Layers '{0}' and '{1}' of network '{2}' both get the state_dict name '{3}', so a checkpoint could not tell their tensors apart; rename one of them");

    public static readonly DiagnosticDescriptor UnknownInput = Error(
        "NG0012", Declaration, "Layer reads an unknown name",
        "Layer '{0}' reads '{1}', which is neither a layer of network '{2}' nor its input{3}");

    public static readonly DiagnosticDescriptor GraphCycle = Error(
        "NG0013", Declaration, "Layers read each other in a cycle",
        "The layers of network '{0}' read each other in a cycle, {1}, so none of them can run first; a layer may only read layers that do not depend on it");

    public static readonly DiagnosticDescriptor UnusedLayer = Error(
        "NG0014", Declaration, "Layer is unused",
        "Layer '{0}' of network '{1}' is unused: no layer reads it, and {2}; read it with Input = nameof({0}) (or in an Add or Concat), or remove it");

    public static readonly DiagnosticDescriptor InvalidDropoutRate = Error(
        "NG0015", Declaration, "Dropout rate out of range",
        "Layer '{0}': the dropout rate must lie in [0, 1), got {1}");

    public static readonly DiagnosticDescriptor InvalidBatchNormArgument = Error(
        "NG0016", Declaration, "Invalid BatchNorm argument",
        "Layer '{0}': BatchNorm {1} must {2}, got {3}");

    public static readonly DiagnosticDescriptor FrozenWithoutParameters = Error(
        "NG0017", Declaration, "Frozen layer has no parameters",
        "Layer '{0}' is marked [Frozen] but a {1} layer has no parameters to freeze; remove [Frozen]");

    public static readonly DiagnosticDescriptor InvalidLabelSmoothing = Error(
        "NG0018", Declaration, "Invalid label smoothing",
        "Network '{0}': LabelSmoothing {1}");

    public static readonly DiagnosticDescriptor InvalidReuse = Error(
        "NG0025", Declaration, "Invalid reuse of a layer's parameters",
        "Layer '{0}' cannot reuse '{1}': {2}");
    public static readonly DiagnosticDescriptor UnusedInput = Error(
        "NG0028", Declaration, "Input is unused",
        "Input '{0}' of network '{1}' is read by no layer; read it with Input = nameof({0}) (or in an Add or Concat), or remove it");

    public static readonly DiagnosticDescriptor InvalidInputDeclaration = Error(
        "NG0026", Declaration, "Invalid input declaration",
        "Input '{0}' of network '{1}' {2}");

    public static readonly DiagnosticDescriptor InvalidOutput = Error(
        "NG0027", Declaration, "Invalid output declaration",
        "Output '{0}' of network '{1}': {2}");

    public static readonly DiagnosticDescriptor InputRankMismatch = Error(
        "NG0101", Shapes, "Layer cannot take its input's rank",
        "Layer '{0}' ({1}) expects {2} per sample but '{3}' produces {4}{5}");

    public static readonly DiagnosticDescriptor LossDoesNotFit = Error(
        "NG0102", Shapes, "Loss does not fit the last layer",
        "Loss {0} does not fit the last layer '{1}' with output {2}: {3}");

    public static readonly DiagnosticDescriptor WindowLargerThanInput = Error(
        "NG0103", Shapes, "Window does not fit its input",
        "Layer '{0}' ({1}) has a {2} {3}, larger than the {4}×{5} image (padding {6}) that '{7}' produces as {8}, so its output would be {9}; use a smaller {3}, more padding, or fewer downsampling layers before '{0}'");

    public static readonly DiagnosticDescriptor MergeShapeMismatch = Error(
        "NG0105", Shapes, "Joined tensors do not fit together",
        "Layer '{0}' ({1}) cannot join '{2}' {3} with '{4}' {5}: {6}");

    public static readonly DiagnosticDescriptor ReuseShapeMismatch = Error(
        "NG0110", Shapes, "Reused layer does not fit its new input",
        "Layer '{0}' reuses the parameters of '{1}', which reads '{2}' {3} and so has {4}, but '{0}' reads '{5}' {6}, which would need {7}; a shared layer's inputs must give its parameters the same shapes");

    public static readonly DiagnosticDescriptor MaskPaddingWithoutTokens = Error(
        "NG0120", Shapes, "MaskPadding needs an Embedding with a padding id",
        "Layer '{0}' sets MaskPadding but reads '{1}', which carries no padded token ids; MaskPadding takes each sample's length from the ids of an Embedding with a PaddingIndex, read directly or through layers that keep its steps (Dropout, a Dense with PerStep, a recurrent layer with ReturnSequences and MaskPadding)");

    public static readonly DiagnosticDescriptor EmbeddingVocabularyTooSmall = Error(
        "NG0121", Shapes, "Embedding vocabulary smaller than its input's",
        "Embedding '{0}' has {1} rows but '{2}' declares token ids in [0, {3}): ids {1} and above would fall outside its table; set its vocabulary to {3}");

    public static readonly DiagnosticDescriptor TokensReadAsFeatures = Error(
        "NG0122", Shapes, "Token ids read as features",
        "Layer '{0}' ({1}) reads the token ids of '{2}', but token ids are names, not quantities (id 7 is not seven times id 1); read them with an [Embedding({3}, dimension)] first, which turns each id into a vector of features");

    public static readonly DiagnosticDescriptor InvalidTokenInput = Error(
        "NG0123", Declaration, "Invalid token input",
        "The input of '{0}': {1}");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
        "NG0104", Shapes, "Network too large",
        "Layer '{0}' makes network '{1}' too large: its parameters or per-sample activations exceed {2} floats, the most one buffer can hold");

    public static readonly DiagnosticDescriptor InvalidRecurrentStack = Error(
        "NG0125", Declaration, "Invalid recurrent stack",
        "Layer '{0}' ({1}): {2}");

    public static readonly DiagnosticDescriptor DropoutWithoutStack = new(
        "NG0126", "Dropout between stacked layers without a stack", "Layer '{0}' ({1}) has Dropout = {2} but NumLayers = 1: the dropout applies between stacked layers, so there is none to apply; set NumLayers = 2 or more, or remove Dropout (PyTorch warns the same)",
        Declaration, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink("NG0126"));

    public static readonly DiagnosticDescriptor ConvolutionAlgorithmDoesNotFit = Error(
        "NG0140", Declaration, "Convolution algorithm does not fit the layer",
        "Layer '{0}' asks for Algorithm = ConvolutionAlgorithm.{1}, which cannot compute its {2}: it needs {3}; remove Algorithm to let NetGen choose, or set Algorithm = ConvolutionAlgorithm.Im2Col");

    public static readonly DiagnosticDescriptor GpuLayerFallback = new(
        "NG0301", "Layer has no GPU kernels", "Layer '{0}' ({1}) has no GPU kernels yet, so '{2}' gets no GPU path (no ToDevice); it trains on the CPU as before",
        Backend, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLink("NG0301"));

    public static readonly DiagnosticDescriptor GpuNamedTensorsFallback = new(
        "NG0302", "Network with named inputs or outputs has no GPU path", "Network '{0}' declares {1}, which the GPU backend does not run yet, so it gets no GPU path (no ToDevice); it trains on the CPU",
        Backend, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpLink("NG0302"));

    public static readonly DiagnosticDescriptor InternalError = Error(
        "NG0901", Internal, "NetGen failed internally",
        "NetGen failed while generating '{0}': {1} This is a bug in NetGen; please report it with this declaration.");

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    /// <summary>
    /// Where the diagnostics' pages (<c>docs/diagnostics/NGxxxx.md</c> in the repository) are served:
    /// help links must be absolute, since they are opened from the user's project, not from ours. The
    /// package's <c>PackageProjectUrl</c> names the same repository.
    /// </summary>
    public const string DocumentationBaseUrl = "https://github.com/netgen-dotnet/netgen/blob/main/docs/diagnostics/";

    /// <summary>The documentation page of a diagnostic.</summary>
    public static string HelpLink(string id) => DocumentationBaseUrl + id + ".md";
}
