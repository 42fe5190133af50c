using Xunit;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>The network the convolution-algorithm and pool-fusion tests plan: one convolution, one pooling, Flatten and Dense(3).</summary>
internal static class ConvolutionUnderPooling
{
    /// <summary>
    /// The generated CPU source of <paramref name="convolution"/> (a Conv2D attribute) then <paramref name="pooling"/>
    /// (a MaxPool2D or AvgPool2D attribute) over <c>[channels, 12, 12]</c>, after asserting that it generated and
    /// compiled without a problem.
    /// </summary>
    public static string Code(int channels, string convolution, string pooling)
    {
        var source = $$"""
            using NetGen;

            namespace Samples;

            [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 1)]
            [Input({{channels}}, 12, 12)]
            public partial class Net
            {
                {{convolution}} public partial Conv2D Conv { get; }
                {{pooling}} public partial {{pooling[1..pooling.IndexOf('(')]}} Pool { get; }
                [Flatten] public partial Flatten Features { get; }
                [Dense(3)] public partial Dense Output { get; }
            }
            """;
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.CompilationProblems);
        return run.Sources["Samples.Net.g.cs"];
    }
}
