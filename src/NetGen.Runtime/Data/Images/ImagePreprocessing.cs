using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;

namespace NetGen.Data.Images;

/// <summary>
/// Turns one JPEG into a network input the way an <see cref="ImageFolderDataset"/> with the same
/// <see cref="ImageFolderOptions"/> reads a sample without augmentation: decode (grayscale and CMYK
/// to RGB) at the smallest DCT scale that covers the working size (as Pillow's <c>draft</c> does),
/// resize (bilinear, antialiased) to the working size and round to 8 bits, resize to
/// <c>Height x Width</c>, scale to [0, 1], normalise. Use it to predict a photo with the
/// preprocessing the network was trained with; <see cref="Grayscale"/> makes MNIST-style inputs.
/// </summary>
/// <example><code>
/// var preprocessing = new ImagePreprocessing(new ImageFolderOptions { Height = 150, Width = 150 });
/// var probability = model.Predict(preprocessing.Load("my-cat.jpg"))[0];
/// </code></example>
public sealed class ImagePreprocessing
{
    private readonly int _channels;
    private readonly int _height;
    private readonly int _width;
    private readonly int _workingHeight;
    private readonly int _workingWidth;
    private readonly float[]? _mean;
    private readonly float[]? _std;
    private readonly bool _acceptDecoderWarnings;

    /// <summary>The RGB preprocessing of an <see cref="ImageFolderDataset"/> opened with <paramref name="options"/> (its augmentation is not applied).</summary>
    public ImagePreprocessing(ImageFolderOptions options)
        : this(3, Validated(options))
    {
    }

    private ImagePreprocessing(int channels, ImageFolderOptions options)
    {
        _channels = channels;
        _height = options.Height;
        _width = options.Width;
        _workingHeight = options.WorkingHeight ?? options.Height;
        _workingWidth = options.WorkingWidth ?? options.Width;
        _mean = options.Mean is null ? null : [.. options.Mean];
        _std = options.Std is null ? null : [.. options.Std];
        _acceptDecoderWarnings = options.AcceptDecoderWarnings;
        SampleShape = [channels, _height, _width];
    }

    /// <summary>The shape of one sample: <c>[channels, Height, Width]</c>.</summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>Floats in one sample.</summary>
    public int SampleSize => _channels * _height * _width;

    /// <summary>
    /// One-channel samples of <paramref name="height"/> x <paramref name="width"/> luma values in [0, 1],
    /// as MNIST's <c>[1, 28, 28]</c>: colour is reduced to luma as Pillow's <c>convert("L")</c> does
    /// (ITU-R 601), so a grayscale JPEG keeps its values exactly. MNIST digits are white on black:
    /// a photo of a dark digit on paper must be inverted (<c>1 - value</c>) to look like them.
    /// </summary>
    public static ImagePreprocessing Grayscale(int height, int width)
    {
        var options = new ImageFolderOptions { Height = height, Width = width };
        return new ImagePreprocessing(1, Validated(options));
    }

    /// <summary>Reads and preprocesses the JPEG file at <paramref name="path"/> into a new sample.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ImageDecodeException">The file is not a decodable JPEG; the exception names it.</exception>
    public float[] Load(string path)
    {
        var sample = new float[SampleSize];
        Load(path, sample);
        return sample;
    }

    /// <summary>Reads and preprocesses the JPEG file at <paramref name="path"/> into <paramref name="sample"/> (exactly <see cref="SampleSize"/> floats).</summary>
    public void Load(string path, Span<float> sample)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        CheckSampleLength(sample.Length, nameof(sample));
        Decode(File.ReadAllBytes(path), path, sample);
    }

    /// <summary>Preprocesses the JPEG bytes <paramref name="jpeg"/> into <paramref name="sample"/>; <paramref name="sourceName"/> names them in errors.</summary>
    public void Decode(ReadOnlySpan<byte> jpeg, string sourceName, Span<float> sample)
    {
        CheckSampleLength(sample.Length, nameof(sample));
        ToSample(ToWorkingImage(jpeg, sourceName), sample, augmentation: null, augmentationSeed: 0);
    }

    /// <summary>Decodes <paramref name="jpeg"/> and resizes it to the working size as 8-bit CHW: what the dataset caches.</summary>
    internal byte[] ToWorkingImage(ReadOnlySpan<byte> jpeg, string sourceName)
    {
        // Decoded at the smallest DCT scale that still covers the working size: the resize below only shrinks it further.
        var image = JpegDecoder.DecodeCovering(jpeg, sourceName, _workingWidth, _workingHeight, _acceptDecoderWarnings);
        var decodedLength = _channels * image.Height * image.Width;
        var workingLength = _channels * _workingHeight * _workingWidth;
        var decoded = ArrayPool<float>.Shared.Rent(decodedLength);
        var resized = ArrayPool<float>.Shared.Rent(workingLength);
        try
        {
            if (_channels == 1)
            {
                ToLuma(image, decoded.AsSpan(0, decodedLength));
            }
            else
            {
                ImageOps.ToChw(image, decoded.AsSpan(0, decodedLength));
            }

            ImageOps.Resize(decoded.AsSpan(0, decodedLength), _channels, image.Height, image.Width, resized.AsSpan(0, workingLength), _workingHeight, _workingWidth);
            var working = new byte[workingLength];
            for (var i = 0; i < workingLength; i++)
            {
                working[i] = (byte)Math.Clamp(MathF.Round(resized[i] * 255f), 0f, 255f);
            }

            return working;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(decoded);
            ArrayPool<float>.Shared.Return(resized);
        }
    }

    /// <summary>Scales a working image to [0, 1], augments it or resizes it to the sample size, and normalises it.</summary>
    internal void ToSample(byte[] working, Span<float> sample, ImageAugmentation? augmentation, ulong augmentationSeed)
    {
        var workingFloats = ArrayPool<float>.Shared.Rent(working.Length);
        try
        {
            var source = workingFloats.AsSpan(0, working.Length);
            ImageOps.ToUnitRange(working, source);

            if (augmentation is not null)
            {
                augmentation.Apply(source, _workingHeight, _workingWidth, sample, _height, _width, new SeededRandom(augmentationSeed));
            }
            else
            {
                ImageOps.Resize(source, _channels, _workingHeight, _workingWidth, sample, _height, _width);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(workingFloats);
        }

        if (_mean is not null && _std is not null)
        {
            ImageOps.Normalize(sample, _mean, _std);
        }
    }

    /// <summary>Throws unless a buffer of <paramref name="length"/> floats holds exactly one sample.</summary>
    internal void CheckSampleLength(int length, string argument)
    {
        if (length != SampleSize)
        {
            throw new ArgumentException($"Sample buffer must hold {SampleSize} floats ({_channels}x{_height}x{_width}); got {length}.", argument);
        }
    }

    private static ImageFolderOptions Validated(ImageFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    /// <summary>Pillow's integer luma (<c>L = R * 299/1000 + G * 587/1000 + B * 114/1000</c>, rounded), scaled to [0, 1].</summary>
    private static void ToLuma(RgbImage image, Span<float> plane)
    {
        var pixels = image.Pixels;
        for (var p = 0; p < plane.Length; p++)
        {
            var luma = ((pixels[p * 3] * 19595) + (pixels[(p * 3) + 1] * 38470) + (pixels[(p * 3) + 2] * 7471) + 0x8000) >> 16;
            plane[p] = luma / 255f;
        }
    }
}
