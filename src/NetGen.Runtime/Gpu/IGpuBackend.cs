using System;

namespace NetGen.Gpu;

/// <summary>
/// The seam between generated GPU code and a device API: compile kernel source, allocate, copy,
/// launch. Generated networks render one kernel source in NetGen's portable C dialect (see
/// <c>docs/gpu.md</c>); a backend compiles it with its own compiler (OpenCL's
/// <c>clBuildProgram</c>, CUDA's NVRTC), so another device API is one binding plus one prelude.
/// </summary>
public interface IGpuBackend
{
    /// <summary>The API and device, for messages, e.g. <c>OpenCL: pthread-cpu (Portable Computing Language)</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Compiles <paramref name="source"/> (NetGen's portable dialect, prelude included), or returns
    /// the program compiled earlier in this process from the same text.
    /// </summary>
    /// <exception cref="GpuException">The device compiler rejected the source; the message holds its log.</exception>
    GpuProgram Compile(string source);

    /// <summary>Allocates <paramref name="bytes"/> bytes of device memory.</summary>
    GpuBuffer Allocate(long bytes);

    /// <summary>Releases a buffer this backend allocated.</summary>
    void Free(GpuBuffer buffer);

    /// <summary>Copies <paramref name="data"/> to <paramref name="buffer"/> at <paramref name="byteOffset"/>.</summary>
    void Upload(GpuBuffer buffer, ReadOnlySpan<byte> data, long byteOffset);

    /// <summary>Copies bytes from <paramref name="buffer"/> at <paramref name="byteOffset"/> into <paramref name="data"/>, waiting for queued work first.</summary>
    void Download(GpuBuffer buffer, Span<byte> data, long byteOffset);

    /// <summary>
    /// Queues <paramref name="kernel"/> of <paramref name="program"/> over <paramref name="global"/>
    /// work items in groups of <paramref name="local"/> (each global extent a multiple of the local one).
    /// </summary>
    void Launch(GpuProgram program, string kernel, GpuGrid global, GpuGrid local, ReadOnlySpan<GpuArg> args);

    /// <summary>
    /// Queues <paramref name="gemm"/> on a vendor BLAS (cuBLAS on CUDA), in order with the launches,
    /// and returns true; false when the backend has none or it cannot take these strides, and the
    /// caller then runs NetGen's tiled SGEMM kernel.
    /// </summary>
    bool TryGemm(in GpuGemm gemm) => false;
}
