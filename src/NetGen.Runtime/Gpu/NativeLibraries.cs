using System.Linq;
using System.Runtime.InteropServices;

namespace NetGen.Gpu;

/// <summary>Checks that a device library loads before any of its functions is called, so a missing one gives install advice.</summary>
internal static class NativeLibraries
{
    public const string OpenClInstall = "install an OpenCL loader and a driver, e.g. `sudo apt-get install ocl-icd-libopencl1 pocl-opencl-icd` (PoCL runs OpenCL on the CPU), or your GPU vendor's OpenCL ICD";

    public const string CudaInstall = "install the NVIDIA driver (it provides libcuda.so.1) on a machine with an NVIDIA GPU";

    public const string NvrtcInstall = "install the CUDA runtime compiler, e.g. `sudo apt-get install nvidia-cuda-toolkit` or the `cuda-nvrtc` package of NVIDIA's repository";

    /// <summary>Throws <see cref="GpuUnavailableException"/> naming <paramref name="what"/> when none of <paramref name="names"/> loads.</summary>
    public static void Require(string what, string install, params string[] names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryLoad(name, typeof(NativeLibraries).Assembly, null, out var handle))
            {
                // The runtime keeps its own reference when the imports bind; this one only answered the question.
                NativeLibrary.Free(handle);
                return;
            }
        }

        throw new GpuUnavailableException($"{what} is not available: none of {string.Join(", ", names.Select(n => "'" + n + "'"))} could be loaded; {install}.");
    }
}
