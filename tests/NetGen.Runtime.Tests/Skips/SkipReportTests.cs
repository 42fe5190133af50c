using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NetGen.Runtime.Tests.Skips;

/// <summary>What a plain <c>dotnet test</c> prints about skipped tests: each reason once, naming the attribute that marks them.</summary>
public sealed class SkipReportTests
{
    [Fact]
    public void EachDistinctReasonIsReportedOnceNamingTheAttribute()
    {
        var reason = $"libexample is not installed: sudo apt-get install libexample ({Guid.NewGuid()})";
        var sink = new RecordingSink();

        SkipReport.Send(sink, new AttributeOnTest(new TurboJpegFactAttribute { Skip = reason }));
        SkipReport.Send(sink, new AttributeOnTest(new TurboJpegFactAttribute { Skip = reason }));
        SkipReport.Send(sink, new AttributeOnTest(new FactAttribute()));

        Assert.Equal([$"Tests marked [TurboJpegFact] skip: {reason}"], sink.Messages);
    }

    /// <summary>A fact attribute as xunit's discoverers see it: only Skip is read.</summary>
    private sealed class AttributeOnTest(FactAttribute fact) : LongLivedMarshalByRefObject, IReflectionAttributeInfo
    {
        public Attribute Attribute => fact;

        public IEnumerable<object> GetConstructorArguments() => [];

        public IEnumerable<IAttributeInfo> GetCustomAttributes(string assemblyQualifiedAttributeTypeName) => [];

        public TValue GetNamedArgument<TValue>(string argumentName) =>
            argumentName == nameof(FactAttribute.Skip) ? (TValue)(object)fact.Skip! : throw new ArgumentException($"Only Skip is read, not {argumentName}.", nameof(argumentName));
    }

    private sealed class RecordingSink : LongLivedMarshalByRefObject, IMessageSink
    {
        public List<string> Messages { get; } = [];

        public bool OnMessage(IMessageSinkMessage message)
        {
            Messages.AddRange(new[] { message }.OfType<IDiagnosticMessage>().Select(m => m.Message));
            return true;
        }
    }
}
