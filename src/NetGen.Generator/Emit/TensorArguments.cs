using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The parameter names of the generated methods' tensors: <c>inputs</c> for a network whose class declares
/// its one input, else one per input property in camel case (<c>Image</c> → <c>image</c>); each output's
/// buffer (<c>digit</c>) and its labels or targets (<c>digitLabels</c>, <c>parityTargets</c>). A name that
/// would collide with another or with the generated code's own locals gets a suffix.
/// </summary>
internal sealed class TensorArguments
{
    // Locals and parameters the generated methods declare beside the tensors.
    private static readonly HashSet<string> Taken = new(System.StringComparer.Ordinal) { "batch", "training", "use", "inputs", "outputs", "labels", "targets", "input", "value" };

    private TensorArguments(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<string> targets)
    {
        Inputs = inputs;
        Outputs = outputs;
        Targets = targets;
    }

    /// <summary>One per network input, in declaration order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>One per output, for the buffer that receives it.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>One per output, for its labels (losses that take class labels) or float targets.</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>The local holding the <paramref name="output"/>th output's mean loss.</summary>
    public static string LossLocal(int output) => "loss" + output;

    public static TensorArguments Of(NetworkPlan plan)
    {
        var used = new HashSet<string>(Taken, System.StringComparer.Ordinal);
        for (var o = 0; o < plan.Outputs.Count; o++)
        {
            used.Add(LossLocal(o));
        }

        var inputs = plan.Spec.NamedInputs.Count == 0
            ? new List<string> { "inputs" }
            : plan.Spec.NamedInputs.Select(i => Unique(Camel(i.Name), "Input", used)).ToList();
        var outputs = plan.Outputs.Select(o => Unique(Camel(o.Name), "Output", used)).ToList();
        var targets = plan.Outputs.Select(o => Unique(Camel(o.Name) + (LossTable.Of(o.Loss.Kind).TakesLabels ? "Labels" : "Targets"), "Values", used)).ToList();
        return new TensorArguments(inputs, outputs, targets);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string Unique(string name, string suffix, HashSet<string> used)
    {
        var candidate = name;
        for (var n = 2; used.Contains(candidate) || used.Contains(Identifiers.Escape(candidate)); n++)
        {
            candidate = name + suffix + (n == 2 ? string.Empty : n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        used.Add(candidate);
        return Identifiers.Escape(candidate);
    }
}
