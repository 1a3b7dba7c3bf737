using System.Diagnostics;

namespace Bot.Tests.Publishing;

/// <summary>A bad Bot:Publishing setting stops the real executable with one line naming it (and never the password).</summary>
public sealed class PublishingStartupTests
{
    [Fact]
    public async Task MailingListWithoutSmtpHost_OneLineOnStderr_ExitCode2_WithoutThePassword()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Bot.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var name in new[] { "SLACK_APP_TOKEN", "SLACK_API_URL", "ConnectionStrings__Bot" })
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["SLACK_BOT_TOKEN"] = "xoxb-1";
        start.Environment["SLACK_SIGNING_SECRET"] = "s";
        start.Environment["DATABASE_URL"] = "postgres://u@127.0.0.1:9/nothing";
        start.Environment["Bot__Publishing__MailingList"] = "postmortems@example.com";
        start.Environment["Bot__Publishing__Smtp__From"] = "bot@example.com";
        start.Environment["Bot__Publishing__Smtp__User"] = "bot";
        start.Environment["Bot__Publishing__Smtp__Password"] = "pw-startup-secret";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single((await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Invalid settings:", line);
        Assert.Contains("Bot:Publishing:MailingList is set but Bot:Publishing:Smtp:Host is not.", line);
        Assert.DoesNotContain("pw-startup-secret", line + await stdout);
    }
}
