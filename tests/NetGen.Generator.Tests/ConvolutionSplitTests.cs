using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Each convolution's share of the cores is decided at compile time and written, with its reason,
/// beside the call it configures: the batch split (groups of 8 samples) while one group's partial
/// weight gradient stays within budget, the product split past it.
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
        // Per group of 8 samples, Narrow: a partial [8, 4608] = 36,864 floats; Widen: [512, 8]; Wide: [512, 2048] = 1,048,576 > 262,144.
        Assert.Equal(2, Count(cpu, "// Parallel plan: split the batch: groups of 8 whole samples (the last one shorter) run on the cores, each with its own im2col, products and col2im; dweight adds the groups' partial [8, 4608] sums pairwise in group order, so a batch and its contiguous shards in several processes form the same groups and sums."));
        Assert.Equal(2, Count(cpu, "dweight adds the groups' partial [512, 8] sums pairwise in group order"));
        Assert.Equal(2, Count(cpu, "// Parallel plan: split each product over the cores: a partial weight gradient [512, 2048] per group of 8 samples (1,048,576 floats) would pass the 262,144-float budget per group."));
        Assert.Equal(4, Count(cpu, "groupSamples: 8);"));
        Assert.Equal(2, Count(cpu, "groupSamples: 0);"));
    }

    private static int Count(string text, string part) =>
        Enumerable.Range(0, text.Length - part.Length + 1).Count(i => string.CompareOrdinal(text, i, part, 0, part.Length) == 0);
}
