using System;
using NetGen.Kernels.Threading;

namespace NetGen.Kernels;

/// <summary>
/// A float product split into bands of whole tiles, one band per part: bands of rows or of columns,
/// whichever leaves fewer tiles in the largest band (rows when even and C is at least as tall as it
/// is wide). Each band packs its own panels, so parts share nothing but the read-only operands. One
/// instance is reused for every threaded call.
/// </summary>
internal sealed class GemmParallelWork : IParallelWork
{
    private GemmFloatProblem _problem;
    private bool _splitRows;
    private int _bandSize;

    /// <summary>Whether the last <see cref="Prepare"/> cut C into bands of rows (else of columns).</summary>
    internal bool SplitsRows => _splitRows;

    /// <summary>Rows or columns of C in each band but the last, a whole number of tiles.</summary>
    internal int BandSize => _bandSize;

    /// <summary>Sets the problem for the next run and returns the number of parts to run, at most <paramref name="maxParts"/>.</summary>
    public int Prepare(in GemmFloatProblem problem, int maxParts)
    {
        _problem = problem;
        int mr = problem.Kernel.Rows, nr = problem.Kernel.Columns;
        int rowTiles = (problem.M + mr - 1) / mr, columnTiles = (problem.N + nr - 1) / nr;
        int rowBand = (rowTiles + maxParts - 1) / maxParts, columnBand = (columnTiles + maxParts - 1) / maxParts;

        // The run lasts as long as its largest band: split the way whose largest band holds fewer tiles
        // (128² C in 12 × 32 tiles: bands of 2 × 11 tiles by columns against 6 × 4 by rows).
        long rowCost = (long)rowBand * columnTiles, columnCost = (long)columnBand * rowTiles;
        _splitRows = rowCost < columnCost || (rowCost == columnCost && problem.M >= problem.N);
        var length = _splitRows ? problem.M : problem.N;
        _bandSize = _splitRows ? rowBand * mr : columnBand * nr;
        return (length + _bandSize - 1) / _bandSize;
    }

    /// <inheritdoc/>
    public void Execute(int part, int partCount)
    {
        var start = part * _bandSize;
        if (_splitRows)
        {
            GemmFloat.Compute(_problem, start, Math.Min(_problem.M, start + _bandSize), 0, _problem.N);
        }
        else
        {
            GemmFloat.Compute(_problem, 0, _problem.M, start, Math.Min(_problem.N, start + _bandSize));
        }
    }
}
