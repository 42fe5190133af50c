using System.Linq;
using NetGen.Data.Images;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

public class AugmentationTests
{
    private const int Size = 12;

    private static readonly ImageAugmentation Everything = new()
    {
        HorizontalFlipProbability = 0.5f,
        VerticalFlipProbability = 0.5f,
        ResizedCrop = new RandomResizedCrop(),
        RotationDegrees = 15f,
        Brightness = 0.2f,
        Contrast = 0.2f,
    };

    [Fact]
    public void Same_seed_gives_the_same_tensor_and_another_seed_a_different_one()
    {
        var source = Gradient(20, 16);

        var first = Augment(Everything, source, 20, 16, seed: 42);
        var again = Augment(Everything, source, 20, 16, seed: 42);
        var other = Augment(Everything, source, 20, 16, seed: 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_certain_horizontal_flip_mirrors_the_resized_image()
    {
        var source = Gradient(Size, Size);

        var flipped = Augment(new ImageAugmentation { HorizontalFlipProbability = 1f }, source, Size, Size, seed: 1);

        var expected = (float[])source.Clone();
        ImageOps.FlipHorizontal(expected, 3, Size, Size);
        Assert.Equal(expected, flipped);
    }

    [Fact]
    public void Resized_crop_falls_back_to_a_center_crop_after_ten_misses()
    {
        // A 1:1 crop of the whole 10x20 area (14x14) never fits, so the center 10x10 square is used.
        var crop = new RandomResizedCrop { MinScale = 1f, MaxScale = 1f, MinRatio = 1f, MaxRatio = 1f };

        Assert.Equal(new CropBox(0, 5, 10, 10), crop.Sample(10, 20, new SeededRandom(3)));
    }

    [Fact]
    public void Resized_crops_stay_inside_the_image_and_respect_the_scale_range()
    {
        var crop = new RandomResizedCrop { MinScale = 0.25f, MaxScale = 0.5f };
        var random = new SeededRandom(9);

        foreach (var box in Enumerable.Range(0, 200).Select(_ => crop.Sample(40, 60, random)))
        {
            Assert.InRange(box.Top, 0, 40 - box.Height);
            Assert.InRange(box.Left, 0, 60 - box.Width);
            Assert.InRange(box.Height * box.Width, (0.25 * 2400) - 80, (0.5 * 2400) + 80); // rounding of the sides
        }
    }

    [Fact]
    public void Invalid_ranges_are_rejected_by_name()
    {
        var bad = new ImageAugmentation { HorizontalFlipProbability = 1.5f };

        var error = Assert.Throws<System.ArgumentOutOfRangeException>(() => Augment(bad, Gradient(4, 4), 4, 4, 0));
        Assert.Equal(nameof(ImageAugmentation.HorizontalFlipProbability), error.ParamName);
    }

    private static float[] Augment(ImageAugmentation augmentation, float[] source, int height, int width, ulong seed)
    {
        var output = new float[3 * Size * Size];
        augmentation.Apply(source, height, width, output, Size, Size, new SeededRandom(seed));
        return output;
    }

    /// <summary>An RGB image whose channels vary differently along x and y, so any geometric change shows.</summary>
    private static float[] Gradient(int height, int width)
    {
        var image = new float[3 * height * width];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    image[(((c * height) + y) * width) + x] = ((c + 1) * (x + (2 * y)) % 17) / 17f;
                }
            }
        }

        return image;
    }
}
