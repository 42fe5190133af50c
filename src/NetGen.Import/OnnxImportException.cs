using System;

namespace NetGen.Import;

/// <summary>
/// An ONNX model that cannot become a NetGen declaration: the message names the node, its operator
/// and, where one is at fault, the attribute (or input) and what NetGen supports instead.
/// </summary>
public sealed class OnnxImportException : Exception
{
    /// <summary>An error about node <paramref name="node"/> (operator <paramref name="operatorType"/>), attribute <paramref name="attribute"/> when one is at fault.</summary>
    public OnnxImportException(string node, string operatorType, string? attribute, string problem)
        : base(Describe(node, operatorType, attribute, problem))
    {
        Node = node;
        OperatorType = operatorType;
        Attribute = attribute;
    }

    /// <summary>An error about the model as a whole (its inputs, outputs or format).</summary>
    public OnnxImportException(string problem)
        : base(problem)
    {
    }

    /// <summary>The node at fault (its name, or <c>#index</c> when it has none); null for a model-wide error.</summary>
    public string? Node { get; }

    /// <summary>The node's operator, e.g. <c>Conv</c>.</summary>
    public string? OperatorType { get; }

    /// <summary>The attribute or input at fault, when the error is about one.</summary>
    public string? Attribute { get; }

    private static string Describe(string node, string operatorType, string? attribute, string problem) =>
        attribute is null
            ? $"Node '{node}' ({operatorType}): {problem}"
            : $"Node '{node}' ({operatorType}), attribute '{attribute}': {problem}";
}
