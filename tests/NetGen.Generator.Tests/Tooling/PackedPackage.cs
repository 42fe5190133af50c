using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// The NetGen package packed once for the tests that consume it as a user would, into a temporary
/// feed, with a <c>nuget.config</c> above every consumer project made here. Each run has its own
/// package cache, so a repacked package of the same version is never served stale from the
/// machine's cache.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public PackedPackage()
    {
        Work = Directory.CreateTempSubdirectory("netgen-package-").FullName;
        var feed = Path.Combine(Work, "feed");
        Dotnet.Run(RepositoryPaths.Root, $"pack src/NetGen.Runtime -c {Configuration} --no-build -o \"{feed}\"", log: null, expectSuccess: true);
        var package = Path.GetFileNameWithoutExtension(Directory.GetFiles(feed, "NetGen.*.nupkg").Single());
        Version = package["NetGen.".Length..];
        File.WriteAllText(Path.Combine(Work, "nuget.config"), NuGetConfig(feed, Path.Combine(Work, "packages")));
    }

    /// <summary>A temporary folder holding the feed, the package cache and the consumer projects.</summary>
    public string Work { get; }

    /// <summary>The packed package's version, as a consumer's <c>PackageReference</c> names it.</summary>
    public string Version { get; }

    /// <summary>The configuration the tests (and so the packed assemblies) were built in.</summary>
    public static string Configuration =>
        typeof(PackedPackage).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>
    /// A new console project referencing the package, the way a user's project does (nullable on, no
    /// implicit usings, so each code needs its own usings), with warnings as errors, in the folder
    /// <paramref name="folder"/> of <see cref="Work"/> and named after its last part.
    /// </summary>
    public string NewConsumer(string folder)
    {
        var directory = Path.Combine(Work, folder);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, Path.GetFileName(directory) + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="NetGen" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        return directory;
    }

    public void Dispose() => Directory.Delete(Work, recursive: true);

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
}

/// <summary>The tests that consume <see cref="PackedPackage"/>: they share one pack and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Package";
}

/// <summary>Runs the dotnet CLI (or a built program through it) and returns its output.</summary>
internal static class Dotnet
{
    /// <summary>
    /// Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="directory"/>, logs the
    /// command and its output, and asserts that it succeeded or failed as expected.
    /// </summary>
    public static string Run(string directory, string arguments, ITestOutputHelper? log, bool expectSuccess)
    {
        var (exitCode, text) = Start(directory, arguments, TimeSpan.FromMinutes(5));
        log?.WriteLine($"$ dotnet {arguments}  (in {directory}, exit {exitCode})\n{text}");
        Assert.True((exitCode == 0) == expectSuccess, $"dotnet {arguments} exited {exitCode}, expected {(expectSuccess ? "success" : "failure")}:\n{text}");
        return text;
    }

    /// <summary>
    /// Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="directory"/>: its exit code
    /// and its output, stdout then stderr. A run past <paramref name="timeout"/> is killed and
    /// reported with exit code −1 and a last line saying so.
    /// </summary>
    public static (int ExitCode, string Output) Start(string directory, string arguments, TimeSpan timeout)
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
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"{stdout.Result}{stderr.Result}\nkilled after {timeout.TotalSeconds:F0} s");
        }

        process.WaitForExit(); // the parameterless wait also drains the redirected streams
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
