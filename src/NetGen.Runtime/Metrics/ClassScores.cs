namespace NetGen.Metrics;

/// <summary>Precision, recall, F1 and support of one class or one average of classes (a report row).</summary>
/// <param name="Precision">True positives over predicted positives; 0 when nothing was predicted.</param>
/// <param name="Recall">True positives over actual positives; 0 when the class never occurs.</param>
/// <param name="F1">Harmonic mean, <c>2·TP / (2·TP + FP + FN)</c>; 0 when undefined.</param>
/// <param name="Support">Number of samples whose true class it is (all samples, for an average).</param>
public readonly record struct ClassScores(double Precision, double Recall, double F1, long Support);
