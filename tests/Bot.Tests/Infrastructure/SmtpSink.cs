using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Bot.Tests.Infrastructure;

/// <summary>A real SMTP server (the SmtpServer package) on 127.0.0.1 that requires AUTH with one user and password
/// (over plain text: loopback only) and keeps every message it accepts, parsed by MimeKit.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly ConcurrentQueue<Received> _messages = new();
    private readonly ConcurrentQueue<(string User, string Password)> _logins = new();
    private volatile bool _refuseLogins;

    public sealed record Received(IReadOnlyList<string> Envelope, MimeMessage Message);

    public int Port { get; }
    public string User { get; }
    public string Password { get; }
    public IReadOnlyList<Received> Messages => [.. _messages];
    public IReadOnlyList<(string User, string Password)> Logins => [.. _logins];

    /// <summary>While true, every login is refused even with the right password (535), whatever the mechanism.</summary>
    public bool RefuseLogins
    {
        get => _refuseLogins;
        set => _refuseLogins = value;
    }

    private SmtpSink(string user, string password)
    {
        User = user;
        Password = password;
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AuthenticationRequired(true).AllowUnsecureAuthentication(true))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Authenticator(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public static async Task<SmtpSink> Start(string user, string password)
    {
        var sink = new SmtpSink(user, password);
        // Listening once a client can connect.
        await Poll.Until(async () =>
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, sink.Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, up => up, TimeSpan.FromSeconds(10), "the SMTP server to listen");
        return sink;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink._messages.Enqueue(new Received(transaction.To.Select(m => $"{m.User}@{m.Host}").ToList(), message));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator(SmtpSink sink) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken token)
        {
            sink._logins.Enqueue((user, password));
            if (sink._refuseLogins) return Task.FromResult(false);
            return Task.FromResult(user == sink.User && password == sink.Password);
        }
    }
}
