using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// A network's summary table: layer, kind, output shape, parameters, forward FLOPs per sample and
/// a description, then parameter counts (trainable and frozen), buffers, FLOPs and memory.
/// </summary>
/// <remarks>
/// Which layers are frozen can change at run time (<c>SetFrozen</c>), so generated code keeps the
/// fixed <see cref="SummaryParts"/> and the runtime's <c>NetGen.NetworkSummary.Render</c> adds the
/// frozen marks and counts; <see cref="Render"/> does the same here for the declared state, for the
/// class's XML documentation. Buffers (BatchNorm running statistics) are counted apart from the
/// parameters, as PyTorch's state_dict keeps them (Keras counts them as non-trainable parameters).
/// </remarks>
internal static class SummaryRenderer
{
    /// <summary>What <c>NetworkSummary.Render</c> appends after a frozen layer's row; the same text as the runtime's.</summary>
    private const string FrozenMark = "  (frozen)";

    public static SummaryParts Parts(NetworkPlan plan)
    {
        // A graph (a layer reading anything but the layer before it) gets Keras' "Connected to" column: what each layer reads.
        var graph = plan.Layers.Select((layer, i) => layer.Inputs.Count != 1 || layer.Inputs[0].ProducerName != (i == 0 ? InputReference.NetworkInput : plan.Layers[i - 1].Layer.PropertyName)).Any(b => b);
        var rows = new List<string[]> { new[] { "Layer", "Kind", "Output", "Params", "FLOPs", graph ? "Reads" : string.Empty, string.Empty } };
        rows.AddRange(plan.Spec.AllInputs.Select(input => new[] { input.Name, "Input", input.Shape.WithBatch, "0", "0", string.Empty, string.Empty }));
        for (var node = 0; node < plan.Layers.Count; node++)
        {
            var layer = plan.Layers[node];
            var kind = LayerKinds.For(layer.Layer);
            var reads = graph ? string.Join(", ", layer.Inputs.Select(i => StateNameOf(plan, i.ProducerName))) : string.Empty;
            // A use of another layer's parameters shows whose they are; they are counted once, on the owner's row.
            var (parameters, describe) = layer.OwnsParameters
                ? (Count(layer.ParameterCount), kind.DescribeOnCpu(plan, node))
                : ("shared", $"{kind.DescribeOnCpu(plan, node)}, {plan.Layers[layer.ParameterOwner].Layer.StateName}'s parameters");
            rows.Add(new[] { layer.Layer.StateName, kind.Name, layer.Output.WithBatch, parameters, Count(Flops(layer)), reads, describe });
        }

        var widths = Enumerable.Range(0, 7).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var lines = rows.Select(row => (row[0].PadRight(widths[0]) + "  " + row[1].PadRight(widths[1]) + "  " + row[2].PadRight(widths[2]) + "  " + row[3].PadLeft(widths[3]) + "  " + row[4].PadLeft(widths[4]) + "  " + (graph ? row[5].PadRight(widths[5]) + "  " : string.Empty) + row[6]).TrimEnd()).ToList();

        var table = new StringBuilder().Append(plan.Spec.TypeName);
        if (plan.Spec.Outputs.Count > 0)
        {
            // Each output's loss and its weight in the total.
            table.Append(" (losses: ").Append(string.Join(" + ", plan.Outputs.Select(o => $"{Literals.Number(o.Weight)} × {o.Loss.Kind} on {plan.Layers[o.Node].Layer.StateName}"))).Append(")\n");
            return Finish(plan, table, lines);
        }

        table.Append(" (loss: ").Append(plan.Loss.Kind);
        if (plan.Loss.LabelSmoothing > 0)
        {
            table.Append(", label smoothing ").Append(Literals.Number(plan.Loss.LabelSmoothing));
        }

        table.Append(")\n");
        return Finish(plan, table, lines);
    }

    /// <summary>The column titles and input rows after the heading, one row per layer, and the closing lines.</summary>
    private static SummaryParts Finish(NetworkPlan plan, StringBuilder table, List<string> lines)
    {
        var inputs = plan.Spec.AllInputs.Count;
        foreach (var line in lines.Take(1 + inputs))
        {
            table.Append(line).Append('\n');
        }

        var footer = new StringBuilder();
        if (plan.BufferCount > 0)
        {
            footer.Append("Buffers: ").Append(Count(plan.BufferCount)).Append(" (running statistics: updated by training, not by optimizers; not counted as parameters)\n");
        }

        footer.Append("Forward FLOPs per sample: ").Append(Count(plan.Layers.Sum(Flops))).Append(" (a multiply-add counts as 2)\n");
        footer.Append("Activation memory per sample: ").Append(Count(plan.ActivationsPerSample * 4L)).Append(" bytes (training, with gradients: ").Append(Count(plan.ActivationsPerSample * 8L)).Append(" bytes)");
        return new SummaryParts(table.ToString(), lines.Skip(1 + inputs).ToArray(), footer.ToString());
    }

    /// <summary>The summary with the layers frozen as declared (<c>[Frozen]</c>), as a new instance's <c>Summary()</c> returns it.</summary>
    public static string Render(NetworkPlan plan)
    {
        var parts = Parts(plan);
        var text = new StringBuilder(parts.Table);
        for (var i = 0; i < plan.Layers.Count; i++)
        {
            text.Append(parts.LayerRows[i]).Append(IsFrozen(plan.Layers[i]) ? FrozenMark : string.Empty).Append('\n');
        }

        var frozen = plan.Layers.Where(IsFrozen).Sum(l => (long)l.OwnedParameterCount);
        text.Append("Parameters: ").Append(Count(plan.ParameterCount)).Append(" (trainable: ").Append(Count(plan.ParameterCount - frozen)).Append(", frozen: ").Append(Count(frozen)).Append(")\n");
        return text.Append(parts.Footer).ToString();
    }

    /// <summary>The state_dict name of the layer called <paramref name="propertyName"/>, as the summary's rows name layers (<c>input</c> stays).</summary>
    private static string StateNameOf(NetworkPlan plan, string propertyName) =>
        plan.Layers.FirstOrDefault(l => l.Layer.PropertyName == propertyName)?.Layer.StateName ?? propertyName;

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static bool IsFrozen(LayerPlan layer) => layer.Layer.Frozen && layer.ParameterCount > 0;

    private static long Flops(LayerPlan layer) => LayerKinds.For(layer.Layer).ForwardFlops(layer.Layer, layer.Input, layer.Output);
}

/// <summary>
/// The parts of a summary that do not change at run time: <paramref name="Table"/> (heading, column
/// titles, input row; each line ends in a newline), one row per layer, and the closing lines.
/// </summary>
internal sealed record SummaryParts(string Table, IReadOnlyList<string> LayerRows, string Footer);
