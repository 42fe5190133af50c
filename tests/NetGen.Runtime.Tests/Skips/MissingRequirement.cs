using System;
using System.IO;
using System.Runtime.InteropServices;
using NetGen.Runtime.Tests.Distributed;
using NetGen.Data.Images;
using NetGen.Gpu;

namespace NetGen.Runtime.Tests.Skips;

/// <summary>
/// Why a test that needs a native library or real data cannot run here, and how to fix it; null
/// when it can run. Under CI=true nothing counts as missing, so the test runs and fails instead of
/// skipping: CI installs everything (.ci/run) and must not go green on skipped tests.
/// </summary>
internal static class MissingRequirement
{
    private const string InCiFails = " (Under CI=true this test fails instead of skipping.)";
    private static readonly Lazy<string?> OpenClProbe = new(ProbeOpenCl);

    public static string? TurboJpeg => TestData.InCi || TurboJpegLibrary.IsAvailable
        ? null
        : "libturbojpeg is not installed: sudo apt-get install libturbojpeg0" + InCiFails;

    public static string? OpenCl => TestData.InCi || OpenClProbe.Value is not { } reason
        ? null
        : reason + InCiFails;

    /// <summary>MPICH's launcher and library, for the tests that start several training processes.</summary>
    public static string? Mpich => TestData.InCi || (File.Exists(MpiJob.Launcher) && NativeLibrary.TryLoad("libmpich.so.12", out _))
        ? null
        : $"MPICH is not installed ({MpiJob.Launcher}, libmpich.so.12): sudo apt-get install mpich" + InCiFails;

    public static string? OpenMpi => TestData.InCi || (File.Exists(MpiJob.OpenMpiLauncher) && NativeLibrary.TryLoad("libmpi.so.40", out _))
        ? null
        : $"Open MPI is not installed ({MpiJob.OpenMpiLauncher}, libmpi.so.40): sudo apt-get install openmpi-bin" + InCiFails;

    public static string? Mnist => Data(TestData.MnistDirectory, "The four MNIST .gz files are", "mnist/");

    public static string? DogsVsCatsZip => Data(TestData.DogsVsCatsZip, "cats_and_dogs_filtered.zip is", "dogs-vs-cats/");

    public static string? Sequences => Data(TestData.SequencesDirectory, "sunspots.csv and fortunes/ are", "sequences/");

    private static string? Data(string? found, string what, string folder) => TestData.InCi || found is not null
        ? null
        : $"{what} not in ../shared/data/{folder} next to the repository root (the folder holding NetGen.sln)." + InCiFails;

    /// <summary>The OpenCL loader's own message, which names the packages to install (ocl-icd-libopencl1 pocl-opencl-icd).</summary>
    private static string? ProbeOpenCl()
    {
        try
        {
            Device.OpenCL().Open();
            return null;
        }
        catch (GpuUnavailableException exception)
        {
            return exception.Message;
        }
    }
}
