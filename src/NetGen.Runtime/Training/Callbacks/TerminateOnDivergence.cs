using System;

namespace NetGen.Training;

/// <summary>
/// Stops training when the loss explodes without becoming NaN (<see cref="TerminateOnNaN"/> stops
/// that one): when the running loss, a moving average of the batch losses, rises above
/// <see cref="Factor"/> times the baseline, by default the first batch's loss, the loss of the
/// network before its first update. A learning rate of 1e6 on MNIST, for example, leaves the loss
/// near 459,013 and the accuracy at chance without ever producing NaN.
/// </summary>
/// <remarks>
/// <para>Why these defaults. A run from fresh parameters starts at its worst: a classifier's first
/// loss is about ln(classes) (2.3 on MNIST), and a healthy run only goes down from there. On the
/// MNIST sample's MLP (Adam 2e-3 decaying by 0.7 per epoch, batch 64, 5 epochs) the running loss
/// after the first batch stays below 0.98 times the first loss and every batch's loss below 0.95
/// times it, while a learning rate of 1e6 passes 10 times at the second batch. A factor of 10 therefore leaves an order of magnitude of room
/// over the untrained network. A smoothing of 0.98 (as fastai's learning-rate finder uses)
/// averages about 50 batches, so one unlucky batch never stops a run; the average is
/// bias-corrected, so it is not understated over the first batches, when explosions happen.</para>
/// <para>A resumed run starts from trained parameters, whose first loss may be near 0, so that
/// batch noise alone would cross 10 times it: give it the <c>baseline</c> of a fresh start, for
/// example the first epoch's loss in the history of the run it resumes.</para>
/// </remarks>
public sealed class TerminateOnDivergence : ICallback
{
    private readonly double? givenBaseline;
    private double baseline;
    private double average;
    private int batches;

    /// <summary>Creates the callback.</summary>
    /// <param name="factor">How many times the baseline the running loss may reach; above 1.</param>
    /// <param name="smoothing">Weight of the past in the running loss, in [0, 1); 0 compares each batch's loss alone.</param>
    /// <param name="baseline">The loss compared against, positive; null takes the first batch's loss of each Fit.</param>
    public TerminateOnDivergence(double factor = 10, double smoothing = 0.98, double? baseline = null)
    {
        if (!(factor > 1) || double.IsPositiveInfinity(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be a finite number above 1: the running loss is compared to factor × baseline.");
        }

        if (!(smoothing >= 0 && smoothing < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "The smoothing must lie in [0, 1).");
        }

        if (baseline is { } given && !(given > 0 && double.IsFinite(given)))
        {
            throw new ArgumentOutOfRangeException(nameof(baseline), baseline, "The baseline must be a positive, finite loss.");
        }

        Factor = factor;
        Smoothing = smoothing;
        givenBaseline = baseline;
    }

    /// <summary>How many times the baseline the running loss may reach before training stops.</summary>
    public double Factor { get; }

    /// <summary>Weight of the past in the running loss (an exponential moving average of batch losses).</summary>
    public double Smoothing { get; }

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext context)
    {
        average = 0;
        batches = 0;
        baseline = givenBaseline ?? double.NaN;
    }

    /// <inheritdoc/>
    public CallbackAction OnBatchEnd(TrainingContext context, int batch, float loss)
    {
        ArgumentNullException.ThrowIfNull(context);

        // NaN and infinity are TerminateOnNaN's to report; averaging them in would only hide later batches.
        if (!float.IsFinite(loss))
        {
            return CallbackAction.Continue;
        }

        batches++;
        average = (Smoothing * average) + ((1 - Smoothing) * loss);
        var running = average / (1 - Math.Pow(Smoothing, batches));
        if (double.IsNaN(baseline))
        {
            // A first loss of 0 (a network that already fits its first batch exactly) is no scale to compare with; the next one is.
            baseline = loss > 0 ? loss : double.NaN;
            return CallbackAction.Continue;
        }

        var threshold = Factor * baseline;
        if (running <= threshold)
        {
            return CallbackAction.Continue;
        }

        var source = givenBaseline is null ? "the first batch's loss" : "the baseline";
        context.StopReason = $"TerminateOnDivergence: batch {batch + 1} of epoch {context.Epoch} brings the running loss to {running:G6}, above {Factor:G6} × {source} {baseline:G6} = {threshold:G6}; training diverged (try a lower learning rate), stopping.";
        return CallbackAction.Stop;
    }
}
