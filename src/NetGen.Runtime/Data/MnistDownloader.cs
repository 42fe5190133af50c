using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace NetGen.Data;

/// <summary>
/// Fetches the four MNIST files into a folder when they are missing, trying mirrors in order and
/// keeping a file only when its MD5 matches the published one.
/// </summary>
public static class MnistDownloader
{
    /// <summary>The mirrors torchvision uses, tried in this order.</summary>
    public static IReadOnlyList<Uri> DefaultMirrors { get; } =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
    ];

    /// <summary>
    /// Makes sure <paramref name="directory"/> holds the four MNIST files (gzipped or not),
    /// downloading the missing ones, and returns <paramref name="directory"/>. A file is written
    /// under a temporary name and renamed only once its MD5 checks out, so a failed or
    /// interrupted download never leaves a partial file under the final name. When the download
    /// fails, the folders this call created are removed again if they are empty; files that were
    /// verified before the failure stay, so the next call fetches only the rest.
    /// </summary>
    /// <param name="directory">Where the files live; created when absent.</param>
    /// <param name="httpClient">The client to download with; a new one when null.</param>
    /// <param name="mirrors">Base addresses to try in order; <see cref="DefaultMirrors"/> when null.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="DataDownloadException">No mirror served a valid copy of some file.</exception>
    public static async Task<string> EnsureAsync(
        string directory,
        HttpClient? httpClient = null,
        IReadOnlyList<Uri>? mirrors = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        mirrors ??= DefaultMirrors;
        if (mirrors.Count == 0)
        {
            throw new ArgumentException("At least one mirror is needed.", nameof(mirrors));
        }

        var missing = MnistFile.All.Where(f => f.FindIn(directory) is null).ToList();
        if (missing.Count == 0)
        {
            return directory;
        }

        var created = FoldersToCreate(directory);
        Directory.CreateDirectory(directory);
        var ownedClient = httpClient is null ? new HttpClient { Timeout = TimeSpan.FromMinutes(5) } : null;
        try
        {
            foreach (var file in missing)
            {
                await DownloadAsync(httpClient ?? ownedClient!, mirrors, file, directory, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            RemoveIfEmpty(created);
            throw;
        }
        finally
        {
            ownedClient?.Dispose();
        }

        return directory;
    }

    private static async Task DownloadAsync(HttpClient client, IReadOnlyList<Uri> mirrors, MnistFile file, string directory, CancellationToken cancellationToken)
    {
        var attempts = new List<string>();
        var allUnreachable = true;
        Exception? lastError = null;
        foreach (var mirror in mirrors)
        {
            var address = new Uri(mirror, file.GzipName);
            var temporary = Path.Combine(directory, $"{file.GzipName}.{Guid.NewGuid():N}.part");
            try
            {
                using var response = await client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    allUnreachable = false;
                    attempts.Add($"{address}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    continue;
                }

                var md5 = await SaveAsync(response, temporary, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(md5, file.Md5, StringComparison.OrdinalIgnoreCase))
                {
                    allUnreachable = false;
                    attempts.Add($"{address}: rejected, MD5 is {md5} but {file.Md5} was expected");
                    continue;
                }

                File.Move(temporary, Path.Combine(directory, file.GzipName), overwrite: true);
                return;
            }
            catch (HttpRequestException ex)
            {
                lastError = ex;
                attempts.Add($"{address}: {ex.Message}");
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = ex;
                attempts.Add($"{address}: timed out after {client.Timeout}");
            }
            catch (IOException ex)
            {
                // A connection dropped mid-body, or the disk refused the write: either way this mirror failed.
                allUnreachable = false;
                lastError = ex;
                attempts.Add($"{address}: {ex.Message}");
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        var headline = allUnreachable
            ? $"Could not download MNIST file '{file.GzipName}': the machine seems offline (no mirror could be reached)."
            : $"Could not download a valid copy of MNIST file '{file.GzipName}' from any mirror.";
        var names = string.Join(", ", MnistFile.All.Select(f => f.GzipName));
        throw new DataDownloadException(
            file.GzipName,
            attempts,
            $"{headline}{Environment.NewLine}Mirrors tried:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", attempts)}{Environment.NewLine}" +
            $"Put the four MNIST files ({names}), gzipped or not, in '{directory}' by other means, or give MnistDataset.Load another folder that holds them.",
            lastError);
    }

    /// <summary>The folders on the way to <paramref name="directory"/> that do not exist yet, deepest first: those CreateDirectory makes.</summary>
    private static List<string> FoldersToCreate(string directory)
    {
        var missing = new List<string>();
        for (var folder = Path.GetFullPath(directory); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Add(folder);
        }

        return missing;
    }

    /// <summary>
    /// Deletes <paramref name="created"/>, deepest first, stopping at the first that is not empty:
    /// it holds a file verified before the failure, or something another program put there since.
    /// </summary>
    private static void RemoveIfEmpty(List<string> created)
    {
        foreach (var folder in created)
        {
            try
            {
                Directory.Delete(folder, recursive: false);
            }
            catch (IOException)
            {
                return;
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }
        }
    }

    /// <summary>Streams the response body into <paramref name="path"/> and returns its MD5 in lower-case hex.</summary>
    private static async Task<string> SaveAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
            await using (target.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }
}
