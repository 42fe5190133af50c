using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using NetGen.Generator.Layers;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>What the oracle knows about a generated declaration.</summary>
internal enum Validity
{
    /// <summary>Well-formed by construction: must compile without warnings.</summary>
    Valid,

    /// <summary>A fault was injected: must get an NG diagnostic or a compiler error in the user's file.</summary>
    Invalid,

    /// <summary>A fault only NetGen can see (a name clash, an unusable input shape): must get an NG error.</summary>
    InvalidForNetGen,

    /// <summary>Random layers or extreme sizes: only the generator's own invariants apply.</summary>
    Unknown,
}

/// <summary>One random network declaration, as source, with what the oracle expects of it.</summary>
internal sealed record FuzzDeclaration(string TypeName, string Source, Validity Validity, string Fault, int InputSize, int OutputSize);

/// <summary>
/// FsCheck generators of network declarations: a valid core (input, Flatten where needed, Dense
/// layers, a last layer that fits the loss) wrapped in random namespace styles, nesting and
/// accessibility, then optionally one injected fault or random layers of every kind in
/// <see cref="LayerKinds.All"/> with arguments built from the attribute's constructor, and its bool switches, by reflection.
/// </summary>
internal static class FuzzDeclarations
{
    private static readonly string[] Activations = Enum.GetNames<Activation>();
    // int.MaxValue overflows a network's buffers (NG0104); the rest probe signs and small sizes.
    private static readonly int[] ExtremeInts = [0, -1, -7, 1, 2, 3, 8, 4096, int.MinValue, int.MaxValue];

    public static Gen<FuzzDeclaration> Declaration(int index) =>
        from input in Gen.OneOf(Gen.Choose(1, 64).Select(n => new[] { n }), Gen.Choose(1, 3).Three().Select(t => new[] { t.Item1, t.Item2 + 1, t.Item3 + 1 }))
        from hidden in HiddenLayer().ListOf().Select(l => l.Take(4).ToList())
        from loss in Gen.Choose(0, 3)
        from last in LastLayer(loss)
        from wrapper in Gen.Elements("global", "block", "file", "nested", "nested-struct")
        from access in Gen.Elements("public", "internal")
        from fault in Gen.Frequency((8, Gen.Constant("none")), (6, Gen.Elements(Faults)), (4, Gen.Elements(HostileShapes)), (3, Gen.Constant("random-layers")), (1, Gen.Constant("large-units")), (5, Gen.Elements(GraphShapes)), (4, Gen.Elements(NamedTensorShapes)))
        from graph in GraphChoices()
        from reserved in Gen.Elements(GeneratedMemberNames.Fixed.Order(StringComparer.Ordinal).ToArray())
        from randomLayers in RandomLayer().ListOf().Select(l => l.Take(3).ToList())
        from extreme in Gen.Elements(ExtremeInts)
        select Build(index, input, hidden, loss, last, wrapper, access, fault, randomLayers, extreme, reserved, graph);

    private static readonly string[] Faults =
    [
        "class-not-partial", "no-input", "bad-input-dim", "no-layers", "property-not-partial", "wrong-property-type",
        "bad-units", "garbage-activation", "string-units", "missing-units", "unknown-attribute", "generic-outer",
        "outer-not-partial", "dense-on-image", "loss-mismatch", "token-input",
    ];

    /// <summary>
    /// Legal C# that once broke the generator: a class split over partial declarations and keyword
    /// names written verbatim (both valid networks), names of generated members, layers whose view
    /// fields or state_dict names coincide, a null input shape, a generic network class, and layer
    /// properties whose fallback body must still match them (a setter, a nullable type), a base class
    /// with a member named like a generated one, and a second
    /// network whose name differs only in case (hint names are compared ignoring case).
    /// </summary>
    private static readonly string[] HostileShapes =
    [
        "partial-split", "verbatim-names", "reserved-layer-name", "reserved-member-name", "case-clash", "state-name-clash",
        "null-input", "generic-network", "layer-setter", "nullable-layer-type", "case-twin", "inherited-member-name",
    ];

    /// <summary>
    /// Graphs: branches joined by Add and Concat reading earlier layers or the input (valid), and the
    /// faults only a graph has: an Add of two sizes, a cycle, an unknown name, a layer nobody reads. With
    /// shared weights: a branch layer applied again with [Reuse] (valid), and the faulty reuses: on an
    /// input its parameters do not fit, of a reuse, of an unknown name, of a layer without parameters.
    /// </summary>
    private static readonly string[] GraphShapes =
    [
        "graph", "graph", "graph", "bad-merge", "cycle", "unknown-input", "unused",
        "reuse", "reuse", "bad-reuse-shape", "reuse-of-reuse", "reuse-unknown", "reuse-parameterless",
    ];

    /// <summary>
    /// Several inputs and outputs: the input moved onto a property beside a second one, which a second output
    /// (mean squared error, weight ½) reads (valid); and their faults: an input nobody reads, a weight that is not
    /// positive, an [Output] whose loss does not fit its layer, an input declared on the class and as a property.
    /// </summary>
    internal static readonly string[] NamedTensorShapes = ["multi-io", "multi-io", "unused-input", "bad-output-weight", "output-loss-mismatch", "input-twice"];

    /// <summary>The random choices a graph shape makes: which earlier tensor the branch reads, its size and activations.</summary>
    private static Gen<(int BranchSource, int Units, string First, string Second, string Joined)> GraphChoices() =>
        from branch in Gen.Choose(0, 7)
        from units in Gen.Choose(1, 12)
        from first in Gen.Elements(Activations)
        from second in Gen.Elements(Activations)
        from joined in Gen.Elements(Activations.Where(a => a != "Softmax").ToArray())
        select (branch, units, first, second, joined);

    private static Gen<(int Units, string Activation, bool Bias)> HiddenLayer() =>
        from units in Gen.Choose(1, 32)
        from activation in Gen.Elements(Activations)
        from bias in Gen.Elements(true, true, false)
        select (units, activation, bias);

    private static Gen<(int Units, string Activation)> LastLayer(int loss) => loss switch
    {
        0 => Gen.Zip(Gen.Choose(2, 10), Gen.Elements("None", "Softmax")),
        1 => Gen.Elements("None", "Sigmoid").Select(a => (1, a)),
        _ => Gen.Zip(Gen.Choose(1, 8), Gen.Elements(Activations)),
    };

    /// <summary>A layer of any known kind with reflected, possibly absurd, constructor arguments (and a recurrent layer's stacking).</summary>
    private static Gen<string> RandomLayer() =>
        from kind in Gen.Elements(LayerKinds.All.ToArray())
        from arguments in Gen.CollectToArray(Parameters(kind), Argument)
        from switches in Gen.CollectToArray(Switches(kind), name => Gen.Elements($"{name} = true", $"{name} = false", string.Empty))
        from stacking in Stacking(kind)
        select $"[{kind.Name}({string.Join(", ", arguments.Concat(switches.Where(s => s.Length > 0)).Concat(stacking))})] public partial {kind.Name} {{0}} {{ get; }}";

    // The attribute's settable bool properties (ReturnSequences, Bidirectional, …): each set either way or left out.
    private static IEnumerable<string> Switches(LayerKind kind) =>
        typeof(NetworkAttribute).Assembly.GetType(kind.AttributeMetadataName)!.GetProperties().Where(p => p.CanWrite && p.PropertyType == typeof(bool)).Select(p => p.Name);

    /// <summary>NumLayers and Dropout for a recurrent layer: extreme counts, rates inside and outside [0, 1).</summary>
    private static Gen<string[]> Stacking(LayerKind kind) =>
        typeof(RecurrentLayerAttribute).IsAssignableFrom(typeof(NetworkAttribute).Assembly.GetType(kind.AttributeMetadataName))
            ? from layers in Gen.Elements(ExtremeInts)
              from dropout in Gen.Elements("0", "0.5", "1", "-0.5", "double.NaN")
              select new[] { $"NumLayers = {layers}", $"Dropout = {dropout}" }
            : Gen.Constant(Array.Empty<string>());

    private static IEnumerable<Type> Parameters(LayerKind kind)
    {
        var attribute = typeof(NetworkAttribute).Assembly.GetType(kind.AttributeMetadataName)
            ?? throw new InvalidOperationException($"{kind.AttributeMetadataName} is not in NetGen.Attributes");
        return attribute.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters().Select(p => p.ParameterType);
    }

    private static Gen<string> Argument(Type type) =>
        type == typeof(int) ? Gen.Elements(ExtremeInts).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))
        : type == typeof(int[]) ? Gen.Elements(ExtremeInts).ListOf().Select(l => "new[] { " + string.Join(", ", l.Take(3).DefaultIfEmpty(1)) + " }")
        : type == typeof(bool) ? Gen.Elements("true", "false")
        : type.IsEnum ? Gen.Elements(Enum.GetNames(type).Select(n => $"{type.Name}.{n}").Append($"({type.Name})99").ToArray())
        : Gen.Constant("default");

    private static FuzzDeclaration Build(int index, int[] input, List<(int Units, string Activation, bool Bias)> hidden, int loss, (int Units, string Activation) last,
        string wrapper, string access, string fault, List<string> randomLayers, int extreme, string reserved,
        (int BranchSource, int Units, string First, string Second, string Joined) graph)
    {
        var name = $"Net{index}";
        if (fault == "dense-on-image" && input.Length == 1)
        {
            input = [1, input[0], 1]; // the fault needs an image-like input to be one
        }

        var image = input.Length > 1;
        var layers = new List<string>();
        if (image && fault != "dense-on-image")
        {
            layers.Add($"[Flatten] {access} partial Flatten Pixels {{ get; }}");
        }

        for (var i = 0; i < hidden.Count; i++)
        {
            var (units, activation, bias) = hidden[i];
            var size = fault == "large-units" && i == 0 ? extreme : units;
            layers.Add($"[Dense({size}, Activation.{activation}{(bias ? string.Empty : ", Bias = false")})] {access} partial Dense Hidden{i} {{ get; }}");
        }

        var lastUnits = fault == "loss-mismatch" ? (loss == 1 ? 3 : 1) : last.Units;
        var lastLoss = fault == "loss-mismatch" && loss > 1 ? 0 : loss;
        layers.Add($"[Dense({lastUnits}, Activation.{last.Activation})] {access} partial Dense Output {{ get; }}");
        if (fault == "random-layers")
        {
            layers.InsertRange(layers.Count - 1, randomLayers.Select((l, i) => l.Replace("public", access).Replace("{0}", $"Random{i}")));
        }

        if (GraphShapes.Contains(fault))
        {
            AddGraph(fault, layers, access, image, graph);
        }

        layers = Inject(fault, layers, extreme, access, reserved);
        var networkLoss = $"Loss = (Loss){lastLoss}, ";
        if (NamedTensorShapes.Contains(fault))
        {
            NameTensors(fault, layers, access, input, lastLoss);
            networkLoss = string.Empty;
        }

        var inputAttribute = fault switch
        {
            "multi-io" or "unused-input" or "bad-output-weight" or "output-loss-mismatch" => string.Empty,
            "no-input" => string.Empty,
            "bad-input-dim" => $", Input({string.Join(", ", input.Take(input.Length - 1).Append(Math.Min(0, extreme)))})",
            "null-input" => ", Input(null)",
            // Token ids of any vocabulary (NG0123 unless positive) read by the first layer, never an Embedding here (NG0122).
            "token-input" => $", Input({string.Join(", ", input)}, Kind = InputKind.Tokens, Vocabulary = {extreme})",
            _ => $", Input({string.Join(", ", input)})",
        };
        var classKeyword = fault == "class-not-partial" ? "class" : "partial class";
        var typeParameters = fault == "generic-network" ? "<T>" : string.Empty;
        var body = fault == "partial-split"
            ? $"[Network(Loss = (Loss){lastLoss}, Seed = {index})]\n{access} partial class {name}\n{{\n    {string.Join("\n    ", layers.Take(layers.Count / 2))}\n}}\n\n"
                + $"[{inputAttribute.Substring(2)}]\n{access} partial class {name}\n{{\n    {string.Join("\n    ", layers.Skip(layers.Count / 2))}\n}}\n"
            : $"[Network({networkLoss}Seed = {index}){inputAttribute}]\n{access} {classKeyword} {name}{typeParameters}\n{{\n    {string.Join("\n    ", layers)}\n}}\n";
        if (fault == "inherited-member-name")
        {
            body = $"public class Base{index}\n{{\n    public int {reserved} => 0;\n}}\n\n" + body.Replace($"class {name}\n", $"class {name} : Base{index}\n");
        }

        if (fault == "case-twin")
        {
            body += "\n" + body.Replace($"class {name}", $"class {name.ToLowerInvariant()}");
        }

        if (fault == "unknown-attribute")
        {
            var firstLayer = body.IndexOf("    [", StringComparison.Ordinal);
            body = $"public sealed class Mystery{index}Attribute : LayerAttribute {{ }}\n\n" + body.Insert(firstLayer, $"    [Mystery{index}] {access} partial Dense Extra {{ get; }}\n");
        }

        var source = "using NetGen;\n\n" + Wrap(body, index, wrapper, fault);
        var validity = fault switch
        {
            "none" or "partial-split" or "verbatim-names" or "case-twin" or "graph" or "reuse" or "multi-io" => Validity.Valid,
            "bad-merge" or "cycle" or "unknown-input" or "unused" or "bad-reuse-shape" or "reuse-of-reuse" or "reuse-unknown" or "reuse-parameterless" => Validity.InvalidForNetGen,
            "unused-input" or "bad-output-weight" or "output-loss-mismatch" or "input-twice" or "token-input" => Validity.InvalidForNetGen,
            "random-layers" or "large-units" => Validity.Unknown,
            "reserved-layer-name" or "reserved-member-name" or "case-clash" or "state-name-clash" or "null-input" or "generic-network" or "layer-setter" or "nullable-layer-type" or "inherited-member-name" => Validity.InvalidForNetGen,
            _ => Validity.Invalid,
        };
        var inputSize = input.Aggregate(1, (a, b) => a * b);
        return new FuzzDeclaration(name, source, validity, fault, inputSize, lastUnits);
    }

    /// <summary>
    /// Inserts before the output a branch reading an earlier vector (or the input), a second layer on it,
    /// their Add, and a Concat of the sum with the layer declared before the branch; then applies a graph fault.
    /// </summary>
    private static void AddGraph(string fault, List<string> layers, string access, bool image,
        (int BranchSource, int Units, string First, string Second, string Joined) graph)
    {
        // Every layer before the output reads and makes a vector; an image input is read through Pixels only.
        var sources = layers.Take(layers.Count - 1).Select(NameOf).ToList();
        if (!image)
        {
            sources.Insert(0, "LayerAttribute.NetworkInput");
        }

        string Source(int choice) => sources[choice % sources.Count] is var name && name.StartsWith("LayerAttribute", StringComparison.Ordinal) ? name : $"nameof({sources[choice % sources.Count]})";
        var secondUnits = fault == "bad-merge" ? graph.Units + 1 : graph.Units;
        // The reuse shapes apply BranchB (units → units) again to its own output, and the Add reads that.
        var reused = fault.StartsWith("reuse", StringComparison.Ordinal) || fault == "bad-reuse-shape";
        var branch = fault == "unknown-input" ? "\"Nowhere\"" : Source(graph.BranchSource);
        var output = layers.Count - 1;
        layers.InsertRange(output, new[]
        {
            $"[Dense({graph.Units}, Activation.{graph.First}, Input = {branch})] {access} partial Dense BranchA {{ get; }}",
            $"[Dense({secondUnits}, Activation.{graph.Second})] {access} partial Dense BranchB {{ get; }}",
            $"[Add(nameof(BranchA), nameof({(reused ? "Tied" : "BranchB")}), Activation.{graph.Joined})] {access} partial Add Joined {{ get; }}",
            // The layer declared before the branch reads on into the Concat, so nothing is left unread.
            $"[Concat(nameof(Joined), {Source(sources.Count - 1)})] {access} partial Concat Merged {{ get; }}",
        });
        switch (fault)
        {
            case "cycle":
                // BranchA reads the output, which reads Merged, which reads BranchA's sum.
                layers[output] = layers[output].Replace($"Input = {branch}", "Input = nameof(Output)");
                break;
            case "unused":
                // BranchA names its input, so nothing reads the layer declared just before it.
                layers.Insert(output, $"[Dense(2)] {access} partial Dense Dangling {{ get; }}");
                break;
            case "reuse":
                layers.Insert(output + 2, $"[Reuse(nameof(BranchB))] {access} partial Dense Tied {{ get; }}");
                break;
            case "bad-reuse-shape":
                // BranchB's weight is [units, units]; Wider makes units + 1.
                layers.InsertRange(output + 2, new[]
                {
                    $"[Dense({graph.Units + 1})] {access} partial Dense Wider {{ get; }}",
                    $"[Reuse(nameof(BranchB))] {access} partial Dense Tied {{ get; }}",
                });
                break;
            case "reuse-of-reuse":
                layers.InsertRange(output + 2, new[]
                {
                    $"[Reuse(nameof(BranchB))] {access} partial Dense Again {{ get; }}",
                    $"[Reuse(nameof(Again))] {access} partial Dense Tied {{ get; }}",
                });
                break;
            case "reuse-unknown":
                layers.Insert(output + 2, $"[Reuse(\"Nowhere\")] {access} partial Dense Tied {{ get; }}");
                break;
            case "reuse-parameterless":
                layers.Insert(output + 2, $"[Reuse(nameof(Merged))] {access} partial Concat Tied {{ get; }}");
                break;
        }
    }

    /// <summary>
    /// Declares the input as the property <c>Main</c> (the first layer reads it by name) beside a second input
    /// <c>Extra</c> [3], read by a second output <c>Side</c> [2] (Tanh, mean squared error, weight ½); the last
    /// layer becomes an [Output] with the network's loss. A valid declaration gets a <c>Probe</c> method that runs
    /// the typed Forward on arrays, which reflection can call. Then applies the fault.
    /// </summary>
    private static void NameTensors(string fault, List<string> layers, string access, int[] input, int loss)
    {
        var first = layers[0];
        layers[0] = first.StartsWith("[Flatten]", StringComparison.Ordinal)
            ? first.Replace("[Flatten]", "[Flatten(Input = nameof(Main))]")
            : first.Replace(")] ", ", Input = nameof(Main))] ");
        var output = layers.Count - 1;
        var outputLoss = fault == "output-loss-mismatch" ? (loss == 1 ? 0 : 1) : loss;
        var outputUnits = System.Text.RegularExpressions.Regex.Match(layers[output], @"Dense\((\d+)").Groups[1].Value;
        if (fault == "output-loss-mismatch")
        {
            // One unit for softmax cross-entropy, or several for binary cross-entropy: neither fits.
            layers[output] = System.Text.RegularExpressions.Regex.Replace(layers[output], @"Dense\(\d+", loss == 1 ? "Dense(1" : "Dense(3");
        }

        layers[output] = layers[output].Replace(")] ", $"), Output((Loss){outputLoss})] ");
        var weight = fault == "bad-output-weight" ? "-0.5" : "0.5";
        layers.Insert(0, $"[Input({string.Join(", ", input)})] {access} partial InputTensor Main {{ get; }}");
        layers.Insert(1, $"[Input(3)] {access} partial InputTensor Extra {{ get; }}");
        if (fault != "unused-input")
        {
            layers.Add($"[Dense(2, Activation.Tanh, Input = nameof(Extra)), Output(Loss.MeanSquaredError, Weight = {weight})] {access} partial Dense Side {{ get; }}");
        }

        if (fault == "multi-io")
        {
            layers.Add($"public void Probe(float[] main, float[] extra, float[] output, float[] side) => Forward(main, extra, output, side);");
        }
    }

    /// <summary>The property name a generated layer line declares.</summary>
    private static string NameOf(string layer) => System.Text.RegularExpressions.Regex.Match(layer, @"(\w+) \{ get").Groups[1].Value;

    private static List<string> Inject(string fault, List<string> layers, int extreme, string access, string reserved)
    {
        var last = layers.Count - 1;
        switch (fault)
        {
            case "verbatim-names":
                // Layer properties named with keywords; their state_dict names are the bare keywords.
                layers[last] = layers[last].Replace(" Output {", " @event {");
                break;
            case "reserved-layer-name":
                layers[last] = layers[last].Replace(" Output {", $" {reserved} {{");
                break;
            case "reserved-member-name":
                layers.Add($"{access} int {reserved}() => 0;");
                break;
            case "layer-setter":
                layers[last] = layers[last].Replace(" Output { get; }", " Output { get; private set; }");
                break;
            case "nullable-layer-type":
                layers[last] = layers[last].Replace("partial Dense Output", "partial Dense? Output");
                break;
            case "case-clash":
                // 'output' needs the view field '_outputLayer' that 'Output' has.
                layers.Insert(last, $"[Dense(5)] {access} partial Dense output {{ get; }}");
                break;
            case "state-name-clash":
                // 'OUTPUT' is a distinct C# name whose state_dict name is 'output', like 'Output'.
                layers.Insert(last, $"[Dense(5)] {access} partial Dense OUTPUT {{ get; }}");
                break;
            case "no-layers":
                return [];
            case "property-not-partial":
                layers[last] = layers[last].Replace(" partial Dense Output { get; }", " Dense Output { get; } = null!;");
                break;
            case "wrong-property-type":
                layers[last] = layers[last].Replace("partial Dense Output", "partial Layer Output");
                break;
            case "bad-units":
                layers[last] = System.Text.RegularExpressions.Regex.Replace(layers[last], @"Dense\(\d+", $"Dense({Math.Min(0, extreme)}");
                break;
            case "garbage-activation":
                layers[last] = System.Text.RegularExpressions.Regex.Replace(layers[last], @"Activation\.\w+", "(Activation)42");
                break;
            case "string-units":
                layers[last] = System.Text.RegularExpressions.Regex.Replace(layers[last], @"Dense\(\d+", "Dense(\"ten\"");
                break;
            case "missing-units":
                layers[last] = System.Text.RegularExpressions.Regex.Replace(layers[last], @"\[Dense\([^\]]*\)\]", "[Dense]");
                break;
        }

        return layers;
    }

    private static string Wrap(string body, int index, string wrapper, string fault) => (wrapper, fault) switch
    {
        (_, "generic-outer") => $"public partial class Outer{index}<T>\n{{\n{Indent(body)}}}\n",
        (_, "verbatim-names") => $"namespace @namespace.@class.N{index};\n\npublic partial class @struct\n{{\n{Indent(body)}}}\n",
        (_, "outer-not-partial") => $"public class Outer{index}\n{{\n{Indent(body)}}}\n",
        ("block", _) => $"namespace Fuzz.N{index}\n{{\n{Indent(body)}}}\n",
        ("file", _) => $"namespace Fuzz.N{index};\n\n{body}",
        ("nested", _) => $"public static partial class Outer{index}\n{{\n{Indent(body)}}}\n",
        ("nested-struct", _) => $"public partial struct Outer{index}\n{{\n{Indent(body)}}}\n",
        _ => body,
    };

    private static string Indent(string text) => string.Concat(text.Split('\n').Select(l => l.Length == 0 ? "\n" : "    " + l + "\n")).TrimEnd('\n') + "\n";
}
