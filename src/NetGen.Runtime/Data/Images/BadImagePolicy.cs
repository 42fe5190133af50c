namespace NetGen.Data.Images;

/// <summary>
/// What <see cref="ImageFolderDataset"/> does with a file in a class folder that cannot be decoded.
/// Every file's JPEG header is checked when the dataset is constructed, which catches corrupt
/// images and files that are not images at all (a stray text file). Damage after the header (a
/// truncated download) is only found when <see cref="ImageFolderDataset.Read"/> decodes the image,
/// on a loader worker; the policy applies there too. A decoder warning such as "premature end of
/// data" counts as a failure unless <see cref="ImageFolderOptions.AcceptDecoderWarnings"/> is set.
/// </summary>
public enum BadImagePolicy
{
    /// <summary>An <see cref="ImageDecodeException"/> naming the file: from construction for a bad header, from the read otherwise (the default).</summary>
    Throw,

    /// <summary>
    /// A warning naming the file is added to <see cref="ImageFolderDataset.Warnings"/> and written
    /// to <see cref="ImageFolderOptions.WarningWriter"/>. A bad header leaves the file out of the
    /// dataset; a failure when decoding keeps the sample, and its reads serve the next decodable
    /// image of its class instead, so batches keep their size (see <see cref="ImageFolderDataset.Read"/>).
    /// </summary>
    SkipWithWarning,
}
