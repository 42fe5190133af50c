using System;
using NetGen.Gpu;
using Xunit;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>A fact that needs an OpenCL platform (PoCL in CI): skipped where none exists, except under CI=true, where it runs and fails.</summary>
public sealed class OpenClFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(Probe);

    public OpenClFactAttribute()
    {
        if (Missing.Value is { } reason && !TestData.InCi)
        {
            Skip = reason + " Set CI=true to make this a failure.";
        }
    }

    private static string? Probe()
    {
        try
        {
            Device.OpenCL().Open();
            return null;
        }
        catch (GpuUnavailableException exception)
        {
            return exception.Message;
        }
    }
}
