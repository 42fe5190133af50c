using System;
using System.IO;
using System.Linq;
using System.Text;

namespace NetGen.Samples.Sequences;

/// <summary>The text of the fortune files (Debian's fortune-mod), each fortune followed by a blank line.</summary>
internal static class FortuneCorpus
{
    /// <summary>
    /// The first <paramref name="maxCharacters"/> characters of the fortune files in <paramref name="folder"/>
    /// (every file but COPYRIGHT.debian, in name order), without the <c>%</c> lines that separate
    /// fortunes and without control characters but newline and tab (backspaces made bold text on
    /// printing terminals; the model would only learn to print them).
    /// </summary>
    public static string Read(string folder, int maxCharacters)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The fortunes folder '{folder}' does not exist.");
        }

        var files = Directory.GetFiles(folder).Where(f => Path.GetFileName(f) != "COPYRIGHT.debian").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"The fortunes folder '{folder}' holds no fortune files.", folder);
        }

        var text = new StringBuilder();
        foreach (var line in files.SelectMany(File.ReadLines))
        {
            foreach (var character in line == "%" ? string.Empty : line)
            {
                if (character == '\t' || !char.IsControl(character))
                {
                    text.Append(character);
                }
            }

            text.Append('\n');
            if (text.Length >= maxCharacters)
            {
                break;
            }
        }

        return text.ToString(0, Math.Min(text.Length, maxCharacters));
    }
}
