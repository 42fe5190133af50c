using System;
using System.IO;
using System.Threading.Tasks;
using NetGen.Data;
using NetGen.Samples.Sequences;

var parsed = SequenceOptions.Command(options => Task.FromResult(Run(options))).Parse(args);
var exitCode = await parsed.InvokeAsync();
// 2 for a bad command line (the errors and the usage are printed).
return parsed.Errors.Count > 0 ? 2 : exitCode;

static int Run(SequenceOptions options)
{
    try
    {
        if (options.Task == "fortunes")
        {
            var fortunes = FortunesTask.Run(options, Console.Out);
            return fortunes.History.StopReason is null ? 0 : 1;
        }

        var sunspots = SunspotsTask.Run(options, Console.Out);
        if (sunspots.ModelMae >= sunspots.BaselineMae)
        {
            Console.Error.WriteLine($"error: the GRU's test MAE ({sunspots.ModelMae:F2}) does not beat the last-value baseline ({sunspots.BaselineMae:F2}); train longer (--epochs) or change --lr.");
            return 1;
        }

        return sunspots.History.StopReason is null ? 0 : 1;
    }
    catch (Exception error) when (error is DataFormatException or IOException or UnauthorizedAccessException)
    {
        // Missing or malformed data, or an unwritable output folder: the message names the file.
        Console.Error.WriteLine($"error: {error.Message}");
        return 1;
    }
}
