using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// The parameters every recurrent layer has, in PyTorch's state_dict order and layout: <c>weight_ih_l0
/// [gates·hidden, inputs]</c>, <c>weight_hh_l0 [gates·hidden, hidden]</c>, <c>bias_ih_l0</c> and
/// <c>bias_hh_l0 [gates·hidden]</c>, with the gates stacked in PyTorch's order (one for
/// <see cref="SimpleRNN"/>, three for <see cref="GRU"/>, four for <see cref="LSTM"/>). The subclasses
/// differ only in their numerics, the static <c>Forward</c>/<c>Backward</c> pair the generated code calls.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private readonly TensorView[] _parameters;

    /// <summary>Creates the view of a recurrent layer whose four tensors start at <paramref name="offset"/>, in state_dict order.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>lstm</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="offset">Offset of <c>weight_ih_l0</c>; <c>weight_hh_l0</c>, <c>bias_ih_l0</c> and <c>bias_hh_l0</c> follow it.</param>
    /// <param name="gates">How many gates the layer stacks: 1, 3 or 4.</param>
    /// <param name="hidden">Hidden state size.</param>
    /// <param name="inputs">Features per step.</param>
    private protected RecurrentLayer(string name, float[] parameters, float[]? gradients, int offset, int gates, int hidden, int inputs)
        : base(name)
    {
        int rows = gates * hidden, weightHh = offset + (rows * inputs), biasIh = weightHh + (rows * hidden), biasHh = biasIh + rows;
        WeightIh = new TensorView(parameters, offset, rows, inputs);
        WeightHh = new TensorView(parameters, weightHh, rows, hidden);
        BiasIh = new TensorView(parameters, biasIh, rows);
        BiasHh = new TensorView(parameters, biasHh, rows);
        WeightIhGradient = GradientView(gradients, offset, rows, inputs);
        WeightHhGradient = GradientView(gradients, weightHh, rows, hidden);
        BiasIhGradient = GradientView(gradients, biasIh, rows);
        BiasHhGradient = GradientView(gradients, biasHh, rows);
        _parameters = [WeightIh, WeightHh, BiasIh, BiasHh];
    }

    /// <summary>The input weights of the gates stacked, shape <c>[gates·hidden, inputs]</c>.</summary>
    public TensorView WeightIh { get; }

    /// <summary>The recurrent weights of the gates stacked, shape <c>[gates·hidden, hidden]</c>.</summary>
    public TensorView WeightHh { get; }

    /// <summary>The input bias, shape <c>[gates·hidden]</c>.</summary>
    public TensorView BiasIh { get; }

    /// <summary>The recurrent bias, shape <c>[gates·hidden]</c>.</summary>
    public TensorView BiasHh { get; }

    /// <summary>The gradient of <see cref="WeightIh"/> from the last training step.</summary>
    public TensorView WeightIhGradient { get; }

    /// <summary>The gradient of <see cref="WeightHh"/> from the last training step.</summary>
    public TensorView WeightHhGradient { get; }

    /// <summary>The gradient of <see cref="BiasIh"/> from the last training step.</summary>
    public TensorView BiasIhGradient { get; }

    /// <summary>The gradient of <see cref="BiasHh"/> from the last training step.</summary>
    public TensorView BiasHhGradient { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => _parameters;
}
