using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace NetGen.Data.Images;

/// <summary>
/// The warnings of <see cref="BadImagePolicy.SkipWithWarning"/> and the samples found undecodable
/// when read. Loader workers read at once, so marking a sample and warning about it happen under
/// one lock (one warning per file, however many threads hit it); the per-read question "is this
/// sample known bad?" is a volatile flag, not a lock.
/// </summary>
internal sealed class SkippedImages(IEnumerable<string> headerWarnings, int sampleCount, TextWriter? writer)
{
    private readonly List<string> _warnings = [.. headerWarnings];
    private readonly bool[] _undecodable = new bool[sampleCount];

    /// <summary>Every warning so far, header failures first, then decode failures in the order they were met.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
            {
                return _warnings.ToArray();
            }
        }
    }

    public bool IsUndecodable(int index) => Volatile.Read(ref _undecodable[index]);

    /// <summary>Marks sample <paramref name="index"/> undecodable and reports <paramref name="warning"/>, once per sample.</summary>
    public void MarkUndecodable(int index, string warning)
    {
        lock (_warnings)
        {
            if (_undecodable[index])
            {
                return;
            }

            Volatile.Write(ref _undecodable[index], true);
            _warnings.Add(warning);
            writer?.WriteLine(warning);
        }
    }
}
