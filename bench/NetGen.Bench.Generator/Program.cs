using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;

// Generator timings: one generator run on networks of growing depth (median after warm-up), and
// the incremental cost of an unrelated edit in a large project. Usage: dotnet run -c Release [runs]
var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Append(typeof(NetGen.INetwork).Assembly.Location)
    .Append(typeof(NetGen.NetworkAttribute).Assembly.Location)
    .Distinct()
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
    .ToArray();

CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
    "Bench",
    sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"File{i}.cs")),
    references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
    [new NetGenGenerator().AsSourceGenerator()],
    parseOptions: parseOptions,
    driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

static string Network(int layers)
{
    var source = new StringBuilder("using NetGen;\n\nnamespace Bench;\n\n[Network, Input(64)]\npublic partial class Deep\n{\n");
    for (var i = 0; i < layers - 1; i++)
    {
        source.Append($"    [Dense(64, Activation.ReLU)] public partial Dense Hidden{i} {{ get; }}\n");
    }

    return source.Append("    [Dense(10)] public partial Dense Output { get; }\n}\n").ToString();
}

static double Median(double[] values) => values.OrderBy(v => v).ElementAt(values.Length / 2);

Console.WriteLine($"| Dense layers | generator run (median of {runs}) |");
Console.WriteLine("|---|---|");
foreach (var layers in new[] { 5, 50, 500 })
{
    var compilation = Compile(Network(layers));
    for (var warm = 0; warm < 3; warm++)
    {
        Driver().RunGenerators(compilation);
    }

    var times = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        var result = Driver().RunGenerators(compilation).GetRunResult();
        times[i] = clock.Elapsed.TotalMilliseconds;
        if (result.Diagnostics.Length > 0 || result.GeneratedTrees.Length != 1)
        {
            throw new InvalidOperationException($"the {layers}-layer network did not generate cleanly: {string.Join("; ", result.Diagnostics)}");
        }
    }

    Console.WriteLine($"| {layers} | {Median(times):F1} ms |");
}

// A large project: 200 unrelated files and one 50-layer network; one file edited per run.
var files = Enumerable.Range(0, 200).Select(i => $"namespace Other{i};\n\npublic static class Helper{i}\n{{\n    public static int Value(int x) => x + {i};\n}}\n").ToArray();
var project = Compile(files.Append(Network(50)).ToArray());
var driver = Driver().RunGenerators(project);
var editTimes = new double[runs];
var reasons = new System.Collections.Generic.HashSet<string>();
for (var i = 0; i < runs; i++)
{
    var tree = project.SyntaxTrees.First();
    var edited = project.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(files[0].Replace("x + 0", $"x + {i + 1000}"), parseOptions, tree.FilePath));
    var clock = Stopwatch.StartNew();
    driver = driver.RunGenerators(edited);
    editTimes[i] = clock.Elapsed.TotalMilliseconds;
    project = edited;
    var result = driver.GetRunResult().Results.Single();
    foreach (var step in new[] { NetGenGenerator.Steps.Parse, NetGenGenerator.Steps.Plan })
    {
        foreach (var output in result.TrackedSteps[step].SelectMany(r => r.Outputs))
        {
            reasons.Add($"{step}: {output.Reason}");
        }
    }
}

Console.WriteLine();
Console.WriteLine($"Unrelated edit in a 201-file project with a 50-layer network: {Median(editTimes):F2} ms (median of {runs}); tracked steps: {string.Join(", ", reasons.OrderBy(r => r))}");
if (reasons.Any(r => !r.EndsWith(": Cached", StringComparison.Ordinal) && !r.EndsWith(": Unchanged", StringComparison.Ordinal)))
{
    throw new InvalidOperationException("an unrelated edit re-ran a tracked step");
}
