using System;
using System.Text.Json;
using NetGen.Schedules;
using Xunit;

namespace NetGen.Runtime.Tests.Optimizers;

/// <summary>Each schedule's learning rate per epoch against torch.optim.lr_scheduler 1.13.</summary>
public sealed class TorchScheduleTests
{
    public static TheoryData<string> Schedules => TorchReference.Names("schedules");

    public static TheoryData<string> Plateaus => TorchReference.Names("plateaus");

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Learning_rate_per_epoch_matches_torch(string name)
    {
        var reference = TorchReference.Case("schedules", name);
        var schedule = Create(reference.GetProperty("schedule").GetString()!, reference.GetProperty("base_lr").GetDouble(), reference.GetProperty("options"));
        var expected = TorchReference.Doubles(reference.GetProperty("learning_rates"));
        for (var epoch = 0; epoch < expected.Length; epoch++)
        {
            Tolerance.Close(expected[epoch], schedule.LearningRateAt(epoch), $"{name} epoch {epoch}");
        }
    }

    [Theory]
    [MemberData(nameof(Plateaus))]
    public void Plateau_learning_rates_match_torch(string name)
    {
        var reference = TorchReference.Case("plateaus", name);
        var options = reference.GetProperty("options");
        var plateau = new ReduceLROnPlateau(
            reference.GetProperty("initial_lr").GetDouble(),
            options.TryGetProperty("mode", out var mode) && mode.GetString() == "max" ? PlateauMode.Max : PlateauMode.Min,
            TorchReference.Option(options, "factor", 0.1),
            (int)TorchReference.Option(options, "patience", 10),
            TorchReference.Option(options, "threshold", 1e-4),
            options.TryGetProperty("threshold_mode", out var thresholdMode) && thresholdMode.GetString() == "abs" ? ThresholdMode.Absolute : ThresholdMode.Relative,
            (int)TorchReference.Option(options, "cooldown", 0),
            TorchReference.Option(options, "min_lr", 0));
        var metrics = TorchReference.Doubles(reference.GetProperty("metrics"));
        var expected = TorchReference.Doubles(reference.GetProperty("learning_rates_after_step"));
        for (var epoch = 0; epoch < metrics.Length; epoch++)
        {
            Tolerance.Close(expected[epoch], plateau.Step(metrics[epoch]), $"{name} after metric {epoch}");
        }
    }

    private static LearningRateSchedule Create(string kind, double baseLr, JsonElement options) => kind switch
    {
        "step" => new StepLR(baseLr, options.GetProperty("step_size").GetInt32(), options.GetProperty("gamma").GetDouble()),
        "exponential" => new ExponentialLR(baseLr, options.GetProperty("gamma").GetDouble()),
        "cosine" => new CosineAnnealingLR(baseLr, options.GetProperty("t_max").GetInt32(), options.GetProperty("eta_min").GetDouble()),
        "warmup" => new LinearWarmup(baseLr, options.GetProperty("warmup").GetInt32(), options.GetProperty("start_factor").GetDouble()),
        "warmup_cosine" => new LinearWarmup(
            new CosineAnnealingLR(baseLr, options.GetProperty("t_max").GetInt32(), options.GetProperty("eta_min").GetDouble()),
            options.GetProperty("warmup").GetInt32(),
            options.GetProperty("start_factor").GetDouble()),
        _ => throw new ArgumentException($"Unknown schedule '{kind}' in torch_reference.json.", nameof(kind)),
    };
}
