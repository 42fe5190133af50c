using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace NetGen.Checkpoints;

/// <summary>
/// Names the temporary files of <see cref="AtomicFile"/> and finds those that a killed write left
/// behind. A temporary of <c>dir/model.safetensors</c> is <c>dir/.model.safetensors.{pid}.{guid}.tmp</c>:
/// tied to its target by name, so a cleanup never touches another target's or another program's
/// files, and carrying the writer's process id. Versions before the id was added wrote
/// <c>.model.safetensors.{guid}.tmp</c>; those are recognised too, so upgrading frees their space.
/// </summary>
/// <remarks>
/// Two processes may save the same target at once, so a temporary is stale only when both hold:
/// <list type="number">
/// <item>its writer's process id is not running on this machine (a live id may be a save in
/// progress, in this process or another; an id reused by an unrelated process only delays the
/// cleanup to a later save). Old names carry no id and skip this test.</item>
/// <item>it can be opened with <see cref="FileShare.None"/>: a writer holds its temporary open that
/// way until the data is flushed (an advisory lock on Unix, a sharing lock on Windows), which
/// protects a live write whose id means nothing here, such as one from another container or host
/// sharing the directory. Such a writer is exposed only between closing its temporary and
/// renaming it, a window of one system call.</item>
/// </list>
/// </remarks>
internal static class StaleTemporaries
{
    private const string Suffix = ".tmp";
    private const int GuidLength = 32;

    /// <summary>A fresh temporary name for <paramref name="fullPath"/>, in its directory.</summary>
    public static string NewName(string fullPath) => Path.Combine(
        Path.GetDirectoryName(fullPath)!,
        string.Create(CultureInfo.InvariantCulture, $"{Prefix(fullPath)}{Environment.ProcessId}.{Guid.NewGuid():N}{Suffix}"));

    /// <summary>The temporaries of <paramref name="fullPath"/> whose writers are gone.</summary>
    public static IEnumerable<string> Of(string fullPath)
    {
        var prefix = Prefix(fullPath);
        foreach (var candidate in Directory.EnumerateFiles(Path.GetDirectoryName(fullPath)!, prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(candidate);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal))
            {
                continue;
            }

            if (TryParseWriter(name[prefix.Length..^Suffix.Length], out var processId)
                && (processId is not { } id || !IsRunning(id))
                && !MayBeInUse(candidate))
            {
                yield return candidate;
            }
        }
    }

    private static string Prefix(string fullPath) => $".{Path.GetFileName(fullPath)}.";

    /// <summary>Reads "{pid}.{guid}" or the old "{guid}"; false for anything else, which is not ours.</summary>
    private static bool TryParseWriter(string middle, out int? processId)
    {
        processId = null;
        var dot = middle.IndexOf('.', StringComparison.Ordinal);
        var guid = dot < 0 ? middle : middle[(dot + 1)..];
        if (guid.Length != GuidLength || !Guid.TryParseExact(guid, "N", out _))
        {
            return false;
        }

        if (dot < 0)
        {
            return true;
        }

        if (!int.TryParse(middle.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        processId = id;
        return true;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>False only when nobody holds <paramref name="path"/> open; true too when it cannot be told or the file vanished meanwhile.</summary>
    private static bool MayBeInUse(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
