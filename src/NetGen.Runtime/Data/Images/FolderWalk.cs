using System.Collections.Generic;
using System.IO;

namespace NetGen.Data.Images;

/// <summary>
/// Lists the files of an image folder tree on disk. Symbolic links are followed, as torchvision's
/// ImageFolder does, since datasets are often assembled from links to another disk; the files are
/// only read, never written. But each linked folder may be reached once: .NET's own recursive listing
/// follows a link back to an ancestor about 40 times before the system refuses, so a loop would
/// silently multiply every image below it, and two links to one folder would put the same images
/// in two places (in two classes, with two labels).
/// </summary>
internal sealed class FolderWalk(string root)
{
    private readonly Dictionary<string, string> _linkByTarget = [];

    /// <summary>The folders directly under the root: the class folders.</summary>
    public IEnumerable<string> Subfolders()
    {
        foreach (var folder in Directory.EnumerateDirectories(root))
        {
            yield return Visited(folder);
        }
    }

    /// <summary>Every file under <paramref name="folder"/>, at any depth, in no particular order.</summary>
    public IEnumerable<string> FilesUnder(string folder)
    {
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out var next))
        {
            foreach (var file in Directory.EnumerateFiles(next))
            {
                yield return file;
            }

            foreach (var subfolder in Directory.EnumerateDirectories(next))
            {
                pending.Push(Visited(subfolder));
            }
        }
    }

    /// <summary>Returns <paramref name="folder"/>, or throws when it is a link to a folder that another link already reached.</summary>
    private string Visited(string folder)
    {
        if (Directory.ResolveLinkTarget(folder, returnFinalTarget: true) is not { } target)
        {
            return folder;
        }

        if (!_linkByTarget.TryAdd(target.FullName, folder))
        {
            throw new InvalidDataException(
                $"Image folder '{root}' reaches '{target.FullName}' twice through symbolic links, '{_linkByTarget[target.FullName]}' and '{folder}': " +
                "a link loop, or the same images in two places. Remove one of the links.");
        }

        return folder;
    }
}
