using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NetGen.Data.Images;

/// <summary>
/// A JPEG classification dataset laid out like torchvision's <c>ImageFolder</c>: one subfolder per
/// class under a root, class names sorted ordinally and labelled 0, 1, ... in that order. The root
/// is a directory or a folder inside a zip archive, read without extracting it.
/// </summary>
/// <remarks>
/// <para>Every file's JPEG header is read at construction, and damage after the header (a truncated
/// download) is found when the image is decoded by <see cref="Read"/>: both are handled by
/// <see cref="ImageFolderOptions.BadImagePolicy"/>. A class folder left without images is an error
/// naming it. Grayscale and CMYK JPEGs are converted to RGB.</para>
/// <para>A read decodes the image at the smallest DCT scale (1/8 to 8/8 of each side) that still
/// covers the working size, resizes it (bilinear, antialiased) to the working size and rounds it to
/// 8 bits, as a Pillow-based pipeline using <c>draft</c> would; that working image is cached while the
/// cache fits <see cref="ImageFolderOptions.CacheBudgetBytes"/>. It is then resized or augmented to
/// <c>3 x Height x Width</c> floats in [0, 1] and, if asked, normalised. Reads are thread-safe.</para>
/// </remarks>
public sealed class ImageFolderDataset : IDataset
{
    private readonly ImageFolderOptions _options;
    private readonly ImageFile[] _files;
    private readonly int[] _labels;
    private readonly int[] _classStarts;
    private readonly string[] _classLocations;
    private readonly SkippedImages _skipped;
    private readonly WorkingImageCache _cache;

    private ImageFolderDataset(ClassFolder[] classes, ImageFolderOptions options)
    {
        _options = options;
        Preprocessing = new ImagePreprocessing(options);
        var warnings = new List<string>();
        var files = new List<ImageFile>();
        var labels = new List<int>();
        _classStarts = new int[classes.Length + 1];
        for (var label = 0; label < classes.Length; label++)
        {
            var readable = classes[label].Files.Where(file => HasReadableHeader(file, options, warnings)).ToList();
            if (readable.Count == 0)
            {
                var skipped = classes[label].Files.Length;
                throw new InvalidDataException(skipped == 0
                    ? $"Class folder '{classes[label].Location}' is empty; every class needs at least one image."
                    : $"Class folder '{classes[label].Location}' has no readable images (all {skipped} files were skipped).");
            }

            files.AddRange(readable);
            labels.AddRange(Enumerable.Repeat(label, readable.Count));
            _classStarts[label + 1] = files.Count;
        }

        _files = [.. files];
        _labels = [.. labels];
        ClassNames = classes.Select(c => c.Name).ToArray();
        _classLocations = classes.Select(c => c.Location).ToArray();
        _skipped = new SkippedImages(warnings, _files.Length, options.WarningWriter);
        SampleShape = Preprocessing.SampleShape;
        _cache = new WorkingImageCache(_files.Length, options.CacheBudgetBytes);
    }

    /// <inheritdoc/>
    public int Count => _files.Length;

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape { get; }

    /// <inheritdoc/>
    public int ClassCount => ClassNames.Count;

    /// <summary>Class names (the subfolder names) in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The label of every sample, in sample order.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>
    /// One message per file left out under <see cref="BadImagePolicy.SkipWithWarning"/>, naming the
    /// file: those whose header failed at construction, then those that failed to decode in
    /// <see cref="Read"/> so far. A snapshot; it grows while reads find damaged files.
    /// </summary>
    public IReadOnlyList<string> Warnings => _skipped.Warnings;

    /// <summary>
    /// This dataset's preprocessing without its augmentation: what <see cref="Read"/> does to a sample
    /// when <see cref="ImageFolderOptions.Augmentation"/> is null, for any JPEG (see <see cref="LoadImage(string)"/>).
    /// </summary>
    public ImagePreprocessing Preprocessing { get; }

    /// <summary>Bytes the cache of decoded working images holds now.</summary>
    public long CachedBytes => _cache.UsedBytes;

    /// <summary>Opens the image folder at directory <paramref name="root"/>.</summary>
    public static ImageFolderDataset FromDirectory(string root, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        options = Checked(options);
        return new ImageFolderDataset(ImageFolderLayout.FromDirectory(root), options);
    }

    /// <summary>
    /// Opens the image folder <paramref name="folderInArchive"/> (for example
    /// <c>cats_and_dogs_filtered/train</c>) inside the zip archive <paramref name="zipPath"/>. The
    /// compressed entries of that folder are read into memory now, so the archive is not kept open.
    /// </summary>
    public static ImageFolderDataset FromZip(string zipPath, string folderInArchive, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        ArgumentException.ThrowIfNullOrEmpty(folderInArchive);
        options = Checked(options);
        return new ImageFolderDataset(ImageFolderLayout.FromZip(zipPath, folderInArchive), options);
    }

    /// <summary>The path (or archive path and entry name) of sample <paramref name="index"/>.</summary>
    public string SourceName(int index) => _files[CheckIndex(index)].Name;

    /// <summary>
    /// Reads the JPEG file at <paramref name="path"/> (any file, not one of the dataset's) as a sample
    /// of this dataset without augmentation, the input to predict it with a network trained on it.
    /// Errors name the file.
    /// </summary>
    /// <example><code>
    /// var probabilities = model.Predict(validation.LoadImage("my-cat.jpg"));
    /// </code></example>
    public float[] LoadImage(string path) => Preprocessing.Load(path);

    /// <inheritdoc/>
    public bool Augments => _options.Augmentation is not null;

    /// <summary>
    /// Writes sample <paramref name="index"/> as <c>3 x Height x Width</c> floats and returns its label.
    /// When its image cannot be decoded, this throws an <see cref="ImageDecodeException"/> naming the
    /// file, or under <see cref="BadImagePolicy.SkipWithWarning"/> serves the next decodable image
    /// of the same class in sample order (wrapping to the class's first) and warns once.
    /// </summary>
    /// <remarks>
    /// A skipped sample keeps its place: every batch keeps its size and the epoch its batch count,
    /// the label returned is the sample's own, and which image stands in depends only on which files
    /// are damaged, never on thread timing, so runs stay reproducible. The stand-in is seen twice
    /// per epoch. Batch.SampleIndices still names the skipped sample.
    /// </remarks>
    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        CheckIndex(index);
        Preprocessing.CheckSampleLength(input.Length, nameof(input));
        Preprocessing.ToSample(WorkingImageFor(index), input, _options.Augmentation, augmentationSeed);
        return _labels[index];
    }

    private static ImageFolderOptions Checked(ImageFolderOptions? options)
    {
        options ??= new ImageFolderOptions();
        options.Validate();
        TurboJpegLibrary.EnsureAvailable();
        return options;
    }

    private static bool HasReadableHeader(ImageFile file, ImageFolderOptions options, List<string> warnings)
    {
        try
        {
            JpegDecoder.ReadHeader(file.ReadBytes(), file.Name);
            return true;
        }
        catch (ImageDecodeException e) when (options.BadImagePolicy == BadImagePolicy.SkipWithWarning)
        {
            var warning = $"Skipped '{file.Name}': {e.Reason}";
            warnings.Add(warning);
            options.WarningWriter?.WriteLine(warning);
            return false;
        }
    }

    /// <summary>The working image of sample <paramref name="index"/>, or of its stand-in when it cannot be decoded (see <see cref="Read"/>).</summary>
    private byte[] WorkingImageFor(int index)
    {
        var label = _labels[index];
        var (first, end) = (_classStarts[label], _classStarts[label + 1]);
        var candidate = index;
        for (var tried = 0; tried < end - first; tried++)
        {
            if (!_skipped.IsUndecodable(candidate) && (_cache.Get(candidate) ?? TryLoadWorkingImage(candidate)) is { } working)
            {
                return working;
            }

            candidate = candidate + 1 == end ? first : candidate + 1;
        }

        throw new InvalidDataException($"Class folder '{_classLocations[label]}' has no image that decodes (all {end - first} were skipped; see Warnings).");
    }

    /// <summary>Decodes sample <paramref name="index"/>, or under <see cref="BadImagePolicy.SkipWithWarning"/> returns null when it cannot be.</summary>
    private byte[]? TryLoadWorkingImage(int index)
    {
        try
        {
            return LoadWorkingImage(index);
        }
        catch (ImageDecodeException e) when (_options.BadImagePolicy == BadImagePolicy.SkipWithWarning)
        {
            _skipped.MarkUndecodable(index, $"Skipped '{e.SourceName}' when decoding it: {e.Reason} (the next image of class '{ClassNames[_labels[index]]}' takes its place).");
            return null;
        }
    }

    /// <summary>Decodes sample <paramref name="index"/>, resizes it to the working size as 8-bit CHW, and caches it.</summary>
    private byte[] LoadWorkingImage(int index)
    {
        var file = _files[index];
        var working = Preprocessing.ToWorkingImage(file.ReadBytes(), file.Name);
        _cache.Add(index, working);
        return working;
    }

    private int CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index;
    }
}
