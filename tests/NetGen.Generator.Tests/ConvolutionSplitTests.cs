using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Each convolution's share of the cores is decided at compile time and written, with its reason,
/// beside the call it configures: the batch split while its partial weight gradients stay within
/// budget, the product split past it.
/// </summary>
public sealed class ConvolutionSplitTests
{
    [Fact]
    public void SmallWeightGradientsSplitTheBatchAndLargeOnesSplitTheProduct()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy), Input(512, 4, 4)]
            public partial class Net
            {
                [Conv2D(8, 3, Activation.ReLU)] public partial Conv2D Narrow { get; }
                [Conv2D(512, 1)] public partial Conv2D Widen { get; }
                [Conv2D(512, 2, Activation.ReLU)] public partial Conv2D Wide { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(3)] public partial Dense Output { get; }
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.CompilationProblems);
        var cpu = run.Sources["Net.g.cs"];
        // Narrow: 8 partials of [8, 4608] = 294,912 floats; Widen: 8 of [512, 8]; Wide: 8 of [512, 2048] = 8,388,608 > 2,097,152.
        Assert.Equal(2, Count(cpu, "// Parallel plan: split the batch: up to 8 groups of whole samples run on the cores, each with its own im2col, products and col2im; dweight adds the groups' partial [8, 4608] sums in group order."));
        Assert.Equal(2, Count(cpu, "dweight adds the groups' partial [512, 8] sums in group order."));
        Assert.Equal(2, Count(cpu, "// Parallel plan: split each product over the cores: 8 partial weight gradients [512, 2048] (8,388,608 floats) would pass the 2,097,152-float budget."));
        Assert.Equal(4, Count(cpu, "sampleGroups: 8);"));
        Assert.Equal(2, Count(cpu, "sampleGroups: 1);"));
    }

    private static int Count(string text, string part) =>
        Enumerable.Range(0, text.Length - part.Length + 1).Count(i => string.CompareOrdinal(text, i, part, 0, part.Length) == 0);
}
