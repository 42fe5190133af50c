using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Checkpoints;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using NetGen.Samples.Mnist;
using Xunit;

namespace NetGen.Runtime.Tests.Distributed;

/// <summary>
/// The MNIST sample under <c>mpiexec.mpich -np 2 ... --distributed</c> against one process: the same
/// parameters after an epoch and after a resumed one, and what happens when a rank hangs or dies.
/// </summary>
public sealed class DistributedTrainingTests : IDisposable
{
    private static readonly TimeSpan JobLimit = TimeSpan.FromMinutes(4);
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-mpi-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [MpichFact]
    public void Two_processes_train_the_mnist_cnn_to_the_parameters_and_accuracy_of_one_with_or_without_overlap_and_resume_alike()
    {
        var alone = Path.Combine(_folder, "alone.safetensors");
        var together = Path.Combine(_folder, "together.safetensors");
        // 2,048 images: 32 global batches of 64, so each rank trains on 32 samples a step.
        string[] common = ["--model", "cnn", "--limit", "2048", "--seed", "3", "--data", Mnist];

        var one = Run(MpiJob.Alone([.. common, "--epochs", "1", "--checkpoint", alone]));
        var two = Run(MpiJob.Distributed(2, [.. common, "--epochs", "1", "--checkpoint", together]));
        Assert.Contains("× 2 processes (MPI), 32 samples each per step", two, StringComparison.Ordinal);
        AssertSameParameters(alone, together);
        Assert.Equal(TestAccuracy(one), TestAccuracy(two), precision: 1);

        // 64 KiB buckets: the CNN's 434 KB gradient is all-reduced in 7 parts, the later layers' while backward goes on.
        var bucketed = Path.Combine(_folder, "bucketed.safetensors");
        var overlapped = Run(MpiJob.Distributed(2, [.. common, "--epochs", "1", "--checkpoint", bucketed, "--bucket-bytes", "65536"]));
        AssertSameParameters(alone, bucketed);
        Assert.Equal(TestAccuracy(one), TestAccuracy(overlapped), precision: 1);

        // Rank 0 reads the checkpoint and gives the others its parameters and Adam's moments.
        Run(MpiJob.Alone([.. common, "--epochs", "2", "--checkpoint", alone, "--resume"]));
        var resumed = Run(MpiJob.Distributed(2, [.. common, "--epochs", "2", "--checkpoint", together, "--resume"]));
        Assert.Contains("resuming after epoch 1", resumed, StringComparison.Ordinal);
        Assert.Equal("2", Checkpoint.ReadMetadata(together)["epoch"]);
        AssertSameParameters(alone, together);
    }

    [OpenMpiFact]
    public void Two_processes_under_open_mpi_train_the_mnist_cnn_to_the_parameters_of_one()
    {
        var alone = Path.Combine(_folder, "alone.safetensors");
        var together = Path.Combine(_folder, "openmpi.safetensors");
        string[] common = ["--model", "cnn", "--limit", "2048", "--seed", "3", "--epochs", "1", "--data", Mnist];

        Run(MpiJob.Alone([.. common, "--checkpoint", alone]));
        var two = Run(MpiJob.DistributedOpenMpi(2, [.. common, "--checkpoint", together, "--bucket-bytes", "65536"]));

        Assert.Contains("Open MPI (libmpi.so.40): 2 processes, rank 0 pid", two, StringComparison.Ordinal);
        Assert.Contains("× 2 processes (MPI), 32 samples each per step", two, StringComparison.Ordinal);
        AssertSameParameters(alone, together);
    }

    [OpenMpiFact]
    public void NETGEN_MPI_chooses_the_library_and_a_name_it_does_not_know_is_an_error_naming_it()
    {
        string[] common = ["--model", "mlp", "--limit", "64", "--epochs", "1", "--data", Mnist];

        var openMpi = Run(MpiJob.AloneDistributed("NETGEN_MPI", "openmpi", common));
        Assert.Contains("Open MPI (libmpi.so.40): 1 processes, rank 0 pid", openMpi, StringComparison.Ordinal);

        using var job = MpiJob.AloneDistributed("NETGEN_MPI", "lam", common);
        Assert.NotEqual(0, job.Wait(JobLimit));
        Assert.Contains("NETGEN_MPI is 'lam'; it names the MPI library to bind: 'mpich' or 'openmpi'.", job.Output, StringComparison.Ordinal);
    }

    [MpichFact]
    public void A_hung_rank_ends_the_job_with_an_error_naming_it_and_the_last_checkpoint_loads()
    {
        var checkpoint = Path.Combine(_folder, "hung.safetensors");
        using var job = MpiJob.Distributed(2, "--limit", "4096", "--epochs", "1000", "--checkpoint", checkpoint, "--timeout", "10", "--data", Mnist);
        job.WaitForFile(checkpoint, JobLimit);
        var hung = job.RankProcessId(1);
        MpiJob.Stop(hung);
        try
        {
            Assert.NotEqual(0, job.Wait(JobLimit));
            Assert.Matches(@"Rank 0 of 2: the (all-reduce|broadcast) of [a-z ]+ \(collective \d+\) did not complete within 10 s: rank 1 did not answer \(dead or hung\)\.", job.Output);
        }
        finally
        {
            // The launcher kills it when rank 0 aborts; this covers a failed assertion before that.
            MpiJob.KillIfRunning(hung);
        }

        AssertLoads(checkpoint);
    }

    [MpichFact]
    public void A_killed_rank_ends_the_job_and_the_log_maps_the_launchers_process_id_to_its_rank()
    {
        var checkpoint = Path.Combine(_folder, "killed.safetensors");
        using var job = MpiJob.Distributed(2, "--limit", "4096", "--epochs", "1000", "--checkpoint", checkpoint, "--timeout", "10", "--data", Mnist);
        job.WaitForFile(checkpoint, JobLimit);
        var (survivor, killed) = (job.RankProcessId(0), job.RankProcessId(1));
        MpiJob.Kill(killed);

        Assert.NotEqual(0, job.Wait(JobLimit));
        // Rank 0's first line names every rank's process; MPICH's launcher names a process that ended badly by its pid
        // only: the killed one, or (under load) the survivor when MPICH's transport brings it down first. Either way
        // the first line maps that pid to a rank.
        Assert.Contains($"MPICH (libmpich.so.12): 2 processes, rank 0 pid {survivor}, rank 1 pid {killed}", job.Output, StringComparison.Ordinal);
        var reported = Regex.Matches(job.Output, @"PID (\d+) RUNNING AT").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(reported.Count > 0 && reported.All(pid => pid == survivor || pid == killed), $"The launcher should name rank 0 ({survivor}) or rank 1 ({killed}) by pid:\n{job.Output}");
        AssertLoads(checkpoint);
    }

    private static string Mnist => TestData.Require(TestData.MnistDirectory, "The MNIST files");

    private static string Run(MpiJob job)
    {
        using (job)
        {
            var exitCode = job.Wait(JobLimit);
            Assert.True(exitCode == 0, $"The job exited with {exitCode}:\n{job.Output}");
            return job.Output;
        }
    }

    /// <summary>
    /// Every tensor bitwise equal: each rank's 32 samples are 4 whole groups of the convolutions' and
    /// Dense layers' fixed sample groups, so its gradient is a subtree of one process's pairwise sum
    /// and the all-reduce adds the two subtrees as one process does (then halves, exactly).
    /// </summary>
    private static void AssertSameParameters(string expectedPath, string actualPath)
    {
        var (expected, actual) = (new MnistCnn(), new MnistCnn());
        Checkpoint.Load(expectedPath, expected);
        Checkpoint.Load(actualPath, actual);
        Assert.False(expected.Parameters.SequenceEqual(new MnistCnn().Parameters), "training left the parameters at their initial values");
        foreach (var tensor in expected.ParameterLayout)
        {
            var e = expected.Parameters.Slice(tensor.Offset, tensor.Length);
            var a = actual.Parameters.Slice(tensor.Offset, tensor.Length);
            var differing = 0;
            var difference = 0f;
            for (var i = 0; i < e.Length; i++)
            {
                differing += e[i] == a[i] ? 0 : 1;
                difference = MathF.Max(difference, MathF.Abs(e[i] - a[i]));
            }

            Assert.True(differing == 0, $"{tensor.Name}: {differing} of {e.Length} values differ, by up to {difference}");
        }
    }

    private static double TestAccuracy(string output) =>
        double.Parse(Regex.Match(output, @"^test accuracy ([0-9.]+)%", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

    private static void AssertLoads(string checkpoint)
    {
        var model = new MnistMlp();
        Checkpoint.Load(checkpoint, model, new Adam(model, 1e-3f));
        Assert.True(int.Parse(Checkpoint.ReadMetadata(checkpoint)["epoch"], CultureInfo.InvariantCulture) >= 1);
    }
}
