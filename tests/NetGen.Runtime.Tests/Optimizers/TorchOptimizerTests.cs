using System;
using System.Linq;
using System.Text.Json;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Optimizers;

/// <summary>Each optimizer configuration, step by step, against torch.optim 1.13 (torch_reference.json).</summary>
public sealed class TorchOptimizerTests
{
    public static TheoryData<string> Cases => TorchReference.Names("optimizers");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parameters_after_each_step_match_torch(string name)
    {
        var reference = TorchReference.Case("optimizers", name);
        var parameters = TorchReference.Floats(reference.GetProperty("initial"));
        var optimizer = Create(reference.GetProperty("optimizer").GetString()!, reference.GetProperty("options"), parameters.Length);
        var clip = reference.GetProperty("clip_max_norm");
        var norms = TorchReference.Doubles(reference.GetProperty("norms"));
        var gradients = reference.GetProperty("gradients").EnumerateArray().Select(TorchReference.Floats).ToArray();
        var expected = reference.GetProperty("parameters_after_step").EnumerateArray().Select(TorchReference.Floats).ToArray();

        for (var step = 0; step < gradients.Length; step++)
        {
            if (clip.ValueKind != JsonValueKind.Null)
            {
                var norm = GradientClipping.ClipByNorm(gradients[step], clip.GetSingle());
                Tolerance.Close(norms[step], norm, $"{name} norm at step {step + 1}");
            }

            optimizer.Step(parameters, gradients[step]);
            Tolerance.Close(expected[step], parameters, $"{name} parameters after step {step + 1}");
        }

        Assert.Equal(gradients.Length, optimizer.StepCount);
        var expectedState = reference.GetProperty("state").EnumerateObject().ToDictionary(p => p.Name, p => TorchReference.Floats(p.Value));
        Assert.Equal(expectedState.Keys.Order(), optimizer.State.Select(s => s.Name).Order());
        foreach (var state in optimizer.State)
        {
            Tolerance.Close(expectedState[state.Name], state.Values, $"{name} state '{state.Name}'");
        }
    }

    /// <summary>Builds the NetGen optimizer that mirrors a recorded torch configuration.</summary>
    internal static Optimizer Create(string kind, JsonElement options, int count)
    {
        var lr = (float)options.GetProperty("lr").GetDouble();
        var weightDecay = TorchReference.Option(options, "weight_decay", double.NaN);
        var betas = options.TryGetProperty("betas", out var b) ? TorchReference.Doubles(b) : [0.9, 0.999];
        return kind switch
        {
            "sgd" => new Sgd(
                count,
                lr,
                TorchReference.Option(options, "momentum", 0),
                TorchReference.Option(options, "dampening", 0),
                TorchReference.Flag(options, "nesterov"),
                double.IsNaN(weightDecay) ? 0 : weightDecay),
            "rmsprop" => new RmsProp(
                count,
                lr,
                TorchReference.Option(options, "alpha", 0.99),
                TorchReference.Option(options, "eps", 1e-8),
                double.IsNaN(weightDecay) ? 0 : weightDecay,
                TorchReference.Option(options, "momentum", 0),
                TorchReference.Flag(options, "centered")),
            "adam" => new Adam(count, lr, betas[0], betas[1], TorchReference.Option(options, "eps", 1e-8), double.IsNaN(weightDecay) ? 0 : weightDecay),
            // AdamW's own default weight decay (1e-2) applies when the case does not set one.
            "adamw" => double.IsNaN(weightDecay)
                ? new AdamW(count, lr, betas[0], betas[1], TorchReference.Option(options, "eps", 1e-8))
                : new AdamW(count, lr, betas[0], betas[1], TorchReference.Option(options, "eps", 1e-8), weightDecay),
            _ => throw new ArgumentException($"Unknown optimizer '{kind}' in torch_reference.json.", nameof(kind)),
        };
    }
}
