using System;
using System.Collections.Generic;
using NetGen.Data;

namespace NetGen;

/// <summary>
/// A network that names its inputs and outputs, as the generator emits it: the untyped face of its typed
/// <c>TrainStep</c> and <c>Evaluate</c>, so <see cref="Training.Trainer"/> can drive any such network from a
/// <see cref="TensorBatch"/> that holds one span per tensor in declaration order.
/// </summary>
public interface IMultiTensorNetwork : INetwork
{
    /// <summary>The inputs, in the order the typed methods take them.</summary>
    IReadOnlyList<InputTensor> Inputs { get; }

    /// <summary>The outputs, in the order the typed methods take them.</summary>
    IReadOnlyList<OutputTensor> Outputs { get; }

    /// <summary>The typed <c>TrainStep</c> on <paramref name="batch"/>: writes each output's mean loss to <paramref name="outputLosses"/> and returns the weighted total.</summary>
    float TrainStep(TensorBatch batch, Span<float> outputLosses);

    /// <summary>The typed <c>Evaluate</c> on <paramref name="batch"/>, writing each output to <see cref="TensorBatch.Output"/> and each output's mean loss to <paramref name="outputLosses"/>; returns the weighted total.</summary>
    float Evaluate(TensorBatch batch, Span<float> outputLosses);
}
