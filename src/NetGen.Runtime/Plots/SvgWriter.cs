using System.Globalization;
using System.IO;
using System.Security;
using System.Text;
using NetGen.Checkpoints;

namespace NetGen.Plots;

/// <summary>Builds a small SVG document as text, escaping every string, and writes it atomically.</summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder svg = new();

    public SvgWriter(double width, double height)
    {
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, bool dashed = false) =>
        svg.Append(Invariant($"<line x1=\"{x1:0.##}\" y1=\"{y1:0.##}\" x2=\"{x2:0.##}\" y2=\"{y2:0.##}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{Dash(dashed)}/>\n"));

    public void Rect(double x, double y, double width, double height, string fill, string? title = null)
    {
        svg.Append(Invariant($"<rect x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{width:0.##}\" height=\"{height:0.##}\" fill=\"{fill}\""));
        svg.Append(title is null ? "/>\n" : $"><title>{SecurityElement.Escape(title)}</title></rect>\n");
    }

    public void Text(double x, double y, string text, string anchor = "middle", string fill = "black", string extra = "") =>
        svg.Append(Invariant($"<text x=\"{x:0.##}\" y=\"{y:0.##}\" text-anchor=\"{anchor}\" fill=\"{fill}\"{extra}>")).Append(SecurityElement.Escape(text)).Append("</text>\n");

    /// <summary>A polyline tagged with <paramref name="series"/> (as <c>data-series</c>) so tools and tests can find it.</summary>
    public void Polyline(string series, string stroke, string points, bool dashed) =>
        svg.Append(Invariant($"<polyline data-series=\"{SecurityElement.Escape(series)}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2\"{Dash(dashed)} points=\"{points}\"/>\n"));

    private static string Dash(bool dashed) => dashed ? " stroke-dasharray=\"6 3\"" : string.Empty;

    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        var bytes = Encoding.UTF8.GetBytes(svg + "</svg>\n");
        stream.Write(bytes);
    });

    public static string Invariant(System.FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
