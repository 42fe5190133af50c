using System;
using NetGen.Kernels;
using NetGen.Losses;

namespace NetGen.Prediction;

/// <summary>
/// Keras' <c>predict</c> for any generated network: inference on one sample or a batch, with the
/// output buffers sized here. Under a cross-entropy loss the results are always probabilities:
/// softmax cross-entropy gives one probability per class (rows sum to 1), binary cross-entropy the
/// probability of class 1, whether the last layer declares the link (Softmax, Sigmoid) or ends in
/// logits that the loss absorbed. Under MSE or MAE they are the network's raw outputs.
/// </summary>
/// <remarks>
/// Each call allocates its result; use <see cref="INetwork.Forward"/> with buffers of your own in a
/// loop that must not allocate. Like every use of a network, not for concurrent calls on one instance.
/// </remarks>
public static class NetworkPrediction
{
    /// <summary>The network's prediction for one sample of <see cref="INetwork.InputSize"/> floats: <see cref="INetwork.OutputSize"/> values.</summary>
    /// <exception cref="ArgumentException"><paramref name="sample"/> does not hold exactly one sample.</exception>
    public static float[] Predict(this INetwork model, ReadOnlySpan<float> sample)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (sample.Length != model.InputSize)
        {
            throw new ArgumentException($"{model.GetType().Name} takes samples of {model.InputSize} floats, but the sample holds {sample.Length}; for several samples use PredictBatch.", nameof(sample));
        }

        var outputs = new float[model.OutputSize];
        Run(model, sample, outputs, 1);
        return outputs;
    }

    /// <summary>
    /// The network's predictions for a batch: <paramref name="inputs"/> holds whole samples one after
    /// another, and row <c>i</c> of the result (<c>batch × OutputSize</c>) belongs to sample <c>i</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty or not a whole number of samples.</exception>
    public static float[,] PredictBatch(this INetwork model, ReadOnlySpan<float> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        var batch = BatchSize(model, inputs);
        var outputs = new float[batch, model.OutputSize];
        Run(model, inputs, Flat(outputs), batch);
        return outputs;
    }

    /// <summary>
    /// The most probable class of one sample: the argmax under softmax cross-entropy (the first on
    /// ties), 1 when the probability exceeds 0.5 under binary cross-entropy.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network is a regressor (MSE or MAE), which predicts no class.</exception>
    public static int PredictClass(this INetwork model, ReadOnlySpan<float> sample)
    {
        CheckClassifier(model);
        return ClassOf(model, model.Predict(sample));
    }

    /// <summary>The most probable class of each sample of a batch, as <see cref="PredictClass"/> decides it.</summary>
    public static int[] PredictClasses(this INetwork model, ReadOnlySpan<float> inputs)
    {
        CheckClassifier(model);
        var probabilities = model.PredictBatch(inputs);
        var classes = new int[probabilities.GetLength(0)];
        for (var i = 0; i < classes.Length; i++)
        {
            classes[i] = ClassOf(model, Row(probabilities, i));
        }

        return classes;
    }

    /// <summary>
    /// The <paramref name="k"/> most probable classes of one sample with their probabilities, most
    /// probable first (ties: lower class first). A binary classifier has the two classes 0 and 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not between 1 and the number of classes.</exception>
    public static (int Class, float Probability)[] PredictTopK(this INetwork model, ReadOnlySpan<float> sample, int k)
    {
        CheckClassifier(model);
        var outputs = model.Predict(sample);
        float[] probabilities = model.Loss == Loss.BinaryCrossEntropy ? [1 - outputs[0], outputs[0]] : outputs;
        if (k < 1 || k > probabilities.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {probabilities.Length}]: {model.GetType().Name} has {probabilities.Length} classes.");
        }

        var ranked = new (int Class, float Probability)[probabilities.Length];
        for (var c = 0; c < ranked.Length; c++)
        {
            ranked[c] = (c, probabilities[c]);
        }

        Array.Sort(ranked, (a, b) => a.Probability != b.Probability ? b.Probability.CompareTo(a.Probability) : a.Class.CompareTo(b.Class));
        return ranked[..k];
    }

    /// <summary>
    /// Forward, then the link the loss absorbed when the last layer does not declare it, so
    /// classifiers always answer with probabilities.
    /// </summary>
    private static void Run(INetwork model, ReadOnlySpan<float> inputs, Span<float> outputs, int batch)
    {
        model.Forward(inputs, outputs);
        ToProbabilities(model, outputs, batch);
    }

    /// <summary>Applies the loss's link to outputs in <see cref="INetwork.Forward"/>'s form, unless the network already did.</summary>
    internal static void ToProbabilities(INetwork model, Span<float> outputs, int batch)
    {
        var link = LossRules.Link(model.Loss);
        if (link != Activation.None && model.OutputActivation != link)
        {
            Activations.ApplyRows<float>(link, outputs, batch, model.OutputSize);
        }
    }

    /// <summary>The samples in <paramref name="inputs"/>, or a clear error when they are not whole.</summary>
    internal static int BatchSize(INetwork model, ReadOnlySpan<float> inputs)
    {
        if (inputs.IsEmpty || inputs.Length % model.InputSize != 0)
        {
            throw new ArgumentException($"{model.GetType().Name} takes samples of {model.InputSize} floats, but the inputs hold {inputs.Length}, which is not a positive whole number of samples.", nameof(inputs));
        }

        return inputs.Length / model.InputSize;
    }

    private static int ClassOf(INetwork model, ReadOnlySpan<float> probabilities) =>
        model.Loss == Loss.BinaryCrossEntropy ? (probabilities[0] > 0.5f ? 1 : 0) : Metrics.Accuracy.ArgMax(probabilities);

    private static void CheckClassifier(INetwork model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!LossRules.TakesLabels(model.Loss))
        {
            throw new InvalidOperationException($"{model.GetType().Name} is a regressor ({model.Loss}) and predicts values, not classes; use Predict.");
        }
    }

    private static Span<float> Flat(float[,] values) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref values[0, 0], values.Length);

    private static ReadOnlySpan<float> Row(float[,] values, int row) => Flat(values).Slice(row * values.GetLength(1), values.GetLength(1));
}
