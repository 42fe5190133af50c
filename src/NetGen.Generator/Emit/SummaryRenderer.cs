using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>Renders a network's summary table (layer, kind, output shape, parameters, description) at build time.</summary>
internal static class SummaryRenderer
{
    public static string Render(NetworkPlan plan)
    {
        var rows = new List<string[]> { new[] { "Layer", "Kind", "Output", "Params", "" } };
        rows.Add(new[] { "input", "Input", plan.Spec.InputShape.WithBatch, "0", string.Empty });
        foreach (var layer in plan.Layers)
        {
            var kind = LayerKinds.For(layer.Layer);
            rows.Add(new[] { layer.Layer.StateName, kind.Name, layer.Output.WithBatch, Count(layer.ParameterCount), kind.Describe(layer.Layer, layer.Input, layer.Output) });
        }

        var widths = Enumerable.Range(0, 5).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var builder = new StringBuilder();
        builder.Append(plan.Spec.TypeName).Append(" (loss: ").Append(plan.Loss.Kind);
        if (plan.Loss.LabelSmoothing > 0)
        {
            builder.Append(", label smoothing ").Append(Literals.Number(plan.Loss.LabelSmoothing));
        }

        builder.Append(")\n");
        foreach (var row in rows)
        {
            var line = row[0].PadRight(widths[0]) + "  " + row[1].PadRight(widths[1]) + "  " + row[2].PadRight(widths[2]) + "  " + row[3].PadLeft(widths[3]) + "  " + row[4];
            builder.Append(line.TrimEnd()).Append('\n');
        }

        builder.Append("Total parameters: ").Append(Count(plan.ParameterCount)).Append(" (trainable: ").Append(Count(plan.ParameterCount)).Append(")\n");
        builder.Append("Activation memory per sample: ").Append(Count(plan.ActivationsPerSample * 4)).Append(" bytes (training, with gradients: ").Append(Count(plan.ActivationsPerSample * 8)).Append(" bytes)");
        return builder.ToString();
    }

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
