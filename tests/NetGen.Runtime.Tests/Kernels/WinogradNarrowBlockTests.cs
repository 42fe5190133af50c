using System;
using System.Runtime.Intrinsics.X86;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// Winograd's products in blocks of 32 tiles when a whole batch has no more (one image through the
/// MNIST CNN's conv2: 25 tiles), else 48: a tile's value must not depend on the width of its block.
/// </summary>
public sealed class WinogradNarrowBlockTests
{
    [Theory]
    [InlineData(1, 32)]
    [InlineData(25, 32)]
    [InlineData(32, 32)]
    [InlineData(33, 48)]
    [InlineData(75, 48)]
    public void A_batch_of_at_most_32_tiles_takes_one_narrow_block(int tiles, int width) =>
        Assert.Equal(width, WinogradTilesFloat.BlockWidth(tiles));

    [Fact]
    public void One_image_in_a_narrow_block_equals_the_same_image_in_a_batch_of_wide_blocks_bitwise()
    {
        var g = new WindowGeometry(16, 13, 13, 3, 1, 0);
        const int filters = 32;
        var pool = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, 2, 2, 0);
        var pooledSize = filters * pool.OutputPlane;
        const int batch = 3;
        var x = Random(batch * g.InputSize, 71);
        var weight = Random(filters * g.PatchSize, 72);
        var bias = Random(filters, 73);
        var y = new float[batch * pooledSize];
        var positions = new int[y.Length];
        WinogradPooledConvolution.Forward<float>(x, weight, bias, y, positions, batch, g, filters, pool);
        for (var s = 0; s < batch; s++)
        {
            var one = new float[pooledSize];
            var onePositions = new int[pooledSize];

            WinogradPooledConvolution.Forward<float>(x.AsSpan(s * g.InputSize, g.InputSize), weight, bias, one, onePositions, 1, g, filters, pool);

            Assert.Equal(y.AsSpan(s * pooledSize, pooledSize).ToArray(), one);
            Assert.Equal(positions.AsSpan(s * pooledSize, pooledSize).ToArray(), onePositions);
        }

        Assert.True(!Avx512F.IsSupported || WinogradTilesFloat.BlockWidth(25) < WinogradTilesFloat.BlockWidth(batch * 25), "the batch and the single image ran blocks of one width");
    }
}
