using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NetGen.Data;
using NetGen.Data.Images;

namespace NetGen.Samples.DogsVsCats;

/// <summary>The training and validation splits of a dogs-vs-cats style dataset, ready for the loader.</summary>
/// <param name="Train">Training images, augmented.</param>
/// <param name="Validation">Validation images, only resized.</param>
/// <param name="ClassNames">Class names in label order (<c>cats</c>, <c>dogs</c>): label 1 is what the sigmoid output predicts.</param>
/// <param name="Source">Where the images were read from (the zip and folder, or the directory).</param>
public sealed record DogsVsCatsSplits(IDataset Train, IDataset Validation, IReadOnlyList<string> ClassNames, string Source);

/// <summary>
/// Opens <c>train/</c> and <c>validation/</c> (one subfolder per class) from a zip archive, read
/// without extracting it, or from a directory. Images become 3×150×150 floats in [0, 1].
/// </summary>
public static class DogsVsCatsData
{
    /// <summary>Side of the decoded images kept in memory for training; larger than 150 so random crops keep detail.</summary>
    public const int TrainingWorkingSize = 180;

    /// <summary>
    /// The training augmentation, the image pipeline's counterpart of Chollet's (rotation 40°, shifts
    /// and zoom 0.2, shear, horizontal flip): a random crop of 64-100% of the area with aspect ratio
    /// 3/4 to 4/3 (zoom and shift), rotation up to 30°, horizontal flip, ±10% brightness and contrast.
    /// </summary>
    public static ImageAugmentation TrainingAugmentation { get; } = new()
    {
        ResizedCrop = new RandomResizedCrop { MinScale = 0.64f, MaxScale = 1f, MinRatio = 3f / 4f, MaxRatio = 4f / 3f },
        HorizontalFlipProbability = 0.5f,
        RotationDegrees = 30f,
        Brightness = 0.1f,
        Contrast = 0.1f,
    };

    /// <summary>
    /// Opens the splits at <paramref name="path"/>: a zip holding <c>[folder/]train/</c> and
    /// <c>[folder/]validation/</c>, or a directory holding <c>train/</c> and <c>validation/</c>.
    /// With <paramref name="limitPerClass"/>, only that many images of each class are used per split.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The zip or folder is not laid out as expected, or its classes differ between splits.</exception>
    /// <exception cref="ImageDecodeException">A JPEG header is unreadable and <paramref name="badImages"/> is <see cref="BadImagePolicy.Throw"/>.</exception>
    public static DogsVsCatsSplits Open(string path, int? limitPerClass = null, BadImagePolicy badImages = BadImagePolicy.Throw, TextWriter? warnings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var validationOptions = new ImageFolderOptions { BadImagePolicy = badImages, WarningWriter = warnings };
        var trainOptions = validationOptions with
        {
            WorkingHeight = TrainingWorkingSize,
            WorkingWidth = TrainingWorkingSize,
            Augmentation = TrainingAugmentation,
        };

        ImageFolderDataset train, validation;
        string source;
        if (Directory.Exists(path))
        {
            source = path;
            var (trainDirectory, validationDirectory) = (SplitDirectory(path, "train"), SplitDirectory(path, "validation"));
            train = ImageFolderDataset.FromDirectory(trainDirectory, trainOptions);
            validation = ImageFolderDataset.FromDirectory(validationDirectory, validationOptions);
        }
        else if (File.Exists(path))
        {
            var folder = FindSplitsInZip(path);
            source = folder.Length == 0 ? path : $"{path}!{folder}";
            train = ImageFolderDataset.FromZip(path, folder + "train", trainOptions);
            validation = ImageFolderDataset.FromZip(path, folder + "validation", validationOptions);
        }
        else
        {
            throw new FileNotFoundException($"Data '{path}' does not exist; pass --data with cats_and_dogs_filtered.zip or a folder holding train/ and validation/.", path);
        }

        if (!train.ClassNames.SequenceEqual(validation.ClassNames) || train.ClassCount != 2)
        {
            throw new InvalidDataException(
                $"'{source}' must have the same two class folders in train/ and validation/; it has [{string.Join(", ", train.ClassNames)}] and [{string.Join(", ", validation.ClassNames)}].");
        }

        return limitPerClass is { } limit
            ? new DogsVsCatsSplits(new ClassSubset(train, limit), new ClassSubset(validation, limit), train.ClassNames, source)
            : new DogsVsCatsSplits(train, validation, train.ClassNames, source);
    }

    private static string SplitDirectory(string root, string split)
    {
        var directory = Path.Combine(root, split);
        return Directory.Exists(directory)
            ? directory
            : throw new InvalidDataException($"Folder '{root}' has no '{split}' subfolder; expected train/ and validation/, each with one folder per class.");
    }

    /// <summary>The folder (ending in '/', or empty for the root) that holds both <c>train/</c> and <c>validation/</c>, the shallowest if several do.</summary>
    private static string FindSplitsInZip(string zipPath)
    {
        List<string> names;
        try
        {
            using var archive = ZipFile.OpenRead(zipPath);
            names = archive.Entries.Select(entry => entry.FullName.Replace('\\', '/')).ToList();
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"'{zipPath}' is not a readable zip archive: {error.Message}", error);
        }

        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            for (var slash = name.IndexOf('/'); slash >= 0; slash = name.IndexOf('/', slash + 1))
            {
                folders.Add(name[..(slash + 1)]);
            }
        }

        var parents = folders.Where(f => f.EndsWith("/train/", StringComparison.Ordinal) || f == "train/")
            .Select(f => f[..^"train/".Length])
            .Where(parent => folders.Contains(parent + "validation/"))
            .OrderBy(parent => parent.Length).ThenBy(parent => parent, StringComparer.Ordinal)
            .ToList();
        return parents.Count > 0
            ? parents[0]
            : throw new InvalidDataException($"Zip archive '{zipPath}' has no train/ and validation/ folders side by side (expected e.g. cats_and_dogs_filtered/train/cats/cat.0.jpg).");
    }
}
