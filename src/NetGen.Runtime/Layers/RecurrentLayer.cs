using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The parameters every recurrent layer has, with PyTorch's state_dict names and shapes: <c>weight_ih_l0
/// [gates·hidden, inputs]</c>, <c>weight_hh_l0 [gates·hidden, hidden]</c>, <c>bias_ih_l0</c> and
/// <c>bias_hh_l0 [gates·hidden]</c>, with the gates stacked in PyTorch's order (one for
/// <see cref="SimpleRNN"/>, three for <see cref="GRU"/>, four for <see cref="LSTM"/>). A bidirectional
/// layer also has <c>weight_ih_l0_reverse</c> and the three others for its reverse direction; each
/// reverse tensor lies right after its forward one (<c>weight_ih_l0</c>, <c>weight_ih_l0_reverse</c>,
/// <c>weight_hh_l0</c>, …) so the numerics read both directions' input weights as one matrix. The
/// subclasses differ only in their numerics, the static <c>Forward</c>/<c>Backward</c> pair the
/// generated code calls, which share the time loop.
/// </summary>
public abstract partial class RecurrentLayer : Layer
{
    private readonly TensorView[] _parameters;

    /// <summary>Creates the view of a recurrent layer whose tensors start at <paramref name="offset"/>, in the order above.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>lstm</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="offset">Offset of <c>weight_ih_l0</c>.</param>
    /// <param name="gates">How many gates the layer stacks: 1, 3 or 4.</param>
    /// <param name="hidden">Hidden state size.</param>
    /// <param name="inputs">Features per step.</param>
    /// <param name="bidirectional">Whether the layer has a reverse direction.</param>
    private protected RecurrentLayer(string name, float[] parameters, float[]? gradients, int offset, int gates, int hidden, int inputs, bool bidirectional)
        : base(name)
    {
        int directions = bidirectional ? 2 : 1, rows = gates * hidden;
        int weightHh = offset + (directions * rows * inputs), biasIh = weightHh + (directions * rows * hidden), biasHh = biasIh + (directions * rows);
        WeightIh = new TensorView(parameters, offset, rows, inputs);
        WeightHh = new TensorView(parameters, weightHh, rows, hidden);
        BiasIh = new TensorView(parameters, biasIh, rows);
        BiasHh = new TensorView(parameters, biasHh, rows);
        WeightIhGradient = GradientView(gradients, offset, rows, inputs);
        WeightHhGradient = GradientView(gradients, weightHh, rows, hidden);
        BiasIhGradient = GradientView(gradients, biasIh, rows);
        BiasHhGradient = GradientView(gradients, biasHh, rows);
        if (!bidirectional)
        {
            _parameters = [WeightIh, WeightHh, BiasIh, BiasHh];
            return;
        }

        TensorView reverseWeightIh = new(parameters, offset + (rows * inputs), rows, inputs), reverseWeightHh = new(parameters, weightHh + (rows * hidden), rows, hidden);
        TensorView reverseBiasIh = new(parameters, biasIh + rows, rows), reverseBiasHh = new(parameters, biasHh + rows, rows);
        (ReverseWeightIh, ReverseWeightHh, ReverseBiasIh, ReverseBiasHh) = (reverseWeightIh, reverseWeightHh, reverseBiasIh, reverseBiasHh);
        _parameters = [WeightIh, reverseWeightIh, WeightHh, reverseWeightHh, BiasIh, reverseBiasIh, BiasHh, reverseBiasHh];
    }

    /// <summary>The input weights of the gates stacked, shape <c>[gates·hidden, inputs]</c>.</summary>
    public TensorView WeightIh { get; }

    /// <summary>The recurrent weights of the gates stacked, shape <c>[gates·hidden, hidden]</c>.</summary>
    public TensorView WeightHh { get; }

    /// <summary>The input bias, shape <c>[gates·hidden]</c>.</summary>
    public TensorView BiasIh { get; }

    /// <summary>The recurrent bias, shape <c>[gates·hidden]</c>.</summary>
    public TensorView BiasHh { get; }

    /// <summary>The reverse direction's input weights (<c>weight_ih_l0_reverse</c>), or null when the layer is not bidirectional.</summary>
    public TensorView? ReverseWeightIh { get; }

    /// <summary>The reverse direction's recurrent weights (<c>weight_hh_l0_reverse</c>), or null when the layer is not bidirectional.</summary>
    public TensorView? ReverseWeightHh { get; }

    /// <summary>The reverse direction's input bias (<c>bias_ih_l0_reverse</c>), or null when the layer is not bidirectional.</summary>
    public TensorView? ReverseBiasIh { get; }

    /// <summary>The reverse direction's recurrent bias (<c>bias_hh_l0_reverse</c>), or null when the layer is not bidirectional.</summary>
    public TensorView? ReverseBiasHh { get; }

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
