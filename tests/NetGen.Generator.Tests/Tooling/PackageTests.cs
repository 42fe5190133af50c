using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// The NetGen package as a newcomer uses it: reference the one package from a fresh console project
/// outside the repository, see a shape error as a build error at the right line, fix it, build and
/// run a training step. Slow (it packs, restores and builds twice), so it carries the "Package"
/// category: <c>--filter "Category!=Package"</c> leaves it out.
/// </summary>
[Trait("Category", "Package")]
[Collection(PackageCollection.Name)]
public sealed class PackageTests(PackedPackage package, ITestOutputHelper output)
{
    private const string BrokenNetwork = """
        using NetGen;

        namespace Consumer;

        [Network(Seed = 1)]
        [Input(1, 28, 28)]
        public partial class Digits
        {
            [Dense(10)] public partial Dense Output { get; }
        }
        """;

    private const string Program = """
        using System;
        using Consumer;

        var network = new Digits();
        var inputs = new float[2 * Digits.Layout.InputSize];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (i % 7) / 7f;
        }

        var loss = network.TrainStep(inputs, new[] { 3, 7 });
        Console.WriteLine(FormattableString.Invariant($"loss {loss}"));
        """;

    [Fact]
    public void ConsumerSeesTheShapeErrorThenTrainsAfterTheFix()
    {
        var consumer = package.NewConsumer("Consumer");
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), Program);
        var network = Path.Combine(consumer, "Digits.cs");
        File.WriteAllText(network, BrokenNetwork);

        var broken = Run(consumer, "build -nodeReuse:false", expectSuccess: false);
        Assert.Matches(new Regex(Regex.Escape(network) + @"\(9,6\): error NG0101: Layer 'Output' \(Dense\) expects a vector \[features\] per sample but 'input' produces \[1, 28, 28\]"), broken);

        File.WriteAllText(network, BrokenNetwork.Replace("    [Dense(10)]", "    [Flatten]   public partial Flatten Pixels { get; }\n    [Dense(10)]"));
        Run(consumer, "build -nodeReuse:false --no-restore", expectSuccess: true);
        var trained = Run(consumer, "run --no-build", expectSuccess: true);

        var loss = float.Parse(Regex.Match(trained, @"loss (?<value>\S+)").Groups["value"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(loss, 0.5f, 10f); // 10 classes at initialisation: about ln 10 ≈ 2.3
    }

    private string Run(string directory, string arguments, bool expectSuccess) =>
        Dotnet.Run(directory, arguments, output, expectSuccess);
}
