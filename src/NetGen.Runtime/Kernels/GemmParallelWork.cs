using System;
using NetGen.Kernels.Threading;

namespace NetGen.Kernels;

/// <summary>
/// A float product split into bands of whole tiles, one band per part: bands of rows when C is at
/// least as tall as it is wide, else bands of columns. Each band packs its own panels, so parts
/// share nothing but the read-only operands. One instance is reused for every threaded call.
/// </summary>
internal sealed class GemmParallelWork : IParallelWork
{
    private GemmFloatProblem _problem;
    private bool _splitRows;
    private int _bandSize;

    /// <summary>Sets the problem for the next run and returns the number of parts to run, at most <paramref name="maxParts"/>.</summary>
    public int Prepare(in GemmFloatProblem problem, int maxParts)
    {
        _problem = problem;
        _splitRows = problem.M >= problem.N;
        var length = _splitRows ? problem.M : problem.N;
        var tile = _splitRows ? problem.Kernel.Rows : problem.Kernel.Columns;
        var tiles = (length + tile - 1) / tile;
        var tilesPerBand = (tiles + maxParts - 1) / maxParts;
        _bandSize = tilesPerBand * tile;
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
