using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bot.Publishing;

/// <summary>Sends the HTML document by email (MailKit). The password is handed to the server's AUTH and nowhere else:
/// no protocol log is kept (it would hold the AUTH exchange), and the settings' ToString leaves it out.</summary>
public sealed class DocumentMailer(IOptions<PublishingOptions> options)
{
    public async Task Send(IReadOnlyList<MailboxAddress> to, string subject, string html, string text, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse(smtp.From!));
        message.To.AddRange(to);
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();

        using var client = new SmtpClient();
        client.Timeout = (int)TimeSpan.FromSeconds(60).TotalMilliseconds;
        var security = !smtp.UseTls ? SecureSocketOptions.None
            : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(smtp.User))
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
