using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace NetGen.Runtime.Tests.Data;

/// <summary>Answers HTTP requests from a function instead of the network, and records the addresses asked for.</summary>
internal sealed class FakeHttpHandler(Func<Uri, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly List<Uri> _requests = [];

    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("Request without an address.", nameof(request));
        lock (_requests)
        {
            _requests.Add(uri);
        }

        return Task.FromResult(respond(uri));
    }
}
