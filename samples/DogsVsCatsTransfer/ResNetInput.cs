using System;
using NetGen.Import;

namespace NetGen.Samples.DogsVsCatsTransfer;

/// <summary>
/// What ResNetPreprocess.onnx does to an image before ResNet18.onnx sees it: RGB planes in 0–255
/// become BGR planes minus the model's per-pixel mean image (<c>MeanImage</c>, [1, 3, 224, 224], BGR).
/// </summary>
public sealed class ResNetInput
{
    /// <summary>The side of the square images the network takes.</summary>
    public const int Size = 224;

    private const int Plane = Size * Size;
    private readonly float[] mean;

    private ResNetInput(float[] mean) => this.mean = mean;

    /// <summary>Reads the mean image of the preprocessing model at <paramref name="path"/>.</summary>
    public static ResNetInput Load(string path)
    {
        var (shape, values) = OnnxInitializers.Read(path, "MeanImage");
        if (values.Length != 3 * Plane)
        {
            throw new InvalidOperationException($"'{path}': MeanImage has shape [{string.Join(", ", shape)}], not [1, 3, {Size}, {Size}].");
        }

        return new ResNetInput(values);
    }

    /// <summary>Turns one RGB image [3, 224, 224] in 0–255 into the network's input, in place.</summary>
    public void Apply(Span<float> image)
    {
        if (image.Length != 3 * Plane)
        {
            throw new ArgumentException($"An image has {3 * Plane} values ([3, {Size}, {Size}]), not {image.Length}.", nameof(image));
        }

        for (var i = 0; i < Plane; i++)
        {
            (image[i], image[(2 * Plane) + i]) = (image[(2 * Plane) + i], image[i]);
        }

        for (var i = 0; i < image.Length; i++)
        {
            image[i] -= mean[i];
        }
    }
}
