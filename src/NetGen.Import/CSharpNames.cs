using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.Import;

/// <summary>The class and namespace names the declaration is written with: plain identifiers, so the file compiles.</summary>
internal static partial class CSharpNames
{
    public static bool IsIdentifier(string name) => Identifier().IsMatch(name);

    public static bool IsNamespace(string name) => name.Split('.').All(IsIdentifier);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
