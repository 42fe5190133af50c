using System.Text;

namespace NetGen.Generator.Parsing;

/// <summary>PyTorch state_dict names from C# property names: <c>Hidden</c> → <c>hidden</c>, <c>OutputLayer</c> → <c>output_layer</c>, <c>Conv1</c> → <c>conv1</c>.</summary>
internal static class StateNames
{
    public static string FromPropertyName(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    builder.Append('_');
                }
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
