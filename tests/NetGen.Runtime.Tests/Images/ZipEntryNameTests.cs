using System;
using System.IO;
using System.IO.Compression;
using NetGen.Data.Images;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

/// <summary>Zip entry names that could put a file in a class it does not belong to are refused, naming the archive and the entry.</summary>
public sealed class ZipEntryNameTests : IDisposable
{
    private const int Side = 8;
    private readonly TempFolder _folder = new();
    private readonly ImageFolderOptions _options = new() { Height = Side, Width = Side };
    private readonly byte[] _jpeg = TestImages.TwoLevelGray(16, 10, 200);

    public void Dispose() => _folder.Dispose();

    [TurboJpegTheory]
    [InlineData("data/train/../cats/x.jpg", "has a '..' segment")]
    [InlineData("data/train/cats/../../../evil.jpg", "has a '..' segment")]
    [InlineData("data/train/../", "has a '..' segment")]
    [InlineData("elsewhere/../data/train/cats/x.jpg", "has a '..' segment")]
    [InlineData(@"data\train\..\cats\x.jpg", "has a '..' segment")]
    [InlineData("data/train/./cats/x.jpg", "has a '.' segment")]
    [InlineData("data/train//cats/x.jpg", "has an empty segment ('//')")]
    [InlineData("/data/train/cats/x.jpg", "is absolute (it starts with '/')")]
    [InlineData("C:/data/train/cats/x.jpg", "is absolute (it starts with the drive 'C:')")]
    public void An_ambiguous_entry_name_refuses_the_archive(string entryName, string reason)
    {
        var zip = Zip(("data/train/cats/a.jpg", _jpeg), ("data/train/dogs/b.jpg", _jpeg), (entryName, _jpeg));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.FromZip(zip, "data/train", _options));

        Assert.Equal(
            $"Zip archive '{zip}' has an entry named '{entryName}', which {reason}; refusing the archive rather than guessing which folder it belongs to.",
            error.Message);
    }

    [TurboJpegFact]
    public void Backslashes_separate_folders_as_old_windows_tools_wrote_them()
    {
        var zip = Zip(("data/train/cats/a.jpg", _jpeg), (@"data\train\dogs\b.jpg", _jpeg));

        var dataset = ImageFolderDataset.FromZip(zip, "data/train", _options);

        Assert.Equal(["cats", "dogs"], dataset.ClassNames);
        Assert.Equal($"{zip}!data/train/dogs/b.jpg", dataset.SourceName(1));
    }

    [TurboJpegTheory]
    [InlineData("data/../data/train")]
    [InlineData("data/./train")]
    [InlineData("data//train")]
    [InlineData("/")]
    public void A_folder_argument_with_ambiguous_segments_is_an_argument_error(string folder)
    {
        var zip = Zip(("data/train/cats/a.jpg", _jpeg));

        var error = Assert.Throws<ArgumentException>(() => ImageFolderDataset.FromZip(zip, folder, _options));

        Assert.Equal("folderInArchive", error.ParamName);
        Assert.StartsWith($"'{folder}' is not a folder inside the archive", error.Message);
    }

    private string Zip(params (string Name, byte[] Bytes)[] entries)
    {
        var path = Path.Combine(_folder.Path, $"archive{Guid.NewGuid():N}.zip");
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = archive.CreateEntry(name).Open();
            stream.Write(bytes);
        }

        return path;
    }
}
