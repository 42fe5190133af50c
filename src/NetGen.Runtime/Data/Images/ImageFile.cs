using System.IO;

namespace NetGen.Data.Images;

/// <summary>One file of an image folder, wherever it is stored.</summary>
internal abstract class ImageFile
{
    /// <summary>The name used in errors and warnings: a path, or an archive path and entry name.</summary>
    public abstract string Name { get; }

    /// <summary>The file's bytes; safe to call from several threads at once.</summary>
    public abstract byte[] ReadBytes();
}

/// <summary>A file on disk, read on demand.</summary>
internal sealed class DiskImageFile(string path) : ImageFile
{
    public override string Name => path;

    public override byte[] ReadBytes() => File.ReadAllBytes(path);
}

/// <summary>
/// A zip entry whose bytes were read when the archive was opened: <see cref="System.IO.Compression.ZipArchive"/>
/// is not thread-safe, and the compressed JPEGs are small next to their decoded pixels.
/// </summary>
internal sealed class ArchivedImageFile(string name, byte[] bytes) : ImageFile
{
    public override string Name => name;

    public override byte[] ReadBytes() => bytes;
}

/// <summary>One class: its folder name (the class name), where it is, and its files in ordinal order.</summary>
internal sealed record ClassFolder(string Name, string Location, ImageFile[] Files);
