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

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArguments.Cast<object>().ToArray());

    public bool Equals(DiagnosticInfo? other) =>
        other is not null && Descriptor.Id == other.Descriptor.Id && Location == other.Location && MessageArguments == other.MessageArguments;

    public override int GetHashCode() => (Descriptor.Id, Location, MessageArguments).GetHashCode();
}
