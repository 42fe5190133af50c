using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using NetGen.Data;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

public sealed class MnistDownloaderTests : IDisposable
{
    private static readonly Uri[] Mirrors = [new("https://mirror-one.example/mnist/"), new("https://mirror-two.example/mnist/")];
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EnsureAsync_NoMirrorReachable_SaysOfflineListsMirrorsAndWhereTheFilesGo()
    {
        var handler = new FakeHttpHandler(uri => throw new HttpRequestException($"Name or service not known ({uri.Host}:443)"));
        using var client = new HttpClient(handler);

        var ex = await Assert.ThrowsAsync<DataDownloadException>(() => MnistDownloader.EnsureAsync(_temp.Path, client, Mirrors));

        Assert.Contains("seems offline", ex.Message);
        Assert.Contains("https://mirror-one.example/mnist/train-images-idx3-ubyte.gz", ex.Message);
        Assert.Contains("https://mirror-two.example/mnist/train-images-idx3-ubyte.gz", ex.Message);
        Assert.EndsWith($"Put the four MNIST files ({string.Join(", ", MnistFile.All.Select(f => f.GzipName))}), gzipped or not, in '{_temp.Path}' by other means, or give MnistDataset.Load another folder that holds them.", ex.Message);
        Assert.Equal(2, ex.Attempts.Count);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task EnsureAsync_FailedDownload_RemovesTheFoldersItCreatedAndNothingElse()
    {
        var home = Directory.CreateDirectory(_temp.File("home")).FullName;
        File.WriteAllText(Path.Combine(home, "notes.txt"), "mine");
        var directory = Path.Combine(home, ".netgen", "mnist");
        var handler = new FakeHttpHandler(uri => throw new HttpRequestException($"Name or service not known ({uri.Host}:443)"));
        using var client = new HttpClient(handler);

        await Assert.ThrowsAsync<DataDownloadException>(() => MnistDownloader.EnsureAsync(directory, client, Mirrors));

        Assert.Equal([Path.Combine(home, "notes.txt")], Directory.GetFileSystemEntries(home));
    }

    [Fact]
    public async Task EnsureAsync_FailedDownload_KeepsAFolderThatExistedBefore()
    {
        var directory = Directory.CreateDirectory(_temp.File("mnist")).FullName;
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        using var client = new HttpClient(handler);

        await Assert.ThrowsAsync<DataDownloadException>(() => MnistDownloader.EnsureAsync(directory, client, Mirrors));

        Assert.True(Directory.Exists(directory));
    }

    [MnistFact]
    public async Task EnsureAsync_FailedDownload_KeepsTheFilesItVerifiedAndTheirFolder()
    {
        var source = TestData.Require(TestData.MnistDirectory, "MNIST");
        var directory = _temp.File("mnist");
        var handler = new FakeHttpHandler(uri => uri.Segments[^1] == MnistFile.TrainImages.GzipName
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(source, MnistFile.TrainImages.GzipName))) }
            : new HttpResponseMessage(HttpStatusCode.NotFound));
        using var client = new HttpClient(handler);

        await Assert.ThrowsAsync<DataDownloadException>(() => MnistDownloader.EnsureAsync(directory, client, Mirrors));

        Assert.Equal([Path.Combine(directory, MnistFile.TrainImages.GzipName)], Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public async Task EnsureAsync_Md5Mismatch_RejectsTheBytesAndLeavesNoFile()
    {
        var bogus = Encoding.ASCII.GetBytes("<html>captive portal</html>");
        var handler = new FakeHttpHandler(uri => uri.Host == "mirror-one.example"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bogus) }
            : new HttpResponseMessage(HttpStatusCode.NotFound));
        using var client = new HttpClient(handler);

        var ex = await Assert.ThrowsAsync<DataDownloadException>(() => MnistDownloader.EnsureAsync(_temp.Path, client, Mirrors));

        Assert.DoesNotContain("offline", ex.Message);
        Assert.Contains($"rejected, MD5 is {Convert.ToHexStringLower(MD5.HashData(bogus))} but {MnistFile.TrainImages.Md5} was expected", ex.Message);
        Assert.Contains("HTTP 404", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task EnsureAsync_ConnectionDropsMidBody_LeavesNoPartialFile()
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new DroppingStream(bytesBeforeDrop: 1000)) });
        using var client = new HttpClient(handler);

        var ex = await Assert.ThrowsAsync<DataDownloadException>(() => MnistDownloader.EnsureAsync(_temp.Path, client, Mirrors));

        Assert.Contains("connection reset", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task EnsureAsync_AllFilesPresent_DownloadsNothing()
    {
        foreach (var file in MnistFile.All)
        {
            File.WriteAllBytes(_temp.File(file == MnistFile.TestLabels ? file.UncompressedName : file.GzipName), [1]);
        }

        var handler = new FakeHttpHandler(_ => throw new InvalidOperationException("No request expected."));
        using var client = new HttpClient(handler);

        Assert.Equal(_temp.Path, await MnistDownloader.EnsureAsync(_temp.Path, client, Mirrors));
        Assert.Empty(handler.Requests);
    }

    [MnistFact]
    public async Task EnsureAsync_FirstMirrorDown_FetchesMissingFilesFromSecondAndTheyLoad()
    {
        var source = TestData.Require(TestData.MnistDirectory, "MNIST");
        File.Copy(Path.Combine(source, MnistFile.TrainImages.GzipName), _temp.File(MnistFile.TrainImages.GzipName));
        var handler = new FakeHttpHandler(uri => uri.Host == "mirror-one.example"
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(File.ReadAllBytes(Path.Combine(source, uri.Segments[^1]))) });
        using var client = new HttpClient(handler);

        await MnistDownloader.EnsureAsync(_temp.Path, client, Mirrors);

        var missing = MnistFile.All.Skip(1).Select(f => f.GzipName).ToArray();
        Assert.Equal(missing.SelectMany(name => Mirrors.Select(m => new Uri(m, name))), handler.Requests);
        Assert.Equal(MnistFile.All.Select(f => f.GzipName).Order(), Directory.GetFiles(_temp.Path).Select(Path.GetFileName).Order());
        Assert.Equal(10000, MnistDataset.Load(_temp.Path, MnistSplit.Test).Count);
    }

    /// <summary>A response body that serves some zero bytes, then fails as a reset connection would.</summary>
    private sealed class DroppingStream(int bytesBeforeDrop) : Stream
    {
        private int _served;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_served >= bytesBeforeDrop)
            {
                throw new IOException("connection reset by peer");
            }

            var n = Math.Min(count, bytesBeforeDrop - _served);
            Array.Clear(buffer, offset, n);
            _served += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
