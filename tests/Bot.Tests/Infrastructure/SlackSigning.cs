using System.Security.Cryptography;
using System.Text;

namespace Bot.Tests.Infrastructure;

/// <summary>Slack's request signature: v0= + hex(HMAC-SHA256(secret, "v0:{timestamp}:{body}")).</summary>
public static class SlackSigning
{
    public static string Sign(string secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        return "v0=" + Convert.ToHexStringLower(mac);
    }
}
