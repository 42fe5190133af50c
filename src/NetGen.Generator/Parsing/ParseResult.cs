using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// The parser's output for one <c>[Network]</c> class: the declaration (when NetGen can add to the
/// class at all), the spec (when the declaration is valid) and the diagnostics found on the way.
/// </summary>
internal sealed record ParseResult(NetworkDeclaration? Declaration, NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
