using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Data.Sequences;
using NetGen.Runtime.Tests.Skips;
using NetGen.Samples.Sequences;
using Xunit;

namespace NetGen.Runtime.Tests.Samples;

/// <summary>samples/Sequences for a tiny budget on the real data: what each task reports and writes; its options and bad input.</summary>
public sealed class SequencesSampleTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("netgen-sequences-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [SequencesFact]
    public void Sunspots_scores_the_best_epoch_against_the_last_value_baseline_and_plots_the_test_years()
    {
        var data = TestData.Require(TestData.SequencesDirectory, "sequences/");
        var result = SunspotsTask.Run(Options("sunspots", data) with { Epochs = 3 }, TextWriter.Null);

        // The baseline, from the file itself: the test years are the last 15 % (rows 263–308, 1963–2008).
        var activity = File.ReadLines(Path.Combine(data, "sunspots.csv")).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var expected = Enumerable.Range(263, 46).Average(row => Math.Abs(activity[row] - activity[row - 1]));
        Assert.Equal(46, result.TestYears);
        Assert.Equal(expected, result.BaselineMae, 1e-4);
        Assert.True(double.IsFinite(result.ModelMae) && result.ModelMae > 0, $"model MAE {result.ModelMae}");
        Assert.Equal(3, result.History.Epochs.Count);

        var plot = File.ReadAllText(Path.Combine(folder, "sunspots", "forecast.svg"));
        foreach (var series in new[] { "truth", "GRU", "last value" })
        {
            var points = Regex.Match(plot, $"data-series=\"{series}\"[^>]* points=\"([^\"]*)\"").Groups[1].Value;
            Assert.Equal(46, points.Split(' ').Length);
        }

        var model = new SunspotGru();
        Checkpoint.Load(Path.Combine(folder, "sunspots", "best.safetensors"), model);
    }

    [SequencesFact]
    public void Fortunes_reports_the_validation_perplexity_and_generates_from_the_saved_checkpoint_and_vocabulary()
    {
        var data = TestData.Require(TestData.SequencesDirectory, "sequences/");
        var output = new StringWriter();

        var result = FortunesTask.Run(Options("fortunes", data) with { Epochs = 1, BatchSize = 64, Characters = 4000 }, output);

        var perplexity = Assert.Single(result.ValidationPerplexity);
        Assert.Equal(Math.Exp(result.History.Epochs[0].ValidationLoss!.Value), perplexity, 1e-9);
        // Below a uniform guess over the 96 ids: one epoch has taught it which characters are common.
        Assert.InRange(perplexity, 1, CharacterLstm.Vocabulary);
        Assert.Contains($"epoch 1: validation perplexity {perplexity:F2} per character", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(FortunesTask.Temperatures, result.Samples.Select(s => s.Temperature));
        Assert.All(result.Samples, s => Assert.Equal(300, s.Text.EnumerateRunes().Count()));
        var vocabulary = CharacterVocabulary.Load(CharacterVocabulary.PathBeside(Path.Combine(folder, "fortunes", "best.safetensors")));
        Assert.InRange(vocabulary.Count, 3, CharacterLstm.Vocabulary);
    }

    [Fact]
    public void A_sunspots_file_with_a_missing_year_is_an_error_naming_the_file_and_line()
    {
        var path = Path.Combine(folder, "sunspots.csv");
        File.WriteAllLines(path, ["\"YEAR\",\"SUNACTIVITY\"", "1700,5", "1701,11", "1703,23"]);

        var error = Assert.Throws<DataFormatException>(() => SunspotRecords.Read(path));

        Assert.Equal($"'{path}' line 4 is the year 1703 after 1701; the years must follow each other without gaps.", error.Message);
    }

    [Fact]
    public void A_sunspots_row_that_is_not_a_number_is_an_error_naming_the_file_and_line()
    {
        var path = Path.Combine(folder, "sunspots.csv");
        File.WriteAllLines(path, ["\"YEAR\",\"SUNACTIVITY\"", "1700,5", "1701,NA"]);

        var error = Assert.Throws<DataFormatException>(() => SunspotRecords.Read(path));

        Assert.Equal($"'{path}' line 3 is '1701,NA', not a year and a number.", error.Message);
    }

    [Fact]
    public void The_options_default_per_task_and_a_bad_value_is_an_error_naming_the_option()
    {
        SequenceOptions? taken = null;
        var command = SequenceOptions.Command(options => { taken = options; return Task.FromResult(0); });

        Assert.Equal(0, command.Parse([]).Invoke());
        Assert.Equal(("sunspots", 200, 16, 3e-3f, 200_000), (taken!.Task, taken.EffectiveEpochs, taken.EffectiveBatchSize, taken.EffectiveLearningRate, taken.Characters));
        Assert.Equal(0, command.Parse(["--task", "fortunes", "--chars", "5000"]).Invoke());
        Assert.Equal(("fortunes", 3, 128, 5e-3f, 5000), (taken.Task, taken.EffectiveEpochs, taken.EffectiveBatchSize, taken.EffectiveLearningRate, taken.Characters));

        var error = new StringWriter();
        taken = null;
        Assert.NotEqual(0, command.Parse(["--task", "weather"]).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error }));
        Assert.Null(taken);
        Assert.StartsWith("--task must be sunspots or fortunes, not 'weather'.", error.ToString(), StringComparison.Ordinal);
    }

    private SequenceOptions Options(string task, string data) =>
        new() { Task = task, DataDirectory = data, OutputDirectory = folder, Seed = 1, Characters = 200_000 };
}
