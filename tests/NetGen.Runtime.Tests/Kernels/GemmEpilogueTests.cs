using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

public class GemmEpilogueTests
{
    // k = 800 spans three 384-deep blocks, so an epilogue applied per block rather than once after the
    // whole sum would show; m and n leave edge tiles for every kernel.
    private const int M = 29, N = 45, K = 800;

    public static IEnumerable<object[]> Cases()
    {
        var rowBias = GemmReference.Random(M, 11);
        var columnBias = GemmReference.Random(N, 12);
        var savedOutputs = GemmReference.Random(M * N, 13);
        var epilogues = new List<GemmReference.Epilogue>
        {
            new(rowBias, null, Activation.None, Activation.None, null, "row bias"),
            new(null, columnBias, Activation.None, Activation.None, null, "column bias"),
            new(rowBias, columnBias, Activation.ReLU, Activation.None, null, "both biases + ReLU"),
        };
        // Every elementwise activation, so a new one is checked in the fused epilogue without an edit here.
        foreach (var activation in Enum.GetValues<Activation>().Where(a => a != Activation.None && Activations.IsElementwise(a)))
        {
            epilogues.Add(new(null, null, activation, Activation.None, null, $"{activation}"));
            epilogues.Add(new(null, null, Activation.None, activation, savedOutputs, $"derivative of {activation}"));
        }

        foreach (GemmKernelKind kernel in Enum.GetValues<GemmKernelKind>())
        {
            if (GemmKernel.IsSupported(kernel))
            {
                foreach (var epilogue in epilogues)
                {
                    yield return [kernel.ToString(), epilogue];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Epilogue_is_applied_once_after_the_full_sum(string kernelName, GemmReference.Epilogue epilogue)
    {
        var kernel = Enum.Parse<GemmKernelKind>(kernelName);
        var a = GemmReference.Random(M * K, 14);
        var b = GemmReference.Random(K * N, 15);
        var initial = GemmReference.Random(M * N, 16);
        foreach (var accumulate in new[] { false, true })
        {
            var c = (float[])initial.Clone();
            Gemm.MultiplyFloat(false, true, M, N, K, a, b, c, accumulate, epilogue.ToGemm(), kernel, maxThreads: 1);
            var (expected, scale) = GemmReference.Multiply(false, true, M, N, K, a, b, initial, accumulate, epilogue);
            GemmReference.AssertClose(expected, scale, c, $"{kernel} {epilogue} acc={accumulate}");
        }
    }
}
