using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Data.Sequences;
using NetGen.Optimizers;
using NetGen.Plots;
using NetGen.Training;

namespace NetGen.Samples.Sequences;

/// <summary>
/// <c>--task fortunes</c>: trains <see cref="CharacterLstm"/> to predict the next character of the fortunes
/// (the first nine tenths of the text train, the last tenth validates), reports the validation
/// perplexity per epoch, and generates text from the best epoch's checkpoint at a few temperatures.
/// </summary>
internal static class FortunesTask
{
    /// <summary>The temperatures samples are generated at: nearly greedy, moderate, and the model's own distribution.</summary>
    public static readonly double[] Temperatures = [0.2, 0.5, 1.0];

    /// <summary>Characters between consecutive training windows (Chollet's step): a third of the windows, nearly the same information.</summary>
    private const int Stride = 3;

    /// <summary>Characters generated per sample.</summary>
    private const int GeneratedLength = 300;

    /// <summary>The validation perplexity after each epoch and the generated text per temperature.</summary>
    public sealed record Result(IReadOnlyList<double> ValidationPerplexity, IReadOnlyList<(double Temperature, string Text)> Samples, History History);

    public static Result Run(SequenceOptions options, TextWriter console)
    {
        var source = Path.Combine(options.DataDirectoryOrDefault, "fortunes");
        var text = FortuneCorpus.Read(source, options.Characters);
        var cut = text.Length * 9 / 10;
        // Built from the training text only: characters that appear only in validation are unknown, as they would be in new text.
        var vocabulary = CharacterVocabulary.Build(text[..cut], CharacterLstm.Vocabulary);
        var ids = vocabulary.Encode(text);
        var train = new NextTokenWindows(ids, CharacterLstm.Vocabulary, CharacterLstm.Window, Stride, targets: ..cut);
        var validation = new NextTokenWindows(ids, CharacterLstm.Vocabulary, CharacterLstm.Window, Stride, targets: cut..);

        var folder = Path.Combine(options.OutputDirectory, "fortunes");
        Directory.CreateDirectory(folder);
        var best = Path.Combine(folder, "best.safetensors");
        vocabulary.Save(CharacterVocabulary.PathBeside(best));

        var model = new CharacterLstm();
        var optimizer = new Adam(model, options.EffectiveLearningRate);
        var loader = new DataLoader(train, new DataLoaderOptions { BatchSize = options.EffectiveBatchSize, Seed = options.Seed });
        console.WriteLine($"Fortunes from {source}: {text.Length:N0} characters, {vocabulary.Count} ids (padding, unknown and {vocabulary.Count - 2} characters); "
            + $"{train.Count:N0} training windows of {CharacterLstm.Window} (one every {Stride} characters of the first {cut:N0}), {validation.Count:N0} validation windows");
        console.WriteLine(model.Summary());
        var perplexity = new PerplexityReport(console);
        var history = Trainer.Fit(model, optimizer, loader, validation, new TrainerOptions
        {
            Epochs = options.EffectiveEpochs,
            Output = console,
            Progress = ProgressMode.Lines,
            Callbacks = [perplexity, new ModelCheckpoint(best, Metric.ValidationLoss), new CsvLogger(Path.Combine(folder, "history.csv")), new TerminateOnNaN()],
        });
        TrainingCurves.WriteSvg(history, Path.Combine(folder, "curves.svg"));
        console.WriteLine($"{history.Epochs.Sum(e => e.Seconds) / history.Epochs.Count:F1} s per epoch (validation included); checkpoint {best}");

        // Generate from what a later run would load: the best checkpoint and the vocabulary saved beside it.
        var generator = new CharacterLstm();
        Checkpoint.Load(best, generator);
        var saved = CharacterVocabulary.Load(CharacterVocabulary.PathBeside(best));
        saved.EnsureFits(nameof(CharacterLstm), CharacterLstm.Vocabulary);
        var prompt = text.Substring(cut, CharacterLstm.Window);
        var samples = Temperatures.Select(t => (t, Generate(generator, saved, prompt, t, options.Seed))).ToList();
        foreach (var (temperature, generated) in samples)
        {
            console.WriteLine($"\n--- temperature {temperature:0.0##}, after \"{prompt.ReplaceLineEndings(" ")}\" ---\n{generated}");
        }

        return new Result(perplexity.Values, samples, history);
    }

    /// <summary><see cref="GeneratedLength"/> characters sampled one at a time, each fed back as the window's last.</summary>
    private static string Generate(CharacterLstm model, CharacterVocabulary vocabulary, string prompt, double temperature, ulong seed)
    {
        var window = vocabulary.Encode(prompt).Select(id => (float)id).ToArray();
        var logits = new float[CharacterLstm.Vocabulary];
        var sampler = new TemperatureSampler(seed);
        var generated = new int[GeneratedLength];
        for (var i = 0; i < generated.Length; i++)
        {
            model.Forward(window, logits);
            // Padding (id 0) is never a next character and ids from the vocabulary's count on never occur
            // in training: the draw is over ids 1 (unknown) to Count − 1 only.
            generated[i] = 1 + sampler.Sample(logits.AsSpan(1, vocabulary.Count - 1), temperature);
            window.AsSpan(1).CopyTo(window);
            window[^1] = generated[i];
        }

        return vocabulary.Decode(generated);
    }

    /// <summary>Prints <c>exp(validation loss)</c> after each epoch: the model is as unsure as a uniform choice among that many characters.</summary>
    private sealed class PerplexityReport(TextWriter console) : ICallback
    {
        public List<double> Values { get; } = [];

        public CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics)
        {
            if (metrics.ValidationLoss is { } loss)
            {
                Values.Add(Math.Exp(loss));
                console.WriteLine($"epoch {metrics.Epoch}: validation perplexity {Values[^1]:F2} per character (cross-entropy {loss:F4} nats), {metrics.Seconds:F1} s");
            }

            return CallbackAction.Continue;
        }
    }
}
