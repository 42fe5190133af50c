using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Onnx;

namespace NetGen.Import;

/// <summary>
/// One ONNX node with checked access to its attributes: a translation reads the attributes it
/// understands, and <see cref="RejectUnread"/> turns any other attribute the node carries into an
/// error, so an attribute NetGen would ignore never changes the numbers silently.
/// </summary>
internal sealed class OnnxNode
{
    private readonly Dictionary<string, AttributeProto> attributes;
    private readonly HashSet<string> read = [];

    public OnnxNode(NodeProto proto, int index)
    {
        Proto = proto;
        Name = proto.Name.Length > 0 ? proto.Name : "#" + index.ToString(CultureInfo.InvariantCulture);
        attributes = proto.Attribute.ToDictionary(a => a.Name);
    }

    public NodeProto Proto { get; }

    /// <summary>The node's name, or <c>#index</c> (its position in the graph) when it has none.</summary>
    public string Name { get; }

    public string OperatorType => Proto.OpType;

    /// <summary>The inputs, with ONNX's empty names for omitted optional inputs kept in place.</summary>
    public IReadOnlyList<string> Inputs => Proto.Input;

    public IReadOnlyList<string> Outputs => Proto.Output;

    public OnnxImportException Error(string? attribute, string problem) => new(Name, OperatorType, attribute, problem);

    public long Int(string name, long defaultValue) => Find(name, AttributeProto.Types.AttributeType.Int) is { } a ? a.I : defaultValue;

    public float Float(string name, float defaultValue) => Find(name, AttributeProto.Types.AttributeType.Float) is { } a ? a.F : defaultValue;

    public string String(string name, string defaultValue) => Find(name, AttributeProto.Types.AttributeType.String) is { } a ? a.S.ToStringUtf8() : defaultValue;

    public IReadOnlyList<long>? Ints(string name) => Find(name, AttributeProto.Types.AttributeType.Ints)?.Ints;

    /// <summary>Fails on the first attribute no translation asked for.</summary>
    public void RejectUnread()
    {
        foreach (var name in attributes.Keys.Where(name => !read.Contains(name)))
        {
            throw Error(name, $"is not supported by the NetGen importer for {OperatorType}.");
        }
    }

    private AttributeProto? Find(string name, AttributeProto.Types.AttributeType type)
    {
        read.Add(name);
        if (!attributes.TryGetValue(name, out var attribute))
        {
            return null;
        }

        if (attribute.Type != type)
        {
            throw Error(name, $"is of type {attribute.Type.ToString().ToUpperInvariant()} where ONNX defines {type.ToString().ToUpperInvariant()}.");
        }

        return attribute;
    }
}
