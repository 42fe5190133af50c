using System.Collections.Generic;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NetGen.Runtime.Tests.Skips;

/// <summary>
/// Discovers facts as xunit does, and reports why tests skip as a diagnostic message. A plain
/// <c>dotnet test</c> (minimal verbosity) prints a "[SKIP]" line per skipped test but not its
/// reason, while diagnostic messages (enabled in xunit.runner.json) are printed: so the output
/// says once per reason what is missing and what to install.
/// </summary>
public sealed class SkipReasonFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public const string TypeName = "NetGen.Runtime.Tests.Skips.SkipReasonFactDiscoverer";
    public const string AssemblyName = "NetGen.Runtime.Tests";
    private readonly FactDiscoverer facts = new(diagnosticMessageSink);

    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        SkipReport.Send(diagnosticMessageSink, factAttribute);
        return facts.Discover(discoveryOptions, testMethod, factAttribute);
    }
}

/// <summary>Discovers theories as xunit does, reporting skip reasons like <see cref="SkipReasonFactDiscoverer"/>.</summary>
public sealed class SkipReasonTheoryDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public const string TypeName = "NetGen.Runtime.Tests.Skips.SkipReasonTheoryDiscoverer";
    private readonly TheoryDiscoverer theories = new(diagnosticMessageSink);

    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        SkipReport.Send(diagnosticMessageSink, factAttribute);
        return theories.Discover(discoveryOptions, testMethod, factAttribute);
    }
}

/// <summary>Sends each distinct skip reason once, naming the attribute that marks its tests, so 18 OpenCL tests give one line, not 18.</summary>
internal static class SkipReport
{
    private static readonly HashSet<string> Sent = [];

    public static void Send(IMessageSink sink, IAttributeInfo factAttribute)
    {
        if (factAttribute.GetNamedArgument<string>("Skip") is not { } reason)
        {
            return;
        }

        lock (Sent)
        {
            if (!Sent.Add(reason))
            {
                return;
            }
        }

        var tests = factAttribute is IReflectionAttributeInfo reflected ? $"Tests marked [{reflected.Attribute.GetType().Name.Replace("Attribute", "")}]" : "Tests";
        sink.OnMessage(new DiagnosticMessage($"{tests} skip: {reason}"));
    }
}
