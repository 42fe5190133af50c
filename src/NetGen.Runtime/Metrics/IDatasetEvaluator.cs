namespace NetGen.Metrics;

/// <summary>One evaluation pass over a dataset, built once and run as often as needed (every epoch of <c>Trainer.Fit</c>).</summary>
internal interface IDatasetEvaluator
{
    /// <summary>The loss and metrics over the whole dataset, with the network's current parameters.</summary>
    EvaluationResult Run();
}
