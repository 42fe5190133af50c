using System;
using System.Globalization;
using System.IO;
using NetGen.Checkpoints;
using NetGen.Optimizers;

namespace NetGen.Samples.DogsVsCats;

/// <summary>
/// The files a run keeps in its output folder: the best epoch's checkpoint, the last epoch's (so
/// <c>--resume</c> can continue after a crash or a stop), the per-epoch log and the plots.
/// </summary>
internal sealed record RunFiles(string Directory)
{
    public string Best => Path.Combine(Directory, "best.safetensors");

    public string Last => Path.Combine(Directory, "last.safetensors");

    public string Log => Path.Combine(Directory, "history.csv");

    public string Curves => Path.Combine(Directory, "curves.svg");

    public string Confusion => Path.Combine(Directory, "confusion.svg");

    /// <summary>
    /// Loads the last epoch's checkpoint into <paramref name="model"/> and <paramref name="optimizer"/>;
    /// returns the epochs it had done and the best validation accuracy saved so far, if any.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder holds no run to resume.</exception>
    public (int EpochsDone, double? BestAccuracy) Resume(INetwork model, Optimizer optimizer)
    {
        if (!File.Exists(Last))
        {
            throw new FileNotFoundException($"Nothing to resume in '{Directory}': '{Last}' does not exist (a run writes it after every epoch).", Last);
        }

        Checkpoint.Load(Last, model, optimizer);
        var epochs = SavedEpoch(Last) ?? throw new InvalidDataException($"'{Last}' does not record how many epochs it holds (metadata 'epoch').");
        return (epochs, File.Exists(Best) ? Number(Best, "val_accuracy") : null);
    }

    /// <summary>The epochs done when <paramref name="path"/> was saved (its 'epoch' metadata), or null.</summary>
    public static int? SavedEpoch(string path) =>
        Checkpoint.ReadMetadata(path).TryGetValue("epoch", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) ? epoch : null;

    private static double? Number(string path, string key) =>
        Checkpoint.ReadMetadata(path).TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
