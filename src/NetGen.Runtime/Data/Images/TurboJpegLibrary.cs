using System;
using System.Runtime.InteropServices;

namespace NetGen.Data.Images;

/// <summary>Finds libturbojpeg once and turns its absence into an exception that says how to install it.</summary>
public static class TurboJpegLibrary
{
    private static readonly Lazy<bool> Loaded = new(Probe);

    /// <summary>Whether libturbojpeg can be loaded on this machine.</summary>
    public static bool IsAvailable => Loaded.Value;

    /// <summary>The message of the exception thrown when libturbojpeg is missing.</summary>
    public static string MissingMessage =>
        $"libturbojpeg was not found: install it with `sudo apt-get install libturbojpeg0` (Debian/Ubuntu) " +
        $"or `sudo dnf install turbojpeg` (Fedora). NetGen loads '{TurboJpegNative.LibraryName}' (TurboJPEG API 2.x) " +
        "to decode JPEG images.";

    /// <summary>Throws <see cref="DllNotFoundException"/> with install advice when libturbojpeg is missing.</summary>
    public static void EnsureAvailable()
    {
        if (!IsAvailable)
        {
            throw new DllNotFoundException(MissingMessage);
        }
    }

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(TurboJpegNative.LibraryName, typeof(TurboJpegLibrary).Assembly, null, out var handle))
        {
            return false;
        }

        // The runtime keeps its own reference when the P/Invokes bind; this one only answered the question.
        NativeLibrary.Free(handle);
        return true;
    }
}
