using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NetGen.Runtime.Tests.Optimizers;

/// <summary>
/// Reads torch_reference.json, written by tests/reference/record_optimizers.py (see its header for
/// how to regenerate). Floats are parsed straight to float so they are the exact float32 values torch saw.
/// </summary>
internal static class TorchReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Optimizers", "torch_reference.json"))));

    public static IEnumerable<JsonElement> Section(string name) => Document.Value.RootElement.GetProperty(name).EnumerateArray();

    public static JsonElement Case(string section, string name) => Section(section).Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>Case names as xunit theory data, so each case is its own test.</summary>
    public static Xunit.TheoryData<string> Names(string section) => new(Section(section).Select(c => c.GetProperty("name").GetString()!));

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static double Option(JsonElement options, string name, double fallback) =>
        options.TryGetProperty(name, out var value) ? value.GetDouble() : fallback;

    public static bool Flag(JsonElement options, string name) =>
        options.TryGetProperty(name, out var value) && value.GetBoolean();
}
