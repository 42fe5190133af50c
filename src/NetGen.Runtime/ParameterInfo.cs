using System.Collections.Generic;

namespace NetGen;

/// <summary>One parameter tensor in a network's flat buffer: its state_dict name, offset and shape.</summary>
public sealed record ParameterInfo(string Name, int Offset, IReadOnlyList<int> Shape)
{
    /// <summary>Number of elements.</summary>
    public int Length
    {
        get
        {
            var length = 1;
            foreach (var dimension in Shape)
            {
                length *= dimension;
            }

            return length;
        }
    }
}
