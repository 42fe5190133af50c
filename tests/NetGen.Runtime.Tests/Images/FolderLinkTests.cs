using System;
using System.IO;
using NetGen.Data.Images;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

/// <summary>Symbolic links in an image folder on disk are followed, but no folder is reached twice: a loop or a duplicate is an error.</summary>
public sealed class FolderLinkTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ImageFolderOptions _options = new() { Height = 8, Width = 8 };
    private readonly byte[] _jpeg = TestImages.TwoLevelGray(16, 10, 200);

    public FolderLinkTests()
    {
        _folder.Write("train/cats/a.jpg", _jpeg);
        _folder.Write("elsewhere/dogs/b.jpg", _jpeg);
        _folder.Write("elsewhere/dogs/more/c.jpg", _jpeg);
    }

    private string Train => Path.Combine(_folder.Path, "train");

    public void Dispose() => _folder.Dispose();

    [TurboJpegFact]
    public void A_class_folder_linked_from_elsewhere_is_read()
    {
        Directory.CreateSymbolicLink(Path.Combine(Train, "dogs"), Path.Combine(_folder.Path, "elsewhere", "dogs"));

        var dataset = ImageFolderDataset.FromDirectory(Train, _options);

        Assert.Equal(["cats", "dogs"], dataset.ClassNames);
        Assert.Equal([0, 1, 1], dataset.Labels);
    }

    [TurboJpegFact]
    public void A_link_back_to_an_ancestor_is_an_error_naming_it_not_forty_copies()
    {
        var loop = Directory.CreateSymbolicLink(Path.Combine(Train, "cats", "loop"), Path.Combine(Train, "cats")).FullName;

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.FromDirectory(Train, _options));

        Assert.Equal(
            $"Image folder '{Train}' reaches '{Path.Combine(Train, "cats")}' twice through symbolic links, '{loop}' and '{Path.Combine(loop, "loop")}': a link loop, or the same images in two places. Remove one of the links.",
            error.Message);
    }

    [TurboJpegFact]
    public void Two_links_to_one_folder_would_give_its_images_two_labels_and_are_an_error()
    {
        var dogs = Path.Combine(_folder.Path, "elsewhere", "dogs");
        Directory.CreateSymbolicLink(Path.Combine(Train, "dogs"), dogs);
        Directory.CreateSymbolicLink(Path.Combine(Train, "wolves"), dogs);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.FromDirectory(Train, _options));

        Assert.Contains($"reaches '{dogs}' twice through symbolic links", error.Message);
    }
}
