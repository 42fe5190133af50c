using System;
using System.Security.Cryptography;
using System.Text;

namespace NetGen.Gpu;

/// <summary>The key programs are cached under: SHA-256 of the kernel source, in hex.</summary>
internal static class SourceHash
{
    public static string Of(string source) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
}
