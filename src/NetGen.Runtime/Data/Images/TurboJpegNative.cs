using System.Runtime.InteropServices;

namespace NetGen.Data.Images;

/// <summary>
/// The TurboJPEG 2.x C API (libjpeg-turbo), bound by source-generated P/Invoke. Callers go through
/// <see cref="TurboJpegLibrary.EnsureAvailable"/> first so a missing library gives install advice
/// rather than a bare <see cref="System.DllNotFoundException"/>. <c>unsigned long</c> is <see cref="CULong"/>
/// because its width differs between Linux and Windows.
/// </summary>
internal static unsafe partial class TurboJpegNative
{
    /// <summary>The Debian/Ubuntu soname of libturbojpeg0 (TurboJPEG API 2.x).</summary>
    public const string LibraryName = "libturbojpeg.so.0";

    /// <summary><c>tjGetErrorCode</c>: the last error was only a warning (the image is complete but damaged).</summary>
    public const int ErrorWarning = 0;

    [LibraryImport(LibraryName)]
    public static partial nint tjInitDecompress();

    [LibraryImport(LibraryName)]
    public static partial int tjDecompressHeader3(
        nint handle, byte* jpegBuf, CULong jpegSize, out int width, out int height, out int jpegSubsamp, out int jpegColorspace);

    [LibraryImport(LibraryName)]
    public static partial int tjDecompress2(
        nint handle, byte* jpegBuf, CULong jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    /// <summary>The DCT scaling factors the decompressor offers (libjpeg-turbo: 16 of them, 1/8 to 2/1); static data, never freed.</summary>
    [LibraryImport(LibraryName)]
    public static partial TurboJpegScalingFactor* tjGetScalingFactors(out int count);

    [LibraryImport(LibraryName)]
    public static partial nint tjInitCompress();

    [LibraryImport(LibraryName)]
    public static partial int tjCompress2(
        nint handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
        byte** jpegBuf, CULong* jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(LibraryName)]
    public static partial void tjFree(byte* buffer);

    [LibraryImport(LibraryName)]
    public static partial int tjDestroy(nint handle);

    /// <summary>The error string lives in the handle (or a static buffer); it is never freed by the caller.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint tjGetErrorStr2(nint handle);

    [LibraryImport(LibraryName)]
    public static partial int tjGetErrorCode(nint handle);

    /// <summary>The last error message of <paramref name="handle"/>, as text.</summary>
    public static string ErrorMessage(nint handle) => Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
