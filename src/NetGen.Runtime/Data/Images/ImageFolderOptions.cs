using System;
using System.Collections.Generic;
using System.IO;

namespace NetGen.Data.Images;

/// <summary>How an <see cref="ImageFolderDataset"/> decodes, caches, augments and normalises its images.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Height of every sample.</summary>
    public int Height { get; init; } = 150;

    /// <summary>Width of every sample.</summary>
    public int Width { get; init; } = 150;

    /// <summary>
    /// Height every decoded image is resized to before it is cached (null: <see cref="Height"/>).
    /// A larger working size keeps detail for <see cref="RandomResizedCrop"/>, at a higher cache cost.
    /// </summary>
    public int? WorkingHeight { get; init; }

    /// <summary>Width every decoded image is resized to before it is cached (null: <see cref="Width"/>).</summary>
    public int? WorkingWidth { get; init; }

    /// <summary>Random augmentation for training; null (the default, for validation) applies none.</summary>
    public ImageAugmentation? Augmentation { get; init; }

    /// <summary>Per-channel means (R, G, B) subtracted last; null leaves values in [0, 1]. Set with <see cref="Std"/>.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviations (R, G, B) divided by last. Set with <see cref="Mean"/>.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>
    /// Bytes of memory the cache of decoded working-size images may use (3 bytes per pixel); images
    /// beyond the budget are decoded again on every read. 0 disables the cache.
    /// </summary>
    public long CacheBudgetBytes { get; init; } = 512L << 20;

    /// <summary>What to do with a file that cannot be decoded, at construction or when read; see <see cref="Images.BadImagePolicy"/>.</summary>
    public BadImagePolicy BadImagePolicy { get; init; } = BadImagePolicy.Throw;

    /// <summary>
    /// Keep images that libjpeg decodes with a warning (typically "premature end of data": the
    /// missing part is filled with gray). Off by default, so such images throw when read.
    /// </summary>
    public bool AcceptDecoderWarnings { get; init; }

    /// <summary>Where skipped-file warnings are also written (for example <see cref="Console.Error"/>); null writes nowhere.</summary>
    public TextWriter? WarningWriter { get; init; }

    /// <summary>Throws when a size, the cache budget, the normalisation or the augmentation is invalid.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(WorkingHeight ?? Height, nameof(WorkingHeight));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(WorkingWidth ?? Width, nameof(WorkingWidth));
        ArgumentOutOfRangeException.ThrowIfNegative(CacheBudgetBytes);
        if ((Mean is null) != (Std is null) || (Mean is not null && (Mean.Count != 3 || Std!.Count != 3)))
        {
            throw new ArgumentException("Mean and Std must both be set, with one value per channel (R, G, B), or both be null.", nameof(Mean));
        }

        Augmentation?.Validate();
    }
}
