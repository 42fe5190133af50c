using System.Threading;

namespace NetGen.Data.Images;

/// <summary>
/// Decoded working-size images by sample index, kept while their total size fits a byte budget.
/// Lock-free and safe for concurrent readers: the budget is reserved before an image is stored,
/// and when two threads decode the same image, the first to store it wins.
/// </summary>
internal sealed class WorkingImageCache(int count, long budgetBytes)
{
    private readonly byte[]?[] _images = new byte[]?[count];
    private long _usedBytes;

    /// <summary>Bytes currently held.</summary>
    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    /// <summary>The cached image of sample <paramref name="index"/>, or null.</summary>
    public byte[]? Get(int index) => Volatile.Read(ref _images[index]);

    /// <summary>Keeps <paramref name="image"/> for sample <paramref name="index"/> if the budget allows.</summary>
    public void Add(int index, byte[] image)
    {
        if (Interlocked.Add(ref _usedBytes, image.Length) > budgetBytes
            || Interlocked.CompareExchange(ref _images[index], image, null) is not null)
        {
            Interlocked.Add(ref _usedBytes, -image.Length);
        }
    }
}
