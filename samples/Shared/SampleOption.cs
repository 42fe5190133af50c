using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;

namespace NetGen.Samples;

/// <summary>
/// The kinds of option both samples take, as System.CommandLine options whose bad values are
/// errors naming the option ("--epochs must be a positive integer, not '0'."), and where the
/// samples find <c>../shared/data</c>.
/// </summary>
/// <remarks>
/// Values are checked in custom parsers rather than validators: a validator also runs after the
/// built-in conversion failed, and then throws instead of reporting.
/// </remarks>
internal static class SampleOption
{
    /// <summary>An integer above zero, <paramref name="defaultValue"/> when not given.</summary>
    public static Option<int> PositiveInteger(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParsePositiveInteger(name, result) ?? 0,
    };

    /// <summary>An integer above zero, or null when not given.</summary>
    public static Option<int?> OptionalPositiveInteger(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => ParsePositiveInteger(name, result),
    };

    /// <summary>A finite number above zero and at most <paramref name="max"/>; when not given, <paramref name="defaultValue"/>.</summary>
    public static Option<double?> PositiveNumber(string name, string description, double? defaultValue = null, double max = double.MaxValue)
    {
        var option = new Option<double?>(name)
        {
            Description = description,
            HelpName = "X",
            CustomParser = result =>
            {
                var text = Given(result);
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max)
                {
                    return value;
                }

                result.AddError($"{name} must be {(max == double.MaxValue ? "a positive number" : $"a number in (0, {max}]")}, not '{text}'.");
                return null;
            },
        };
        if (defaultValue is { } given)
        {
            option.DefaultValueFactory = _ => given;
        }

        return option;
    }

    /// <summary>A non-negative integer, <paramref name="defaultValue"/> when not given.</summary>
    public static Option<ulong> NonNegativeInteger(string name, string description, ulong defaultValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = Given(result);
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            result.AddError($"{name} must be a non-negative integer, not '{text}'.");
            return 0;
        },
    };

    /// <summary>One of <paramref name="values"/>, the first when not given.</summary>
    public static Option<string> OneOf(string name, string description, params string[] values) => new(name)
    {
        Description = description,
        HelpName = string.Join('|', values),
        DefaultValueFactory = _ => values[0],
        CustomParser = result =>
        {
            var text = Given(result);
            if (Array.IndexOf(values, text) >= 0)
            {
                return text;
            }

            result.AddError($"{name} must be {string.Join(" or ", values)}, not '{text}'.");
            return values[0];
        },
    };

    /// <summary>
    /// <paramref name="relativePath"/> (a file or a folder) in the repository's <c>../shared/data</c>,
    /// when this runs from a checkout that has it; null otherwise.
    /// </summary>
    public static string? FindInSharedData(string relativePath)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
                {
                    var path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", relativePath));
                    return Path.Exists(path) ? path : null;
                }
            }
        }

        return null;
    }

    private static int? ParsePositiveInteger(string name, ArgumentResult result)
    {
        var text = Given(result);
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        result.AddError($"{name} must be a positive integer, not '{text}'.");
        return null;
    }

    // The parser runs only for an option given with its value (a missing value is reported before).
    private static string Given(ArgumentResult result) => result.Tokens[^1].Value;
}
