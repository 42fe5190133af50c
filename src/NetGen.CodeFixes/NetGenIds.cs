namespace NetGen.CodeFixes;

/// <summary>
/// The diagnostic IDs these fixes handle. They are repeated here rather than read from the
/// generator so this assembly loads in the IDE on its own; <c>CodeFixTests</c> checks them against
/// the generator's catalog.
/// </summary>
internal static class NetGenIds
{
    public const string NetworkNotPartial = "NG0001";
    public const string LayerNotPartial = "NG0005";
    public const string UnknownInput = "NG0012";
    public const string InputRankMismatch = "NG0101";
    public const string LossDoesNotFit = "NG0102";
    public const string MergeShapeMismatch = "NG0105";
    public const string EmbeddingVocabularyTooSmall = "NG0121";
}
