using System;
using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>Which register-tile kernel the float GEMM runs; tests force each one in turn.</summary>
internal enum GemmKernelKind
{
    /// <summary>The best kernel this CPU supports.</summary>
    Auto,

    /// <summary><see cref="GemmMicroKernels.Avx512x12x32"/>.</summary>
    Avx512,

    /// <summary><see cref="GemmMicroKernels.Avx2x6x16"/>.</summary>
    Avx2,

    /// <summary><see cref="GemmMicroKernels.Portable4xTwoVectors"/>.</summary>
    Portable,

    /// <summary><see cref="GemmDirect"/>: AVX-512 without packing (not for A and B both transposed, which fall back to <see cref="Avx512"/>).</summary>
    Avx512Direct,
}

/// <summary>A micro-kernel with its register-tile shape (<see cref="Rows"/> × <see cref="Columns"/>).</summary>
internal readonly unsafe struct GemmKernel
{
    private GemmKernel(GemmKernelKind kind, int rows, int columns, delegate*<int, float*, float*, float*, nint, bool, void> run, delegate*<int, float*, nint, float*, float*, nint, bool, void> runFourRows = null)
    {
        Kind = kind;
        Rows = rows;
        Columns = columns;
        Run = run;
        RunFourRows = runFourRows;
    }

    /// <summary>The kernel's identity (never <see cref="GemmKernelKind.Auto"/>).</summary>
    public GemmKernelKind Kind { get; }

    /// <summary>MR: rows of C per tile, the number of A values broadcast per k step.</summary>
    public int Rows { get; }

    /// <summary>NR: columns of C per tile, the width of the B vectors loaded per k step.</summary>
    public int Columns { get; }

    /// <summary>The kernel: <c>(kc, packedA, packedB, c, ldc, accumulate)</c>; null for <see cref="GemmKernelKind.Avx512Direct"/>, which packs nothing.</summary>
    public delegate*<int, float*, float*, float*, nint, bool, void> Run { get; }

    /// <summary>
    /// Four rows of a tile: <c>(kc, packedA + row, Rows, packedB, c, ldc, accumulate)</c>, for tiles with rows to
    /// spare; null where the full kernel runs every edge tile.
    /// </summary>
    public delegate*<int, float*, nint, float*, float*, nint, bool, void> RunFourRows { get; }

    /// <summary>Whether this CPU can run the kernel of <paramref name="kind"/>.</summary>
    public static bool IsSupported(GemmKernelKind kind) => kind switch
    {
        GemmKernelKind.Auto => true,
        GemmKernelKind.Avx512 or GemmKernelKind.Avx512Direct => Avx512F.IsSupported,
        GemmKernelKind.Avx2 => Fma.IsSupported && Avx.IsSupported,
        GemmKernelKind.Portable => true,
        _ => false,
    };

    /// <summary>The kernel for <paramref name="kind"/>; <see cref="GemmKernelKind.Auto"/> picks the widest supported.</summary>
    public static GemmKernel For(GemmKernelKind kind)
    {
        if (kind == GemmKernelKind.Auto)
        {
            kind = Avx512F.IsSupported ? GemmKernelKind.Avx512 : IsSupported(GemmKernelKind.Avx2) ? GemmKernelKind.Avx2 : GemmKernelKind.Portable;
        }

        if (!IsSupported(kind))
        {
            throw new PlatformNotSupportedException($"The {kind} GEMM kernel needs instructions this CPU lacks.");
        }

        return kind switch
        {
            GemmKernelKind.Avx512 => new(kind, 12, 32, &GemmMicroKernels.Avx512x12x32, &GemmMicroKernels.Avx512x4x32),
            GemmKernelKind.Avx2 => new(kind, 6, 16, &GemmMicroKernels.Avx2x6x16),
            GemmKernelKind.Avx512Direct => new(kind, 4, 16, null),
            _ => new(GemmKernelKind.Portable, 4, 2 * Vector<float>.Count, &GemmMicroKernels.Portable4xTwoVectors),
        };
    }
}
