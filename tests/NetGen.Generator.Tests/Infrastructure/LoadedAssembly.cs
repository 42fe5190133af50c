using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Xunit;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>A generator run's compilation emitted and loaded into a collectible context, so tests can run the networks it declares.</summary>
internal sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context = new("NetGenTest", isCollectible: true);

    public LoadedAssembly(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        Assembly = _context.LoadFromStream(image);
    }

    public Assembly Assembly { get; }

    /// <summary>A new instance of the network type with this full metadata name (e.g. <c>Outer+Net</c>).</summary>
    public INetwork Create(string metadataName) =>
        (INetwork)Activator.CreateInstance(Assembly.GetType(metadataName, throwOnError: true)!, nonPublic: true)!;

    /// <summary>Trains one step on a batch of two made-up samples with label 0 and returns the loss.</summary>
    public static float TrainOneStep(INetwork network)
    {
        var inputs = Enumerable.Range(0, 2 * network.InputSize).Select(i => (i % 5) / 5f - 0.4f).ToArray();
        return network.TrainStep(inputs, new int[2]);
    }

    public void Dispose() => _context.Unload();
}
