using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// A <see cref="GemmEpilogue{T}"/> for float with its spans pinned by the caller and held as
/// pointers, so worker threads can apply it to the tiles they finish.
/// </summary>
internal readonly unsafe struct GemmTileEpilogue
{
    private readonly float* _rowBias;
    private readonly float* _columnBias;
    private readonly float* _derivativeSaved;
    private readonly Activation _activation;
    private readonly Activation _derivativeOf;

    /// <summary>Wraps the pinned spans of <paramref name="epilogue"/>; null pointers stand for empty spans.</summary>
    public GemmTileEpilogue(in GemmEpilogue<float> epilogue, float* rowBias, float* columnBias, float* derivativeSaved)
    {
        _rowBias = epilogue.RowBias.IsEmpty ? null : rowBias;
        _columnBias = epilogue.ColumnBias.IsEmpty ? null : columnBias;
        _derivativeSaved = epilogue.DerivativeOf == Activation.None ? null : derivativeSaved;
        _activation = epilogue.Activation;
        _derivativeOf = epilogue.DerivativeOf;
        IsEmpty = epilogue.IsEmpty;
    }

    /// <summary>Whether there is nothing to apply.</summary>
    public bool IsEmpty { get; }

    /// <summary>
    /// Applies the epilogue to the finished block <c>[row0, row0 + rows) × [col0, col0 + cols)</c> of C
    /// (row stride <paramref name="ldc"/>, equal to n): bias, then activation, then derivative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(float* c, int ldc, int row0, int rows, int col0, int cols)
    {
        for (var i = row0; i < row0 + rows; i++)
        {
            var offset = ((nint)i * ldc) + col0;
            var row = new Span<float>(c + offset, cols);
            if (_rowBias != null)
            {
                TensorPrimitives.Add(row, _rowBias[i], row);
            }

            if (_columnBias != null)
            {
                TensorPrimitives.Add(row, new ReadOnlySpan<float>(_columnBias + col0, cols), row);
            }

            Activations.ApplyRows(_activation, row, 1, cols);
            if (_derivativeOf == Activation.ReLU)
            {
                Activations.MultiplyByReluDerivative(row, new ReadOnlySpan<float>(_derivativeSaved + offset, cols), row);
            }
            else if (_derivativeSaved != null)
            {
                var saved = _derivativeSaved + offset;
                for (var j = 0; j < cols; j++)
                {
                    row[j] *= Activations.Derivative(_derivativeOf, saved[j]);
                }
            }
        }
    }
}
