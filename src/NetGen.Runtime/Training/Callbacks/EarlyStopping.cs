using System;

namespace NetGen.Training;

/// <summary>
/// Stops training once the monitored metric has gone <see cref="Patience"/> epochs in a row without
/// improving, or at the first such epoch when it is 0 (Keras' EarlyStopping). With <see cref="RestoreBestWeights"/>, the parameters of the best
/// epoch are put back when training ends, whether or not it stopped early.
/// </summary>
public sealed class EarlyStopping : ICallback
{
    private readonly MetricMonitor monitor;
    private float[]? bestWeights;
    private int epochsWithoutImprovement;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The metric watched.</param>
    /// <param name="patience">Epochs in a row without improvement that stop training; 0 stops at the first.</param>
    /// <param name="minDelta">Smallest change that counts as an improvement.</param>
    /// <param name="restoreBestWeights">Whether to restore the best epoch's parameters at the end.</param>
    public EarlyStopping(Metric monitor = Metric.ValidationLoss, int patience = 0, double minDelta = 0, bool restoreBestWeights = false)
        : this(EpochMetrics.NameOf(monitor), patience, minDelta, restoreBestWeights)
    {
    }

    /// <summary>Creates the callback monitoring a metric by name, e.g. <c>val_f1</c> for <see cref="Metrics.EvaluationMetric.F1"/> in <see cref="TrainerOptions.Metrics"/>.</summary>
    /// <param name="monitor">The name of the metric watched, as <see cref="EpochMetrics.Get(string)"/> knows it.</param>
    /// <param name="patience">Epochs in a row without improvement that stop training; 0 stops at the first.</param>
    /// <param name="minDelta">Smallest change that counts as an improvement.</param>
    /// <param name="restoreBestWeights">Whether to restore the best epoch's parameters at the end.</param>
    public EarlyStopping(string monitor, int patience = 0, double minDelta = 0, bool restoreBestWeights = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        this.monitor = new MetricMonitor(monitor, minDelta);
        Patience = patience;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs in a row without improvement that stop training.</summary>
    public int Patience { get; }

    /// <summary>Whether the best parameters are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The number (from 1) of the epoch with the best value so far, or 0 before the first.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best value so far.</summary>
    public double BestValue => monitor.Best;

    /// <inheritdoc/>
    public CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metrics);
        if (monitor.Improves(monitor.Read(metrics, nameof(EarlyStopping))))
        {
            BestEpoch = metrics.Epoch;
            epochsWithoutImprovement = 0;
            if (RestoreBestWeights)
            {
                bestWeights ??= new float[context.Model.Parameters.Length];
                context.Model.Parameters.CopyTo(bestWeights);
            }

            return CallbackAction.Continue;
        }

        epochsWithoutImprovement++;
        if (epochsWithoutImprovement < Patience)
        {
            return CallbackAction.Continue;
        }

        context.StopReason = $"EarlyStopping: {monitor.Name} has not improved for {epochsWithoutImprovement} epochs since epoch {BestEpoch} ({monitor.Best:G6}); stopping after epoch {metrics.Epoch}.";
        return CallbackAction.Stop;
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (bestWeights is not null)
        {
            bestWeights.CopyTo(context.Model.Parameters);
            context.Log.WriteLine($"EarlyStopping: restored the parameters of epoch {BestEpoch}.");
        }
    }
}
