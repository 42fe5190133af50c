using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NetGen.Data;

namespace NetGen.Samples.Sequences;

/// <summary>The yearly mean sunspot numbers of <c>sunspots.csv</c> (<c>"YEAR","SUNACTIVITY"</c>, 1700–2008), one row per year in order.</summary>
internal sealed record SunspotRecords(int[] Years, float[] Activity)
{
    /// <summary>Reads the file; a malformed one is a <see cref="DataFormatException"/> naming it and the line.</summary>
    public static SunspotRecords Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0].Replace("\"", "", System.StringComparison.Ordinal) != "YEAR,SUNACTIVITY")
        {
            throw new DataFormatException(path, $"'{path}' does not start with the header \"YEAR\",\"SUNACTIVITY\" and at least one row.");
        }

        var years = new List<int>();
        var activity = new List<float>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var fields = lines[i].Split(',');
            if (fields.Length != 2
                || !int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var year)
                || !float.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !float.IsFinite(value))
            {
                throw new DataFormatException(path, $"'{path}' line {i + 1} is '{lines[i]}', not a year and a number.");
            }

            // The windows assume consecutive years: a gap would silently pair values a year apart as neighbours.
            if (years.Count > 0 && year != years[^1] + 1)
            {
                throw new DataFormatException(path, $"'{path}' line {i + 1} is the year {year} after {years[^1]}; the years must follow each other without gaps.");
            }

            years.Add(year);
            activity.Add(value);
        }

        return new SunspotRecords([.. years], [.. activity]);
    }
}
