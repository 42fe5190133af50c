using System.Globalization;

namespace NetGen.Generator.Emit;

/// <summary>How declared numbers appear in generated C# and kernel source: round-trippable and culture-free.</summary>
internal static class Literals
{
    /// <summary><paramref name="value"/> as the shortest text that parses back to it ("0.1", "1E-05").</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
