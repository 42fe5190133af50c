namespace NetGen.Gpu.Cuda;

/// <summary>
/// The arguments of one <c>cublasSgemm</c> that computes a <see cref="GpuGemm"/>. cuBLAS is
/// column-major and NetGen's C is row-major, so cuBLAS computes <c>Cᵀ (n × m) = op(B′) · op(A′)</c>, where
/// B′ and A′ are the buffers read column-major: a row-major operand already is its transpose there
/// (no transpose op), a column-major (transposed) operand needs the transpose op.
/// </summary>
/// <param name="TransposeB">cuBLAS's first operand (B′) is transposed (<c>CUBLAS_OP_T</c>).</param>
/// <param name="LeadingB">Its leading dimension.</param>
/// <param name="TransposeA">cuBLAS's second operand (A′) is transposed.</param>
/// <param name="LeadingA">Its leading dimension.</param>
internal readonly record struct CublasCall(bool TransposeB, int LeadingB, bool TransposeA, int LeadingA)
{
    /// <summary>The call for <paramref name="gemm"/>, or null when an operand is strided in both directions (no leading dimension fits).</summary>
    public static CublasCall? For(in GpuGemm gemm)
    {
        var b = Operand(gemm.BRow, gemm.BColumn, gemm.K, gemm.N);
        var a = Operand(gemm.ARow, gemm.AColumn, gemm.M, gemm.K);
        if (gemm.M <= 0 || gemm.N <= 0 || gemm.K <= 0 || b is null || a is null)
        {
            return null;
        }

        return new CublasCall(b.Value.Transpose, b.Value.Leading, a.Value.Transpose, a.Value.Leading);
    }

    /// <summary>
    /// X(i, l) = x[i·row + l·column], rows × columns. Row-major (column stride 1) reads column-major as
    /// Xᵀ with leading dimension <paramref name="row"/>: cuBLAS wants Xᵀ, so no transpose. Column-major
    /// (row stride 1) reads as X with leading dimension <paramref name="column"/>: transpose it.
    /// </summary>
    private static (bool Transpose, int Leading)? Operand(int row, int column, int rows, int columns) =>
        (row, column) switch
        {
            // A single row or column: the stride along the unit extent is never used.
            _ when column == 1 && (row >= columns || rows == 1) => (false, System.Math.Max(row, columns)),
            _ when row == 1 && (column >= rows || columns == 1) => (true, System.Math.Max(column, rows)),
            _ => null,
        };
}
