using System;
using NetGen.Kernels.Threading;

namespace NetGen.Kernels;

/// <summary>
/// A float product split into bands of whole tiles, one band per part: bands of rows when C is at
/// least as tall as it is wide, else bands of columns, unless the other way leaves clearly fewer
/// tiles in the largest band. Each band packs its own panels, so parts share nothing but the
/// read-only operands. One instance is reused for every threaded call.
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

        // The run lasts as long as its largest band. Bands of rows when C is at least as tall as it is wide,
        // unless bands of columns hold a sixteenth fewer tiles, or the other way round: splitting columns
        // makes each thread pack all of A, which costs more than all of B (512³ on two cores: 336 GFLOP/s
        // by columns, 364 by rows, with 344 and 352 tiles in the largest band), but 128² in 12 × 32 tiles
        // runs bands of 2 × 11 tiles by columns against 6 × 4 by rows.
        long rowCost = (long)rowBand * columnTiles, columnCost = (long)columnBand * rowTiles;
        var tall = problem.M >= problem.N;
        long usual = tall ? rowCost : columnCost, other = tall ? columnCost : rowCost;
        _splitRows = other * 16 <= usual * 15 ? !tall : tall;
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
