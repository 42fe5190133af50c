namespace NetGen.Data.Images;

/// <summary>A rectangle of whole pixels inside an image (torchvision's <c>top, left, height, width</c>).</summary>
/// <param name="Top">First row.</param>
/// <param name="Left">First column.</param>
/// <param name="Height">Number of rows.</param>
/// <param name="Width">Number of columns.</param>
public readonly record struct CropBox(int Top, int Left, int Height, int Width);
