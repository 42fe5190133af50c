namespace NetGen.Data;

/// <summary>Reads the MNIST IDX files (gzipped or not) into flat arrays.</summary>
public static class MnistReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (count, rows, cols).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Side of an MNIST image in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>Pixels per MNIST image.</summary>
    public const int ImageSize = ImageSide * ImageSide;

    /// <summary>Number of digit classes.</summary>
    public const int ClassCount = 10;

    /// <summary>
    /// Reads an images file: returns count * 784 floats, row-major per image, scaled from
    /// [0, 255] to [0, 1]. Throws <see cref="DataFormatException"/> naming the file when it is
    /// malformed or its images are not 28x28.
    /// </summary>
    public static float[] ReadImages(string path)
    {
        var (dimensions, data) = IdxFile.Read(path, ImagesMagic);
        if (dimensions[1] != ImageSide || dimensions[2] != ImageSide)
        {
            throw new DataFormatException(path, $"'{path}' holds {dimensions[1]}x{dimensions[2]} images but MNIST images are {ImageSide}x{ImageSide}.");
        }

        var pixels = new float[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            pixels[i] = data[i] / 255f;
        }

        return pixels;
    }

    /// <summary>
    /// Reads a labels file: one int per sample. Throws <see cref="DataFormatException"/> naming
    /// the file when it is malformed or a label lies outside [0, 10).
    /// </summary>
    public static int[] ReadLabels(string path)
    {
        var (_, data) = IdxFile.Read(path, LabelsMagic);
        var labels = new int[data.Length];
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] >= ClassCount)
            {
                throw new DataFormatException(path, $"'{path}': label {i} is {data[i]}, outside the digit classes 0-9.");
            }

            labels[i] = data[i];
        }

        return labels;
    }
}
