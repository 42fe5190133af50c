using System;
using System.IO;

namespace NetGen.Data.Images;

/// <summary>
/// Checks the names of zip entries before they become class names and sample names. The archive is
/// only read, never extracted, so nothing can be written outside; the danger is that a crafted name
/// like <c>train/../cats/x.jpg</c> puts a file in a class called <c>..</c> and shifts every label
/// after it. Names are taken literally, never resolved, so one that could mean two things is an error.
/// </summary>
internal static class ZipEntryPath
{
    /// <summary>
    /// The entry name with '\' read as '/' (the zip format wants '/', but old Windows tools wrote
    /// '\'), or an <see cref="InvalidDataException"/> naming the archive and the entry when a segment
    /// is empty, "." or "..", or the name is absolute (a leading '/' or a drive such as "C:").
    /// A trailing '/' marks a folder entry and is kept.
    /// </summary>
    public static string Checked(string entryName, string zipPath)
    {
        var path = entryName.Replace('\\', '/');
        var segments = (path.EndsWith('/') ? path[..^1] : path).Split('/');
        if (Unsafe(segments) is { } reason)
        {
            throw new InvalidDataException($"Zip archive '{zipPath}' has an entry named '{entryName}', which {reason}; refusing the archive rather than guessing which folder it belongs to.");
        }

        return path;
    }

    /// <summary>
    /// <paramref name="folder"/> as a '/'-terminated prefix, or an <see cref="ArgumentException"/>
    /// when it has the segments <see cref="Checked"/> rejects (leading and trailing '/' are dropped).
    /// </summary>
    public static string FolderPrefix(string folder, string parameterName)
    {
        var trimmed = folder.Replace('\\', '/').Trim('/');
        if (trimmed.Length == 0 || Unsafe(trimmed.Split('/')) is not null)
        {
            throw new ArgumentException($"'{folder}' is not a folder inside the archive: give its path from the archive's root, such as 'cats_and_dogs_filtered/train', without '.', '..' or empty segments.", parameterName);
        }

        return trimmed + "/";
    }

    private static string? Unsafe(string[] segments)
    {
        if (segments[0].Length == 0)
        {
            return "is absolute (it starts with '/')";
        }

        if (segments[0].Length == 2 && segments[0][1] == ':' && char.IsAsciiLetter(segments[0][0]))
        {
            return $"is absolute (it starts with the drive '{segments[0]}')";
        }

        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                return "has an empty segment ('//')";
            }

            if (segment is "." or "..")
            {
                return $"has a '{segment}' segment";
            }
        }

        return null;
    }
}
