using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using Xunit;

namespace NetGen.Runtime.Tests.Checkpoints;

/// <summary>A save killed mid-write leaves its temporary behind; the next save of the same target removes it, and nothing else.</summary>
public sealed class StaleTemporaryTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void SaveRemovesTheTemporariesOfKilledSavesOfTheSameTarget()
    {
        var path = files.PathOf("model.safetensors");
        var deadWriter = ExitedProcessId();
        var killed = Temporary("model.safetensors", $"{deadWriter}.{Guid.NewGuid():N}");
        var killedByAnOldVersion = Temporary("model.safetensors", Guid.NewGuid().ToString("N"));

        Checkpoint.Save(path, new TinyClassifier());

        Assert.False(File.Exists(killed));
        Assert.False(File.Exists(killedByAnOldVersion));
        Assert.Equal(new[] { path }, Directory.GetFiles(files.Directory));
    }

    [Fact]
    public void SaveLeavesLiveWritersAndOtherFilesAlone()
    {
        var path = files.PathOf("model.safetensors");
        var deadWriter = ExitedProcessId();
        string[] kept =
        [
            Temporary("model.safetensors", $"{Environment.ProcessId}.{Guid.NewGuid():N}"),
            Temporary("other.safetensors", $"{deadWriter}.{Guid.NewGuid():N}"),
            Temporary("model.safetensors.bak", $"{deadWriter}.{Guid.NewGuid():N}"),
            Temporary("model.safetensors", $"{deadWriter}.not-a-guid"),
            Temporary("model.safetensors", $"x{deadWriter}.{Guid.NewGuid():N}"),
            Create("model.safetensors.tmp"),
            Create("notes.tmp"),
        ];
        var heldOpen = Temporary("model.safetensors", $"{deadWriter}.{Guid.NewGuid():N}");

        // A writer whose process id means nothing here (another container sharing the folder) still holds its file.
        using (new FileStream(heldOpen, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            Checkpoint.Save(path, new TinyClassifier());
        }

        Assert.All(kept.Append(heldOpen), file => Assert.True(File.Exists(file), $"'{Path.GetFileName(file)}' was deleted."));
        Assert.Equal(kept.Length + 2, Directory.GetFiles(files.Directory).Length);
    }

    [Fact]
    public void TheTemporaryNameCarriesTheWritersProcessId()
    {
        var path = files.PathOf("model.safetensors");
        string? seen = null;

        AtomicFile.Write(path, stream =>
        {
            seen = Directory.GetFiles(files.Directory).Single();
            stream.WriteByte(1);
        });

        Assert.Matches($@"^\.model\.safetensors\.{Environment.ProcessId}\.[0-9a-f]{{32}}\.tmp$", Path.GetFileName(seen));
    }

    private string Temporary(string target, string writer) => Create($".{target}.{writer}.tmp");

    private string Create(string name)
    {
        var file = files.PathOf(name);
        File.WriteAllBytes(file, new byte[64]);
        return file;
    }

    /// <summary>The id of a process that has exited, as a killed save's would be.</summary>
    private static int ExitedProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }
}
