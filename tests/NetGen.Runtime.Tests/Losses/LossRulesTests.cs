using System;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Losses;

/// <summary>A hand-written network's Loss outside the enum is named in the error, not taken for a regressor.</summary>
public sealed class LossRulesTests
{
    [Fact]
    public void ANumberOutsideTheEnumIsRefusedByName()
    {
        var labels = Assert.Throws<ArgumentOutOfRangeException>(() => LossRules.TakesLabels((Loss)42));
        var link = Assert.Throws<ArgumentOutOfRangeException>(() => LossRules.Link((Loss)(-1)));

        Assert.StartsWith("42 is not a Loss value.", labels.Message);
        Assert.Equal("loss", labels.ParamName);
        Assert.StartsWith("-1 is not a Loss value.", link.Message);
    }
}
