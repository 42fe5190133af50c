using System;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels.Threading;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// Winograd's products in blocks of 32 tiles when a whole batch has no more (one image through the
/// MNIST CNN's conv2: 25 tiles), else 48: a tile's value must not depend on the width of its block; and
/// chunks of whole blocks that two cores share evenly.
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

    [Theory]
    [InlineData(1600, 16)] // the MNIST CNN's conv2 at batch 64: 34 blocks, once cut 10, 10, 10, 4 (two cores: 20 and 14)
    [InlineData(1156 * 32, 32)] // Chollet's conv2 at batch 32
    [InlineData(289 * 32, 64)] // conv3
    public void Two_cores_share_the_chunks_within_a_fifth_and_every_tile_once(int total, int channels)
    {
        var chunkTiles = WinogradTilesFloat.ChunkTiles(total, channels, cores: 2);
        var chunks = (total + chunkTiles - 1) / chunkTiles;
        var share = new int[2];
        for (var part = 0; part < 2; part++)
        {
            var (first, end) = StepParallel.Range(chunks, part, 2);
            for (var chunk = first; chunk < end; chunk++)
            {
                share[part] += Math.Min(chunkTiles, total - (chunk * chunkTiles));
            }
        }

        Assert.Equal(0, chunkTiles % WinogradTilesFloat.BlockWidth(total));
        Assert.Equal(total, share[0] + share[1]);
        Assert.True(Math.Max(share[0], share[1]) <= 1.2 * Math.Min(share[0], share[1]), $"{share[0]} and {share[1]} tiles in chunks of {chunkTiles}");
    }

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
