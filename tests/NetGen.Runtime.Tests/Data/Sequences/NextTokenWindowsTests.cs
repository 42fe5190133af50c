using System;
using System.Linq;
using NetGen.Data.Sequences;
using Xunit;

namespace NetGen.Runtime.Tests.Data.Sequences;

/// <summary>Windows of token ids labelled with the next id, for a character-level language model.</summary>
public sealed class NextTokenWindowsTests
{
    private static readonly int[] Tokens = [2, 3, 4, 5, 6, 7, 8, 9];

    [Fact]
    public void Each_sample_is_the_ids_before_its_target_as_floats_labelled_with_the_target()
    {
        var windows = new NextTokenWindows(Tokens, classCount: 10, window: 3, stride: 2);

        Assert.Equal([3, 5, 7], Enumerable.Range(0, windows.Count).Select(windows.TargetPosition));
        Assert.Equal([3], windows.SampleShape);
        Assert.Equal(10, windows.ClassCount);
        var input = new float[3];
        Assert.Equal(7, windows.Read(1, input, augmentationSeed: 0));
        Assert.Equal([4, 5, 6], input);
    }

    [Fact]
    public void A_validation_range_takes_the_later_targets_and_reads_back_into_the_training_text()
    {
        var validation = new NextTokenWindows(Tokens, classCount: 10, window: 4, targets: 6..);

        Assert.Equal([6, 7], Enumerable.Range(0, validation.Count).Select(validation.TargetPosition));
        var input = new float[4];
        Assert.Equal(8, validation.Read(0, input, 0));
        Assert.Equal([4, 5, 6, 7], input);
    }

    [Theory]
    [InlineData(8, 1, "window")]
    [InlineData(0, 1, "window")]
    [InlineData(3, 0, "stride")]
    public void A_bad_argument_is_an_error_naming_it(int window, int stride, string argument)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new NextTokenWindows(Tokens, 10, window, stride));

        Assert.Equal(argument, error.ParamName);
    }

    [Fact]
    public void An_id_outside_the_vocabulary_is_an_error_naming_its_position()
    {
        var error = Assert.Throws<ArgumentException>(() => new NextTokenWindows(Tokens, classCount: 9, window: 2));

        Assert.Equal("tokens", error.ParamName);
        Assert.StartsWith("Token 7 is the id 9, outside the 9 ids of the vocabulary.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_range_no_window_fits_is_an_error_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new NextTokenWindows(Tokens, classCount: 10, window: 4, targets: ..4));

        Assert.Equal("targets", error.ParamName);
    }
}
