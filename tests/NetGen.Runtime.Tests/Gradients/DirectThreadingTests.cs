using NetGen.Kernels;
using NetGen.Runtime.Tests.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// The direct pooled first layer's gradients on two threads are what one thread gives, bit for bit: each
/// sample group's partial is its own, and the partials are summed pairwise. In the GEMM tests'
/// collection, so no other test changes the thread count meanwhile.
/// </summary>
[Collection(nameof(GemmThreadingTests))]
public sealed class DirectThreadingTests
{
    [Fact]
    public void Pooled_first_layer_gradients_do_not_depend_on_the_threads()
    {
        // Chollet's conv1 on fewer rows, in three sample groups (8 + 8 + 1) summed pairwise.
        const int batch = 17, filters = 32;
        var g = new WindowGeometry(3, 21, 150, 3, 1, 0);
        var p = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, 2, 2, 0);
        var (x, weight, bias) = DirectConvolutionTests.Operands(batch, g, filters, seed: 13);
        var dy = DirectConvolutionTests.Values(batch * filters * p.OutputPlane, new SeededRandom(14));
        var y = new float[dy.Length];
        var at = new int[dy.Length];
        PooledConvolution.Forward<float>(x, weight, bias, y, at, batch, g, filters, p, ConvolutionAlgorithm.Direct);
        var threads = Gemm.MaxThreads;
        try
        {
            float[] oneDw = new float[weight.Length], oneDb = new float[filters], twoDw = new float[weight.Length], twoDb = new float[filters];
            Gemm.MaxThreads = 1;
            PooledConvolution.Backward<float>(dy, y, at, x, weight, oneDw, oneDb, default, batch, g, filters, p, Activation.None, default, algorithm: ConvolutionAlgorithm.Direct);
            Gemm.MaxThreads = 2;
            PooledConvolution.Backward<float>(dy, y, at, x, weight, twoDw, twoDb, default, batch, g, filters, p, Activation.None, default, algorithm: ConvolutionAlgorithm.Direct);
            Assert.Equal(oneDw, twoDw);
            Assert.Equal(oneDb, twoDb);
        }
        finally
        {
            Gemm.MaxThreads = threads;
        }
    }
}
