using System;

namespace NetGen;

/// <summary>
/// The shape of one input sample, without the batch dimension: <c>[Input(784)]</c> for a vector,
/// <c>[Input(1, 28, 28)]</c> for an image as channels, height, width. The batch is the only
/// dimension chosen at run time.
/// </summary>
/// <remarks>
/// On the class it declares the network's one input, which layers name as <see cref="LayerAttribute.NetworkInput"/>.
/// A network with several inputs declares each as a <c>partial</c> property of type <c>InputTensor</c> instead,
/// which layers read by name, as they read each other (Keras' <c>Input(name=...)</c>, the arguments of PyTorch's
/// <c>forward(image, metadata)</c>):
/// <code>
/// [Input(1, 28, 28)] public partial InputTensor Image { get; }
/// [Input(4)] public partial InputTensor Metadata { get; }
/// [Conv2D(8, 3, Input = nameof(Image))] public partial Conv2D Conv { get; }
/// </code>
/// The generated class then takes one span per input, in declaration order, in its typed <c>Forward</c>,
/// <c>TrainStep</c> and <c>Evaluate</c>.
/// <para>
/// Token ids declare their kind and vocabulary, <c>[Input(100, Kind = InputKind.Tokens, Vocabulary = 20000)]</c>
/// (100 ids, each in [0, 20000)), so that the compiler can check the network's use of them: only an
/// <c>[Embedding]</c> may read them (NG0122), and its vocabulary must hold every id (NG0121).
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares the per-sample input shape.</summary>
    public InputAttribute(params int[] shape) => Shape = shape;

    /// <summary>The per-sample shape.</summary>
    public int[] Shape { get; }

    /// <summary>Features (the default) or <see cref="InputKind.Tokens"/>; token ids need a <see cref="Vocabulary"/>.</summary>
    public InputKind Kind { get; set; }

    /// <summary>For <see cref="InputKind.Tokens"/>: how many ids there are, each in <c>[0, Vocabulary)</c>.</summary>
    public int Vocabulary { get; set; }
}
