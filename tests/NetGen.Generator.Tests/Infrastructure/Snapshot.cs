using System;
using System.IO;
using System.Text;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>
/// Snapshot testing of generated source: compares against <c>Snapshots/{name}.verified.cs</c> beside
/// the tests. On a mismatch it writes <c>{name}.received.cs</c> and fails with the first differing
/// lines; set <c>NETGEN_ACCEPT=1</c> to accept the new output as verified.
/// </summary>
internal static class Snapshot
{
    public static void Verify(string name, string actual)
    {
        // Found from the repository root, not [CallerFilePath]: CI builds map source paths to /_/.
        var directory = Path.Combine(RepositoryPaths.Root, "tests", "NetGen.Generator.Tests", "Snapshots");
        var verified = Path.Combine(directory, name + ".verified.cs");
        var received = Path.Combine(directory, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");

        if (Environment.GetEnvironmentVariable("NETGEN_ACCEPT") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual);
            throw new SnapshotMismatchException($"No snapshot {verified} yet. Review {received} and run the tests with NETGEN_ACCEPT=1 to accept it.");
        }

        var expected = File.ReadAllText(verified).Replace("\r\n", "\n");
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        throw new SnapshotMismatchException($"Generated source differs from {verified} (new output in {received}; NETGEN_ACCEPT=1 accepts it):\n{Diff(expected, actual)}");
    }

    /// <summary>The first few differing lines, each with its number, as <c>-</c> expected / <c>+</c> actual.</summary>
    internal static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var builder = new StringBuilder();
        var shown = 0;
        for (var i = 0; i < Math.Max(e.Length, a.Length) && shown < 12; i++)
        {
            var left = i < e.Length ? e[i] : "<end of file>";
            var right = i < a.Length ? a[i] : "<end of file>";
            if (left != right)
            {
                builder.Append($"line {i + 1}:\n- {left}\n+ {right}\n");
                shown++;
            }
        }

        return builder.ToString();
    }
}

/// <summary>Thrown when generated source does not match its verified snapshot.</summary>
internal sealed class SnapshotMismatchException(string message) : Exception(message);
