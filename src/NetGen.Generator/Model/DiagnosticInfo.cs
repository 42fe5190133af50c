using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Model;

/// <summary>
/// A diagnostic to report, held as plain values (descriptor ID, message arguments, location) so
/// it can travel through the cached pipeline.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(descriptor, location, arguments.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToEquatableArray());

    /// <summary>NG0901 for an exception NetGen did not expect; its message becomes one sentence of the diagnostic's.</summary>
    public static DiagnosticInfo InternalError(LocationInfo? location, string typeName, Exception exception)
    {
        var what = exception.GetType().Name + ": " + exception.Message.TrimEnd();
        return Create(NetGen.Generator.Diagnostics.DiagnosticDescriptors.InternalError, location, typeName, what.EndsWith(".", StringComparison.Ordinal) ? what : what + ".");
    }

    /// <summary>Whether it stops the network from being planned (a warning, such as NG0126, does not).</summary>
    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArguments.Cast<object>().ToArray());

    public bool Equals(DiagnosticInfo? other) =>
        other is not null && Descriptor.Id == other.Descriptor.Id && Location == other.Location && MessageArguments == other.MessageArguments;

    public override int GetHashCode() => (Descriptor.Id, Location, MessageArguments).GetHashCode();
}
