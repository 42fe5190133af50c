using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetGen.Generator.Parsing;

namespace NetGen.Import;

/// <summary>
/// C# property names for imported layers: from a PyTorch-style weight name (<c>layer1.0.conv1.weight</c>
/// → <c>Layer1_0Conv1</c>), else from the node's name (<c>Convolution249</c>), else from the operator
/// and the layer's position (<c>Conv3</c>); unique, and clear of the members NetGen generates.
/// </summary>
internal static class LayerNames
{
    public static void Assign(IReadOnlyList<ImportedLayer> layers, string className)
    {
        var taken = new HashSet<string>(GeneratedMemberNames.Fixed) { className };
        var stateNames = new HashSet<string>();
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var name = PascalCase(WeightPrefix(layer) ?? layer.NodeName);
            if (name.Length == 0)
            {
                name = PascalCase(layer.OperatorType) + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (!char.IsLetter(name[0]))
            {
                name = PascalCase(layer.OperatorType) + name;
            }

            var unique = name;
            for (var suffix = 2; !IsFree(unique, taken, stateNames); suffix++)
            {
                unique = name + (char.IsDigit(name[^1]) ? "_" : string.Empty) + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            layer.PropertyName = unique;
            taken.UnionWith(GeneratedMemberNames.ForLayer(unique));
            stateNames.Add(StateNames.FromPropertyName(unique));
        }
    }

    private static bool IsFree(string name, HashSet<string> taken, HashSet<string> stateNames) =>
        GeneratedMemberNames.ForLayer(name).All(member => !taken.Contains(member)) && !stateNames.Contains(StateNames.FromPropertyName(name));

    /// <summary><c>features.0</c> for a first weight named <c>features.0.weight</c>, as PyTorch's exporter names them.</summary>
    private static string? WeightPrefix(ImportedLayer layer) =>
        layer.Weights.Count > 0 && layer.Weights[0].OnnxName.EndsWith(".weight", System.StringComparison.Ordinal)
            ? layer.Weights[0].OnnxName[..^".weight".Length]
            : null;

    /// <summary>Joins the alphanumeric runs of <paramref name="text"/>, each capitalised, with <c>_</c> where two digits would run together.</summary>
    private static string PascalCase(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var part in text.Split(c => !char.IsAsciiLetterOrDigit(c)))
        {
            if (builder.Length > 0 && char.IsDigit(builder[^1]) && char.IsDigit(part[0]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        }

        return builder.ToString();
    }

    private static IEnumerable<string> Split(this string text, System.Func<char, bool> separator)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || separator(text[i]))
            {
                if (i > start)
                {
                    yield return text[start..i];
                }

                start = i + 1;
            }
        }
    }
}
