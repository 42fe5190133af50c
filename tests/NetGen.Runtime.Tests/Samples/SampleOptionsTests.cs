using System.CommandLine;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using DogsOptions = NetGen.Samples.DogsVsCats.SampleOptions;
using MnistOptions = NetGen.Samples.Mnist.SampleOptions;

namespace NetGen.Runtime.Tests.Samples;

/// <summary>The samples' command lines (System.CommandLine): defaults, --help, and errors naming the option at fault.</summary>
public sealed class SampleOptionsTests
{
    [Fact]
    public void Mnist_defaults_are_the_documented_ones()
    {
        var (exitCode, options, _, _) = RunMnist();

        Assert.Equal(0, exitCode);
        Assert.Equal(
            new MnistOptions { Model = "mlp", Device = "cpu", Epochs = 5, BatchSize = 64, Seed = 1, TimeoutSeconds = 300, BucketBytes = 25 << 20 },
            options);
        Assert.Equal((3e-3f, 0.7), (options!.EffectiveLearningRate, options.EffectiveLearningRateDecay));
    }

    [Theory]
    [InlineData("cnn", 2e-3f, 0.7)]
    [InlineData("resnet", 2e-3f, 0.5)]
    [InlineData("lstm", 2e-3f, 0.7)]
    public void Mnist_model_chooses_the_default_learning_rate_and_decay(string model, float learningRate, double decay)
    {
        var (_, options, _, _) = RunMnist("--model", model);

        Assert.Equal((learningRate, decay), (options!.EffectiveLearningRate, options.EffectiveLearningRateDecay));
    }

    [Fact]
    public void Mnist_takes_every_option()
    {
        var (_, options, _, _) = RunMnist("--model", "cnn", "--device", "opencl", "--epochs", "2", "--batch-size", "32", "--lr", "0.01", "--lr-decay", "1", "--seed", "7", "--data", "/tmp/mnist");

        Assert.Equal(
            new MnistOptions { Model = "cnn", Device = "opencl", Epochs = 2, BatchSize = 32, LearningRate = 0.01f, LearningRateDecay = 1, Seed = 7, DataDirectory = "/tmp/mnist", TimeoutSeconds = 300, BucketBytes = 25 << 20 },
            options);
    }

    [Fact]
    public void Mnist_takes_the_distributed_and_checkpoint_options()
    {
        var (_, options, _, _) = RunMnist("--distributed", "--timeout", "20", "--limit", "512", "--checkpoint", "/tmp/run.safetensors", "--resume", "--bucket-bytes", "65536");

        Assert.Equal(
            new MnistOptions { Model = "mlp", Device = "cpu", Epochs = 5, BatchSize = 64, Seed = 1, Distributed = true, TimeoutSeconds = 20, BucketBytes = 65536, Limit = 512, CheckpointPath = "/tmp/run.safetensors", Resume = true },
            options);
    }

    [Theory]
    [InlineData("--resume needs --checkpoint FILE, the file to continue from.", "--resume")]
    [InlineData("--distributed trains on the CPU only (docs/distributed.md, 'GPUs').", "--distributed", "--device", "opencl")]
    public void Mnist_rejects_options_that_do_not_go_together(string message, params string[] args)
    {
        var (exitCode, options, _, error) = RunMnist(args);

        Assert.NotEqual(0, exitCode);
        Assert.Null(options);
        Assert.StartsWith(message, error, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Mnist_help_lists_every_option()
    {
        var (exitCode, options, output, _) = RunMnist("--help");

        Assert.Equal(0, exitCode);
        Assert.Null(options);
        foreach (var name in new[] { "--model <mlp|cnn|resnet|lstm>", "--device <cpu|opencl>", "--epochs <N>", "--batch-size <N>", "--lr <X>", "--lr-decay <X>", "--seed <N>", "--data <DIR>", "--limit <N>", "--checkpoint <FILE>", "--resume", "--distributed", "--timeout <X>" })
        {
            Assert.Contains(name, output, System.StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be a positive integer, not '0'.")]
    [InlineData("--epochs", "five", "--epochs must be a positive integer, not 'five'.")]
    [InlineData("--batch-size", "-3", "--batch-size must be a positive integer, not '-3'.")]
    [InlineData("--model", "vgg", "--model must be mlp or cnn or resnet or lstm, not 'vgg'.")]
    [InlineData("--device", "cuda", "--device must be cpu or opencl, not 'cuda'.")]
    [InlineData("--lr", "0", "--lr must be a positive number, not '0'.")]
    [InlineData("--lr", "NaN", "--lr must be a positive number, not 'NaN'.")]
    [InlineData("--lr-decay", "1.5", "--lr-decay must be a number in (0, 1], not '1.5'.")]
    [InlineData("--seed", "-1", "--seed must be a non-negative integer, not '-1'.")]
    [InlineData("--timeout", "0", "--timeout must be a positive number, not '0'.")]
    [InlineData("--limit", "0", "--limit must be a positive integer, not '0'.")]
    public void A_bad_Mnist_value_is_an_error_naming_the_option(string option, string value, string message)
    {
        var (exitCode, options, _, error) = RunMnist(option, value);

        Assert.NotEqual(0, exitCode);
        Assert.Null(options);
        Assert.StartsWith(message, error, System.StringComparison.Ordinal);
    }

    [Fact]
    public void DogsVsCats_takes_its_options_and_rejects_bad_ones_by_name()
    {
        DogsOptions? taken = null;
        var command = DogsOptions.Command(options => { taken = options; return 0; });

        Assert.Equal(0, command.Parse(["--limit", "50", "--epochs", "2", "--optimizer", "adam", "--skip-bad-images", "--resume", "--workers", "3", "--measure-pipeline"]).Invoke());
        Assert.Equal((50, 2, "adam", 1e-3f, true, true, 3, 32, 1UL, true), (taken!.Limit, taken.Epochs, taken.Optimizer, taken.EffectiveLearningRate, taken.SkipBadImages, taken.Resume, taken.Workers, taken.BatchSize, taken.Seed, taken.MeasurePipeline));

        var error = new StringWriter();
        taken = null;
        Assert.NotEqual(0, command.Parse(["--workers", "0"]).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error }));
        Assert.Null(taken);
        Assert.StartsWith("--workers must be a positive integer, not '0'.", error.ToString(), System.StringComparison.Ordinal);
    }

    private static (int ExitCode, MnistOptions? Options, string Output, string Error) RunMnist(params string[] args)
    {
        MnistOptions? taken = null;
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = MnistOptions.Command(options =>
        {
            taken = options;
            return Task.FromResult(0);
        }).Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, taken, output.ToString(), error.ToString());
    }
}
