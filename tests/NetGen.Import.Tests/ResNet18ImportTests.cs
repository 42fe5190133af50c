using System;
using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.Samples.DogsVsCatsTransfer;
using Xunit;

namespace NetGen.Import.Tests;

/// <summary>
/// The real ImageNet ResNet-18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18: the
/// sample's checked-in declaration is what the importer writes, and its features for real photos are
/// ONNX Runtime's.
/// </summary>
public sealed class ResNet18ImportTests
{
    private const string Namespace = "NetGen.Samples.DogsVsCatsTransfer";

    [Fact]
    public void TheSamplesDeclarationIsWhatTheImporterWrites()
    {
        var imported = OnnxImporter.Import(ResNetModelFiles.ResNet18, nameof(ResNet18), Namespace);

        var checkedIn = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "DogsVsCatsTransfer", "ResNet18.cs"));
        Assert.Equal(checkedIn.ReplaceLineEndings("\n"), imported.Source.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void FeaturesOfRealPhotosEqualOnnxRuntimes()
    {
        var photos = Photos(out var count);
        var network = new ResNet18();
        var weights = Path.Combine(Path.GetTempPath(), $"netgen-resnet18-{Guid.NewGuid():N}.safetensors");
        try
        {
            var imported = OnnxImporter.Import(ResNetModelFiles.ResNet18, nameof(ResNet18), Namespace);
            SafetensorsWriter.Write(weights, imported.Weights, imported.Metadata);
            Checkpoint.Load(weights, network);
        }
        finally
        {
            File.Delete(weights);
        }

        var features = new float[count * network.OutputSize];
        network.Forward(photos, features);

        var expected = OnnxRuntimeReference.RunSampleBySample(File.ReadAllBytes(ResNetModelFiles.ResNet18), photos, count, [3, 224, 224]);
        Assert.Equal(512, network.OutputSize);
        OnnxRuntimeReference.AssertClose(expected, features);
    }

    [Fact]
    public void PreprocessingEqualsResNetPreprocessOnnx()
    {
        const int Values = 3 * 224 * 224;
        var image = Enumerable.Range(0, Values).Select(i => (float)((i * 7919) % 256)).ToArray();

        var expected = OnnxRuntimeReference.Run(File.ReadAllBytes(ResNetModelFiles.Preprocess), image, 1, [3, 224, 224]);
        var actual = image.ToArray();
        ResNetInput.Load(ResNetModelFiles.Preprocess).Apply(actual);

        Assert.Equal(expected, actual);
    }

    /// <summary>Two cats and two dogs from the validation split, preprocessed, one after another.</summary>
    private static float[] Photos(out int count)
    {
        var zip = Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "dogs-vs-cats", "cats_and_dogs_filtered.zip");
        Assert.True(File.Exists(zip), $"The dogs-vs-cats photos are missing: {zip}.");
        var validation = ResNetImages.FromZip(zip, "validation", ResNetInput.Load(ResNetModelFiles.Preprocess));
        int[] indices = [0, 1, validation.Count - 2, validation.Count - 1];
        count = indices.Length;
        var photos = new float[count * 3 * 224 * 224];
        for (var i = 0; i < count; i++)
        {
            validation.Read(indices[i], photos.AsSpan(i * 3 * 224 * 224, 3 * 224 * 224), 0);
        }

        return photos;
    }
}
