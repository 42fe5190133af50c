namespace NetGen.Gpu;

/// <summary>
/// One matrix product on the device, <c>C[m, n] (+)= Σₖ A(m, k) · B(k, n)</c>, with A and B read through
/// strides so either may be transposed: <c>A(i, l) = a[AOffset + i·ARow + l·AColumn]</c>,
/// <c>B(l, j) = b[BOffset + l·BRow + j·BColumn]</c>; C is row-major with <c>N</c> columns from
/// <c>COffset</c>. Offsets and strides count floats.
/// </summary>
public readonly record struct GpuGemm(
    int M,
    int N,
    int K,
    GpuBuffer A,
    int AOffset,
    int ARow,
    int AColumn,
    GpuBuffer B,
    int BOffset,
    int BRow,
    int BColumn,
    GpuBuffer C,
    int COffset,
    bool Accumulate);
