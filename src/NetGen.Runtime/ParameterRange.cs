namespace NetGen;

/// <summary>A contiguous run of parameters in a network's flat buffer: <c>[Offset, Offset + Length)</c>.</summary>
public readonly record struct ParameterRange(int Offset, int Length);
