namespace NetGen.Data.Images;

/// <summary>
/// What <see cref="ImageFolderDataset"/> does with a file in a class folder whose JPEG header cannot
/// be read (a corrupt image, or a file that is not an image at all, such as a stray text file).
/// Every file's header is checked when the dataset is constructed, so the choice is made once, up
/// front. Damage after the header (a truncated download) is only found when the image is decoded
/// by <see cref="ImageFolderDataset.Read"/>, which then always throws an
/// <see cref="ImageDecodeException"/> naming the file, unless
/// <see cref="ImageFolderOptions.AcceptDecoderWarnings"/> is set.
/// </summary>
public enum BadImagePolicy
{
    /// <summary>Construction fails with an <see cref="ImageDecodeException"/> naming the first bad file (the default).</summary>
    Throw,

    /// <summary>
    /// The file is left out of the dataset and a warning naming it is added to
    /// <see cref="ImageFolderDataset.Warnings"/> and written to <see cref="ImageFolderOptions.WarningWriter"/>.
    /// </summary>
    SkipWithWarning,
}
