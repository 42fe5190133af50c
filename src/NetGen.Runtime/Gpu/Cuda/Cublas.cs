using System;
using System.Runtime.InteropServices;

namespace NetGen.Gpu.Cuda;

/// <summary>
/// cuBLAS (<c>libcublas.so</c>), loaded when present: the large matrix products of a network on
/// NVIDIA GPUs. It is optional, so it is bound at run time (a missing library means NetGen's tiled
/// SGEMM kernel runs instead), and the versioned names of runtime-only installs are tried too.
/// Like the backend's primary context, the library and its handle live as long as the process.
/// </summary>
internal sealed unsafe class Cublas
{
    /// <summary>The unversioned name comes only with CUDA's development packages.</summary>
    public static readonly string[] LibraryNames = ["libcublas.so", "libcublas.so.13", "libcublas.so.12", "libcublas.so.11"];

    private const int Success = 0;
    private const int OperationNone = 0;
    private const int OperationTranspose = 1;

    private readonly nint _handle;
    private readonly delegate* unmanaged<nint, int, int, int, int, int, float*, nint, int, nint, int, float*, nint, int, int> _sgemm;

    private Cublas(nint handle, delegate* unmanaged<nint, int, int, int, int, int, float*, nint, int, nint, int, float*, nint, int, int> sgemm)
    {
        _handle = handle;
        _sgemm = sgemm;
    }

    /// <summary>
    /// cuBLAS on the CUDA context current on this thread, or null when the library is not installed.
    /// Its handle uses the default stream, as NetGen's launches do, so products and kernels run in order.
    /// </summary>
    /// <exception cref="GpuException">The library loads but cannot create a handle.</exception>
    public static Cublas? TryCreate()
    {
        nint library = 0;
        foreach (var name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, typeof(Cublas).Assembly, null, out library))
            {
                break;
            }
        }

        if (library == 0)
        {
            return null;
        }

        var create = (delegate* unmanaged<nint*, int>)NativeLibrary.GetExport(library, "cublasCreate_v2");
        var sgemm = (delegate* unmanaged<nint, int, int, int, int, int, float*, nint, int, nint, int, float*, nint, int, int>)NativeLibrary.GetExport(library, "cublasSgemm_v2");
        nint handle;
        var status = create(&handle);
        if (status != Success)
        {
            NativeLibrary.Free(library);
            throw new GpuException($"CUDA: cublasCreate failed with status {status}.");
        }

        return new Cublas(handle, sgemm);
    }

    /// <summary>Queues <paramref name="gemm"/> as <paramref name="call"/> describes it.</summary>
    public void Sgemm(in GpuGemm gemm, CublasCall call)
    {
        float alpha = 1, beta = gemm.Accumulate ? 1 : 0;
        var status = _sgemm(
            _handle,
            call.TransposeB ? OperationTranspose : OperationNone,
            call.TransposeA ? OperationTranspose : OperationNone,
            gemm.N,
            gemm.M,
            gemm.K,
            &alpha,
            gemm.B.Handle + (gemm.BOffset * sizeof(float)),
            call.LeadingB,
            gemm.A.Handle + (gemm.AOffset * sizeof(float)),
            call.LeadingA,
            &beta,
            gemm.C.Handle + (gemm.COffset * sizeof(float)),
            gemm.N);
        if (status != Success)
        {
            throw new GpuException($"CUDA: cublasSgemm ({gemm.M} × {gemm.N} × {gemm.K}) failed with status {status}.");
        }
    }
}
