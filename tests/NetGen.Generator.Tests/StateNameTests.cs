using NetGen.Generator.Parsing;
using Xunit;

namespace NetGen.Generator.Tests;

public sealed class StateNameTests
{
    [Theory]
    [InlineData("Hidden", "hidden")]
    [InlineData("Conv1", "conv1")]
    [InlineData("OutputLayer", "output_layer")]
    [InlineData("FC2", "fc2")]
    [InlineData("HTTPEncoder", "http_encoder")]
    [InlineData("fc", "fc")]
    public void PropertyNamesBecomePyTorchStateNames(string property, string expected) =>
        Assert.Equal(expected, StateNames.FromPropertyName(property));
}
