using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;

namespace Bot.Jobs;

/// <summary>Basic auth for the Hangfire dashboard; credentials come from Bot:Hangfire and are compared in constant time.</summary>
internal sealed class DashboardBasicAuth(string user, string password) : IDashboardAuthorizationFilter
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes($"{user}:{password}");

    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var given = Convert.FromBase64String(header["Basic ".Length..].Trim());
                if (CryptographicOperations.FixedTimeEquals(given, _expected))
                    return true;
            }
            catch (FormatException)
            {
                // falls through to the challenge
            }
        }
        http.Response.Headers.WWWAuthenticate = "Basic realm=\"Hangfire\"";
        return false;
    }
}
