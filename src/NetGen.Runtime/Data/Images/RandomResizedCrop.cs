using System;

namespace NetGen.Data.Images;

/// <summary>
/// torchvision's <c>RandomResizedCrop</c> box choice: a crop covering a random fraction
/// (<see cref="MinScale"/>..<see cref="MaxScale"/>) of the image area with a random aspect ratio
/// (log-uniform in <see cref="MinRatio"/>..<see cref="MaxRatio"/>), retried up to 10 times until it
/// fits, then a center crop clamped to the ratio range. The crop is then resized to the output size.
/// </summary>
public sealed record RandomResizedCrop
{
    private const int Attempts = 10;

    /// <summary>Smallest fraction of the image area to crop (torchvision default 0.08).</summary>
    public float MinScale { get; init; } = 0.08f;

    /// <summary>Largest fraction of the image area to crop (torchvision default 1).</summary>
    public float MaxScale { get; init; } = 1f;

    /// <summary>Smallest width/height ratio of the crop (torchvision default 3/4).</summary>
    public float MinRatio { get; init; } = 3f / 4f;

    /// <summary>Largest width/height ratio of the crop (torchvision default 4/3).</summary>
    public float MaxRatio { get; init; } = 4f / 3f;

    /// <summary>Picks a crop box inside a <paramref name="height"/> x <paramref name="width"/> image.</summary>
    public CropBox Sample(int height, int width, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Validate();
        var area = (double)height * width;
        var logMinRatio = Math.Log(MinRatio);
        var logMaxRatio = Math.Log(MaxRatio);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var targetArea = area * Uniform(random, MinScale, MaxScale);
            var ratio = Math.Exp(Uniform(random, logMinRatio, logMaxRatio));
            // Math.Round rounds half to even, like Python's round.
            var w = (int)Math.Round(Math.Sqrt(targetArea * ratio));
            var h = (int)Math.Round(Math.Sqrt(targetArea / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                var top = random.NextInt(height - h + 1);
                var left = random.NextInt(width - w + 1);
                return new CropBox(top, left, h, w);
            }
        }

        var inRatio = (double)width / height;
        var (cropHeight, cropWidth) = inRatio < MinRatio ? ((int)Math.Round(width / MinRatio), width)
            : inRatio > MaxRatio ? (height, (int)Math.Round(height * MaxRatio))
            : (height, width);
        return new CropBox((height - cropHeight) / 2, (width - cropWidth) / 2, cropHeight, cropWidth);
    }

    /// <summary>Throws when the ranges are empty or out of bounds.</summary>
    internal void Validate()
    {
        if (!(MinScale > 0f && MinScale <= MaxScale && MaxScale <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(MinScale), $"RandomResizedCrop needs 0 < MinScale <= MaxScale <= 1; got {MinScale}..{MaxScale}.");
        }

        if (!(MinRatio > 0f && MinRatio <= MaxRatio && float.IsFinite(MaxRatio)))
        {
            throw new ArgumentOutOfRangeException(nameof(MinRatio), $"RandomResizedCrop needs 0 < MinRatio <= MaxRatio; got {MinRatio}..{MaxRatio}.");
        }
    }

    private static double Uniform(SeededRandom random, double low, double high) => low + ((high - low) * random.NextDouble());
}
