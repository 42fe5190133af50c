using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text.RegularExpressions;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// The NetGen package as a newcomer uses it: pack the repository, reference the one package from a
/// fresh console project outside the repository, see a shape error as a build error at the right
/// line, fix it, build and run a training step. Slow (it runs dotnet pack, restore and two builds),
/// so it carries the "Package" category: <c>--filter "Category!=Package"</c> leaves it out.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("netgen-package-").FullName;

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
        var feed = Path.Combine(_work, "feed");
        var consumer = Path.Combine(_work, "Consumer");
        Directory.CreateDirectory(consumer);
        Run(RepositoryPaths.Root, $"pack src/NetGen.Runtime -c {Configuration} --no-build -o \"{feed}\"", expectSuccess: true);

        File.WriteAllText(Path.Combine(consumer, "nuget.config"), NuGetConfig(feed, Path.Combine(_work, "packages")));
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NetGen" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
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

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static string Configuration =>
        typeof(PackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The local feed first; installed packages (the runtime's dependencies) come from the machine's cache without a download.</summary>
    private static string NuGetConfig(string feed, string packages)
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
              <packageSources>
                <clear />
                <add key="netgen" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{cache}" />
              </fallbackPackageFolders>
            </configuration>
            """;
    }

    private string Run(string directory, string arguments, bool expectSuccess)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var text = stdout + stderr.Result;
        output.WriteLine($"$ dotnet {arguments}  (in {directory}, exit {process.ExitCode})\n{text}");
        Assert.True((process.ExitCode == 0) == expectSuccess, $"dotnet {arguments} exited {process.ExitCode}, expected {(expectSuccess ? "success" : "failure")}:\n{text}");
        return text;
    }
}
