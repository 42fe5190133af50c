using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>
/// Uneven padding (<c>Pads</c>, ONNX order [top, left, bottom, right]) and <c>PaddingSize</c> on
/// Conv2D and the pools, and AvgPool2D's <c>CountIncludePad</c>: the bad arguments' NG0007 (ID, exact
/// span, message), the shape rule, and the geometry the generated code builds.
/// </summary>
public sealed class PaddingTests
{
    [Fact]
    public void NG0007_PadsWithoutFourValues() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, [|Pads = [1, 1, 1]|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0007",
        "Layer 'Conv': Conv2D Pads needs 4 values [top, left, bottom, right] (ONNX order), got 3");

    [Fact]
    public void NG0007_NegativePads() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [MaxPool2D(2, [|Pads = new[] { 0, 1, -1, 0 }|])] public partial MaxPool2D Pool { get; }
        }
        """,
        "NG0007",
        "Layer 'Pool': MaxPool2D Pads must not be negative, got [0, 1, -1, 0]");

    [Fact]
    public void NG0007_PadsBesidePaddingSize() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, PaddingSize = 1, [|Pads = [1, 1, 0, 0]|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0007",
        "Layer 'Conv': Conv2D Pads and PaddingSize both set the padding; keep one");

    [Fact]
    public void NG0007_PadsBesideSamePadding() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 2, [|Pads = [0, 0, 1, 1]|], Padding = Padding.Same)] public partial Conv2D Conv { get; }
        }
        """,
        "NG0007",
        "Layer 'Conv': Conv2D Pads and Padding both set the padding; keep one");

    [Fact]
    public void NG0007_PoolPadsBesidePaddingSize() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [AvgPool2D(3, [|Pads = [1, 1, 0, 0]|], PaddingSize = 1)] public partial AvgPool2D Pool { get; }
        }
        """,
        "NG0007",
        "Layer 'Pool': AvgPool2D Pads and PaddingSize both set the padding; keep one");

    [Fact]
    public void NG0007_PoolPaddedAsWideAsItsWindow() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [MaxPool2D(2, [|Pads = [2, 2, 2, 2]|])] public partial MaxPool2D Pool { get; }
        }
        """,
        "NG0007",
        "Layer 'Pool': MaxPool2D padding must be smaller than the 2×2 window on every side, or a window would hold no pixel; got Pads [2, 2, 2, 2]");

    [Fact]
    public void NG0007_PoolPaddingSizeAsWideAsItsWindow() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [AvgPool2D(2, [|PaddingSize = 2|])] public partial AvgPool2D Pool { get; }
        }
        """,
        "NG0007",
        "Layer 'Pool': AvgPool2D padding must be smaller than the 2×2 window on every side, or a window would hold no pixel; got PaddingSize 2");

    [Fact]
    public void NG0007_NegativePoolPaddingSize() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [MaxPool2D(3, [|PaddingSize = -1|])] public partial MaxPool2D Pool { get; }
        }
        """,
        "NG0007",
        "Layer 'Pool': MaxPool2D PaddingSize must not be negative, got -1");

    [Fact]
    public void NG0103_NamesTheUnevenPadding() => AssertDiagnostic(
        """
        [Network, Input(1, 3, 6)]
        public partial class Net
        {
            [[|Conv2D(4, 5, Pads = [0, 0, 1, 1])|]] public partial Conv2D Conv { get; }
        }
        """,
        "NG0103",
        "Layer 'Conv' (Conv2D) has a 5×5 kernel, larger than the 3×6 image (padding [0, 0, 1, 1]) that 'input' produces as [1, 3, 6], so its output would be [4, 0, 3]; use a smaller kernel, more padding, or fewer downsampling layers before 'Conv'");

    [Fact]
    public void UnevenPaddingShapesEachAxisAndReachesTheGeometryByName()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy), Input(1, 7, 6)]
            public partial class Net
            {
                [Conv2D(4, 2, Activation.ReLU, Pads = [0, 0, 1, 1])] public partial Conv2D Conv { get; }
                [MaxPool2D(3, Stride = 2, PaddingSize = 1)] public partial MaxPool2D Max { get; }
                [AvgPool2D(2, Pads = [1, 0, 0, 1], CountIncludePad = false)] public partial AvgPool2D Avg { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(3, Activation.Softmax)] public partial Dense Output { get; }
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity != Microsoft.CodeAnalysis.DiagnosticSeverity.Info));
        Assert.Empty(run.CompilationProblems);
        var cpu = run.Sources["Net.g.cs"];
        // [1, 7, 6] → conv 2×2 padded below and right → [4, 7, 6] → max 3×3 / 2, padding 1 → [4, 4, 3] → avg 2×2 padded above and right → [4, 2, 2]
        Assert.Contains("var geometry = new global::NetGen.WindowGeometry(channels: 1, height: 7, width: 6, window: 2, stride: 1, padTop: 0, padLeft: 0, padBottom: 1, padRight: 1);", cpu);
        Assert.Contains("var geometry = new global::NetGen.WindowGeometry(channels: 4, height: 7, width: 6, window: 3, stride: 2, padding: 1);", cpu);
        Assert.Contains("var geometry = new global::NetGen.WindowGeometry(channels: 4, height: 4, width: 3, window: 2, stride: 2, padTop: 1, padLeft: 0, padBottom: 0, padRight: 1);", cpu);
        Assert.Contains("batch: batch, geometry: geometry, countIncludePad: false);", cpu);
        Assert.Contains("batch: batch, geometry: geometry, countIncludePad: false, previousActivation: global::NetGen.Activation.None,", cpu);
    }

    [Fact]
    public void PadsWrittenAsNullMeanNoPads()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            [Network, Input(1, 6, 6)]
            public partial class Net
            {
                [Conv2D(2, 3, Pads = null)] public partial Conv2D Conv { get; }
                [Flatten] public partial Flatten Flat { get; }
                [Dense(2, Activation.Softmax)] public partial Dense Output { get; }
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity != Microsoft.CodeAnalysis.DiagnosticSeverity.Info));
        Assert.Empty(run.CompilationProblems);
        Assert.Contains("window: 3, stride: 1, padding: 0);", run.Sources["Net.g.cs"]);
    }
}
