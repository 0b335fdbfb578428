using System.Net;
using System.Net.Sockets;

namespace GlowML.Tests.Data;

/// <summary>Serves fixed bytes at one path on 127.0.0.1 (a real HTTP server, for the download tests).</summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LocalHttpServer(string fileName, byte[] content)
    {
        int port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/data/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Requests++;
                bool found = context.Request.Url!.AbsolutePath == BaseAddress.AbsolutePath + fileName;
                context.Response.StatusCode = found ? 200 : 404;
                if (found)
                {
                    context.Response.ContentLength64 = content.Length;
                    await context.Response.OutputStream.WriteAsync(content);
                }

                context.Response.Close();
            }
        });
    }

    public Uri BaseAddress { get; }

    public int Requests { get; private set; }

    /// <summary>A port nothing listens on right now (also used to simulate being offline).</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
