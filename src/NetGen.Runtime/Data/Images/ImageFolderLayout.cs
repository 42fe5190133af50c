using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace NetGen.Data.Images;

/// <summary>
/// Finds the class folders of an ImageFolder-style tree (<c>root/&lt;class&gt;/**/&lt;file&gt;</c>), on disk
/// or inside a zip archive. Classes are sorted by ordinal name, files by ordinal relative path, so
/// labels and sample order are the same on every machine. Files directly in the root are ignored,
/// as torchvision does. On disk, symbolic links are followed, each linked folder once (see <see cref="FolderWalk"/>).
/// </summary>
internal static class ImageFolderLayout
{
    private const int MaxListed = 20;

    /// <summary>The class folders under <paramref name="root"/>.</summary>
    public static ClassFolder[] FromDirectory(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        }

        var walk = new FolderWalk(root);
        var classes = walk.Subfolders().Order(StringComparer.Ordinal).Select(directory => new ClassFolder(
            Path.GetFileName(directory),
            directory,
            walk.FilesUnder(directory).Order(StringComparer.Ordinal)
                .Select(ImageFile (path) => new DiskImageFile(path)).ToArray())).ToArray();
        if (classes.Length == 0)
        {
            var found = Directory.GetFiles(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            throw new InvalidDataException(
                $"Image folder '{root}' has no class subfolders (expected one folder per class); it contains {Describe(found, "files")}.");
        }

        return classes;
    }

    /// <summary>
    /// The class folders under <paramref name="folderInArchive"/> inside the zip archive at <paramref name="zipPath"/>.
    /// Every entry's bytes are read now; the archive is closed before this returns.
    /// </summary>
    public static ClassFolder[] FromZip(string zipPath, string folderInArchive)
    {
        if (!File.Exists(zipPath))
        {
            throw new FileNotFoundException($"Zip archive '{zipPath}' does not exist.", zipPath);
        }

        var prefix = ZipEntryPath.FolderPrefix(folderInArchive, nameof(folderInArchive));
        using var archive = ZipFile.OpenRead(zipPath);

        // Every entry is checked, not only those under the folder: a name resolving into it from outside is as ambiguous.
        var entries = archive.Entries.Select(entry => (Path: ZipEntryPath.Checked(entry.FullName, zipPath), Entry: entry)).ToList();
        var inFolder = entries.Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (inFolder.Count == 0)
        {
            var depth = prefix.Count(ch => ch == '/');
            var folders = entries.SelectMany(e => FolderPrefixes(e.Path)).Distinct()
                .Where(f => f.Count(ch => ch == '/') <= depth).Order(StringComparer.Ordinal).ToList();
            throw new InvalidDataException(
                $"Zip archive '{zipPath}' has no folder '{prefix}'; it contains {Describe(folders, "folders")}.");
        }

        var classFiles = new SortedDictionary<string, List<(string Path, ZipArchiveEntry Entry)>>(StringComparer.Ordinal);
        var looseFiles = new List<string>();
        foreach (var (path, entry) in inFolder)
        {
            var relative = path[prefix.Length..];
            var slash = relative.IndexOf('/');
            if (slash < 0)
            {
                if (relative.Length > 0)
                {
                    looseFiles.Add(relative);
                }

                continue;
            }

            var files = Lookup(classFiles, relative[..slash]);
            if (!path.EndsWith('/'))
            {
                files.Add((path, entry));
            }
        }

        if (classFiles.Count == 0)
        {
            throw new InvalidDataException(
                $"Folder '{prefix}' in zip archive '{zipPath}' has no class subfolders (expected one folder per class); it contains {Describe(looseFiles, "files")}.");
        }

        return classFiles.Select(pair => new ClassFolder(
            pair.Key,
            $"{zipPath}!{prefix}{pair.Key}/",
            pair.Value.OrderBy(file => file.Path, StringComparer.Ordinal)
                .Select(ImageFile (file) => new ArchivedImageFile($"{zipPath}!{file.Path}", ReadEntry(file.Entry, zipPath))).ToArray())).ToArray();
    }

    private static List<(string, ZipArchiveEntry)> Lookup(SortedDictionary<string, List<(string, ZipArchiveEntry)>> classes, string name)
    {
        if (!classes.TryGetValue(name, out var files))
        {
            files = [];
            classes.Add(name, files);
        }

        return files;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string zipPath)
    {
        if (entry.Length > Array.MaxLength)
        {
            throw new InvalidDataException($"Entry '{entry.FullName}' of zip archive '{zipPath}' is {entry.Length} bytes, too large to read.");
        }

        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Every folder that <paramref name="path"/> lies in, each ending with '/'.</summary>
    private static IEnumerable<string> FolderPrefixes(string path)
    {
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..(slash + 1)];
        }
    }

    private static string Describe(IReadOnlyCollection<string?> names, string what) => names.Count == 0
        ? $"no {what}"
        : $"{names.Count} {what}: " + string.Join(", ", names.Take(MaxListed).Select(n => $"'{n}'")) + (names.Count > MaxListed ? ", ..." : "");
}
