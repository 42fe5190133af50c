using System;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Xunit;

namespace NetGen.Import.Tests;

/// <summary>Runs models in ONNX Runtime, and compares NetGen's outputs with its own.</summary>
internal static class OnnxRuntimeReference
{
    /// <summary>The output of <paramref name="model"/> (bytes of an ONNX file) for a batch of <paramref name="batch"/> samples of <paramref name="sampleShape"/>.</summary>
    public static float[] Run(byte[] model, float[] inputs, int batch, int[] sampleShape)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model, options);
        var input = new DenseTensor<float>(inputs, [batch, .. sampleShape]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
        return [.. results.Single().AsEnumerable<float>()];
    }

    /// <summary>As <see cref="Run(byte[], float[], int, int[])"/>, one sample at a time, for models saved with a batch of 1.</summary>
    public static float[] RunSampleBySample(byte[] model, float[] inputs, int batch, int[] sampleShape)
    {
        var size = inputs.Length / batch;
        return [.. Enumerable.Range(0, batch).SelectMany(i => Run(model, inputs[(i * size)..((i + 1) * size)], 1, sampleShape))];
    }

    public static float[] Run(ModelProto model, float[] inputs, int batch, int[] sampleShape) => Run(model.ToByteArray(), inputs, batch, sampleShape);

    /// <summary>
    /// Each value within 1e-4 of ONNX Runtime's, relative to the larger of its own magnitude and the
    /// output's mean magnitude (so values that cancel to near zero are judged on the output's scale).
    /// </summary>
    public static void AssertClose(float[] expected, float[] actual, double relative = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Average(v => Math.Abs((double)v));
        Assert.True(scale > 0, "The reference output is all zeros, which proves nothing.");
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = relative * Math.Max(Math.Abs((double)expected[i]), scale);
            Assert.True(Math.Abs(expected[i] - (double)actual[i]) <= tolerance, $"Output {i}: NetGen {actual[i]}, ONNX Runtime {expected[i]} (tolerance {tolerance:G3}).");
        }
    }
}
