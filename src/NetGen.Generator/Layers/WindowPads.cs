using System.Globalization;

namespace NetGen.Generator.Layers;

/// <summary>
/// Rows and columns of padding around an image window, in ONNX <c>pads</c> order
/// (<c>[top, left, bottom, right]</c>). The bottom and right only add window positions; the top and
/// left also shift every window.
/// </summary>
internal readonly record struct WindowPads(int Top, int Left, int Bottom, int Right)
{
    public static WindowPads Even(int size) => new(size, size, size, size);

    public bool IsEven => Top == Left && Left == Bottom && Bottom == Right;

    /// <summary>The largest side, for the rules that a pooling window must hold a pixel and that Winograd pads by at most 2.</summary>
    public int Widest => System.Math.Max(System.Math.Max(Top, Left), System.Math.Max(Bottom, Right));

    /// <summary>The named padding arguments of <c>NetGen.WindowGeometry</c>'s constructor: one size when even, else all four sides.</summary>
    public string GeometryArguments => IsEven
        ? $"padding: {Top}"
        : $"padTop: {Top}, padLeft: {Left}, padBottom: {Bottom}, padRight: {Right}";

    /// <summary>The four sides as the <c>Pads</c> argument lists them.</summary>
    public string List => $"[{Top}, {Left}, {Bottom}, {Right}]";

    /// <summary>One number when even, else the <c>pads</c> list, as the runtime's geometry prints it.</summary>
    public override string ToString() => IsEven ? Top.ToString(CultureInfo.InvariantCulture) : List;
}
