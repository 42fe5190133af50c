using System;
using System.Globalization;
using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>File name stems of generated sources, unique as Roslyn compares them: ignoring case.</summary>
internal static class HintNames
{
    /// <summary>
    /// <paramref name="hintName"/>, or, when another network's differs from it only in case
    /// (classes <c>Net</c> and <c>net</c>), that name with a hash of its exact spelling appended, so
    /// each keeps a file of its own (two names equal but for case would be CS8785).
    /// </summary>
    public static string Unique(string hintName, EquatableArray<string> allHintNames) =>
        allHintNames.Any(other => other != hintName && string.Equals(other, hintName, StringComparison.OrdinalIgnoreCase))
            ? hintName + "." + Fnv1a(hintName).ToString("x8", CultureInfo.InvariantCulture)
            : hintName;

    /// <summary>32-bit FNV-1a over the UTF-16 code units: stable across processes, unlike string.GetHashCode.</summary>
    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
