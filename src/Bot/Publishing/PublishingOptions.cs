using Bot.Documents;
using MimeKit;

namespace Bot.Publishing;

/// <summary>Bot:Publishing settings: where a published post-mortem goes, and the phrases the readiness check calls blaming.</summary>
public sealed class PublishingOptions
{
    public const string SectionName = "Publishing";

    /// <summary>Channel id (C… or G…) that gets the summary with the Markdown document attached; unset: no announcement
    /// (the incident channel and the stakeholders still get it). The bot must be a member of it.</summary>
    public string? AnnounceChannel { get; set; }

    /// <summary>Phrases that read as blame (whole words, any case). Null: <see cref="Readiness.DefaultBlamingPhrases"/>;
    /// a configured list replaces the defaults (a null default, because the configuration binder appends to an array
    /// it finds already filled).</summary>
    public string[]? BlamingPhrases { get; set; }

    /// <summary>Addresses (comma or semicolon separated) that get the HTML document by email; unset: no email.</summary>
    public string? MailingList { get; set; }

    public SmtpSettings Smtp { get; set; } = new();

    public IReadOnlyList<string> Phrases => BlamingPhrases ?? Readiness.DefaultBlamingPhrases;

    /// <summary>Each address of a list with whether it reads as one.</summary>
    public static IReadOnlyList<(string Text, MailboxAddress? Address)> Addresses(string? list) =>
        (list ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => (a, MailboxAddress.TryParse(a, out var parsed) && parsed.Address.Contains('@') ? parsed : null))
            .ToList();

    /// <summary>Every bad setting, each as one line naming the key (empty when all is well).</summary>
    public IReadOnlyList<string> Problems()
    {
        const string p = "Bot:Publishing";
        var problems = new List<string>();
        if (AnnounceChannel is { } c && !System.Text.RegularExpressions.Regex.IsMatch(c, "^[CG][A-Z0-9]{2,}$"))
            problems.Add($"{p}:AnnounceChannel must be a channel id like C0123ABCD (a name such as #incidents won't do), not \"{c}\".");
        if (BlamingPhrases is { } phrases && phrases.Any(string.IsNullOrWhiteSpace))
            problems.Add($"{p}:BlamingPhrases has an empty phrase.");
        if (string.IsNullOrWhiteSpace(MailingList)) return problems;
        foreach (var (text, _) in Addresses(MailingList).Where(a => a.Address is null))
            problems.Add($"{p}:MailingList has \"{text}\", which is not an email address.");
        if (string.IsNullOrWhiteSpace(Smtp.Host)) problems.Add($"{p}:MailingList is set but {p}:Smtp:Host is not.");
        if (Smtp.Port is < 1 or > 65535) problems.Add($"{p}:Smtp:Port must be between 1 and 65535, not {Smtp.Port}.");
        if (string.IsNullOrWhiteSpace(Smtp.From)) problems.Add($"{p}:MailingList is set but {p}:Smtp:From is not.");
        else if (Addresses(Smtp.From) is not [{ Address: not null }]) problems.Add($"{p}:Smtp:From must be one email address.");
        if (string.IsNullOrEmpty(Smtp.User) != string.IsNullOrEmpty(Smtp.Password))
            problems.Add($"{p}:Smtp:User and {p}:Smtp:Password go together: set both or neither.");
        return problems;
    }
}

/// <summary>Bot:Publishing:Smtp. The password comes from configuration (an environment variable such as
/// Bot__Publishing__Smtp__Password, or a secret store), is only handed to the SMTP server, and is never logged.</summary>
public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? From { get; set; }
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>true: TLS required (STARTTLS, or TLS from the first byte on port 465); false: plain SMTP (a relay on
    /// the same host or network only).</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>Never the password: this is what may end up in a log line or an exception.</summary>
    public override string ToString() => $"{Host}:{Port} (tls {UseTls}, user {(string.IsNullOrEmpty(User) ? "none" : User)})";
}
