using System;
using System.Buffers;

namespace NetGen.Data.Images;

/// <summary>
/// Random training augmentation, applied in a fixed order: resized crop (or a plain resize to the
/// output size), horizontal flip, vertical flip, rotation, brightness, contrast. Steps left at
/// their defaults are off and draw no random numbers. The same <see cref="SeededRandom"/> state
/// gives the same result on any thread.
/// </summary>
public sealed record ImageAugmentation
{
    /// <summary>Probability of mirroring left to right.</summary>
    public float HorizontalFlipProbability { get; init; }

    /// <summary>Probability of mirroring top to bottom.</summary>
    public float VerticalFlipProbability { get; init; }

    /// <summary>A random crop resized to the output size; null resizes the whole image instead.</summary>
    public RandomResizedCrop? ResizedCrop { get; init; }

    /// <summary>Rotation by an angle uniform in [-d, d] degrees (bilinear, fill 0); 0 is off.</summary>
    public float RotationDegrees { get; init; }

    /// <summary>Brightness factor uniform in [max(0, 1 - b), 1 + b] (torchvision's <c>ColorJitter</c>); 0 is off.</summary>
    public float Brightness { get; init; }

    /// <summary>Contrast factor uniform in [max(0, 1 - c), 1 + c] (torchvision's <c>ColorJitter</c>); 0 is off.</summary>
    public float Contrast { get; init; }

    /// <summary>
    /// Writes an augmented <paramref name="height"/> x <paramref name="width"/> RGB version of
    /// <paramref name="source"/> (CHW, <paramref name="sourceHeight"/> x <paramref name="sourceWidth"/>)
    /// into <paramref name="destination"/>.
    /// </summary>
    public void Apply(
        ReadOnlySpan<float> source, int sourceHeight, int sourceWidth, Span<float> destination, int height, int width, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Validate();
        const int channels = 3;
        var box = ResizedCrop?.Sample(sourceHeight, sourceWidth, random) ?? new CropBox(0, 0, sourceHeight, sourceWidth);
        ImageOps.ResizeCrop(source, channels, sourceHeight, sourceWidth, box, destination, height, width);
        if (HorizontalFlipProbability > 0f && random.NextSingle() < HorizontalFlipProbability)
        {
            ImageOps.FlipHorizontal(destination, channels, height, width);
        }

        if (VerticalFlipProbability > 0f && random.NextSingle() < VerticalFlipProbability)
        {
            ImageOps.FlipVertical(destination, channels, height, width);
        }

        if (RotationDegrees > 0f)
        {
            Rotate(destination, height, width, random.NextUniform(-RotationDegrees, RotationDegrees));
        }

        if (Brightness > 0f)
        {
            ImageOps.AdjustBrightness(destination, random.NextUniform(Math.Max(0f, 1f - Brightness), 1f + Brightness));
        }

        if (Contrast > 0f)
        {
            ImageOps.AdjustContrast(destination, height, width, random.NextUniform(Math.Max(0f, 1f - Contrast), 1f + Contrast));
        }
    }

    /// <summary>Throws when a probability or range is out of bounds.</summary>
    internal void Validate()
    {
        CheckProbability(HorizontalFlipProbability, nameof(HorizontalFlipProbability));
        CheckProbability(VerticalFlipProbability, nameof(VerticalFlipProbability));
        CheckNonNegative(RotationDegrees, nameof(RotationDegrees));
        CheckNonNegative(Brightness, nameof(Brightness));
        CheckNonNegative(Contrast, nameof(Contrast));
        ResizedCrop?.Validate();
    }

    private static void Rotate(Span<float> image, int height, int width, float degrees)
    {
        var copy = ArrayPool<float>.Shared.Rent(image.Length);
        try
        {
            image.CopyTo(copy);
            ImageOps.Rotate(copy.AsSpan(0, image.Length), image, 3, height, width, degrees);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
        }
    }

    private static void CheckProbability(float value, string name)
    {
        if (!(value >= 0f && value <= 1f))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1].");
        }
    }

    private static void CheckNonNegative(float value, string name)
    {
        if (!(value >= 0f && float.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite value >= 0.");
        }
    }
}
