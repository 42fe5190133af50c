using System;
using NetGen.Gpu;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>Device selection, the CUDA path's missing-library errors, the program cache and argument checks.</summary>
public sealed class DeviceTests
{
    [Fact]
    public void CpuHasNoGpuBackend()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Device.Cpu.Open());
        Assert.Contains("Device.OpenCL()", error.Message);
    }

    [Fact]
    public void CudaEitherOpensOrSaysWhatToInstall()
    {
        try
        {
            Assert.StartsWith("CUDA: ", Device.Cuda().Open().Name);
        }
        catch (GpuUnavailableException error)
        {
            Assert.Matches("libcuda\\.so\\.1|libnvrtc\\.so", error.Message);
            Assert.Contains("install", error.Message);
        }
    }

    [Fact]
    public void MissingLibraryIsNamedWithItsInstallAdvice()
    {
        var error = Assert.Throws<GpuUnavailableException>(() => NativeLibraries.Require("OpenCL", NativeLibraries.OpenClInstall, "libnetgen-absent.so.9"));
        Assert.Contains("'libnetgen-absent.so.9'", error.Message);
        Assert.Contains("apt-get install ocl-icd-libopencl1 pocl-opencl-icd", error.Message);
    }

    [Fact]
    public void NegativeDeviceIndicesAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.OpenCL(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.Cuda(-1));
    }

    [OpenClFact]
    public void SameSourceCompilesOnceAndBadSourceShowsTheBuildLog()
    {
        var backend = Device.OpenCL().Open();
        const string source = "__kernel void netgen_cache_probe(__global float* x) { x[get_global_id(0)] = 1.0f; }";

        Assert.Same(backend.Compile(source), backend.Compile(source));
        var error = Assert.Throws<GpuException>(() => backend.Compile("__kernel void broken(__global float* x) { x[0] = undefined_name; }"));
        Assert.Contains("undefined_name", error.Message);
    }

    [OpenClFact]
    public void LabelsForARegressionLossAreRefused()
    {
        using var regressor = new GpuRegressor().ToDevice(Device.OpenCL());
        var error = Assert.Throws<InvalidOperationException>(() => regressor.TrainStep(new float[GpuRegressor.Layout.InputSize], new int[1]));
        Assert.Contains("pass targets instead of labels", error.Message);
        error = Assert.Throws<InvalidOperationException>(() => regressor.Evaluate(new float[GpuRegressor.Layout.InputSize], new int[1], new float[GpuRegressor.Layout.OutputSize]));
        Assert.Contains("pass targets instead of labels", error.Message);
    }
}
