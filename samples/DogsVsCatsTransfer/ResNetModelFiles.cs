using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace NetGen.Samples.DogsVsCatsTransfer;

/// <summary>The ONNX files of the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1, which this project downloads at restore.</summary>
public static class ResNetModelFiles
{
    /// <summary>The package's <c>tools/DnnImageModels</c> folder, as restore placed it.</summary>
    public static string ModelsFolder { get; } = typeof(ResNetModelFiles).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18Models").Value!;

    /// <summary>ResNet-18 without its classifier: [3, 224, 224] BGR minus the mean image → [512, 1, 1].</summary>
    public static string ResNet18 => Existing(Path.Combine(ModelsFolder, "ResNet18Onnx", "ResNet18.onnx"));

    /// <summary>The preprocessing the network expects: RGB in 0–255 → BGR minus a per-pixel mean image.</summary>
    public static string Preprocess => Existing(Path.Combine(ModelsFolder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));

    private static string Existing(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"'{path}' is missing: restore this project (dotnet restore) to download the package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, or pass --model.", path);
}
