namespace Bot.Incidents;

/// <summary>What <c>/incident ...</c> asked for, once its arguments are known to be well formed.</summary>
public abstract record ParsedCommand
{
    public sealed record Help : ParsedCommand;
    /// <summary>Private: the trailing word private (true) or public (false); null leaves it to Bot:Incidents:PrivateChannels.</summary>
    public sealed record New(string? Title, string? Sev, bool? Private = null) : ParsedCommand;
    public sealed record Commander(string UserId) : ParsedCommand;
    public sealed record Role(string RoleName, string UserId) : ParsedCommand;
    public sealed record Status(string Value) : ParsedCommand;
    public sealed record Severity(string Value) : ParsedCommand;
    public sealed record Note(string Text) : ParsedCommand;
    public sealed record Link(string Label, string Url) : ParsedCommand;
    public sealed record Timeline : ParsedCommand;
    public sealed record Resolve(string? Summary) : ParsedCommand;
    public sealed record Reopen(string? Reason) : ParsedCommand;
    /// <summary>From: the time as typed (read in the caller's time zone by the handler, which knows it), or null
    /// for the channel's whole history.</summary>
    public sealed record Backfill(string? From) : ParsedCommand;
    /// <summary>Figures over the incidents resolved in the last <paramref name="Days"/> days.</summary>
    public sealed record Stats(int Days) : ParsedCommand;
    /// <summary>Wrong or missing arguments: Message is shown to the user as is (ephemeral).</summary>
    public sealed record Invalid(string Message) : ParsedCommand;
}

/// <summary>Parses the text after <c>/incident</c>. Pure: no I/O, so every usage message is unit-tested.</summary>
public static class IncidentCommandParser
{
    public const int MaxTitleLength = 150; // Slack's header block limit
    public const int MaxRoleLength = 40;
    public const int MaxNoteLength = 3000;

    public static readonly IReadOnlyList<string> Statuses = ["investigating", "identified", "monitoring"];
    public static readonly IReadOnlyList<string> Severities = ["sev1", "sev2", "sev3", "sev4"];

    public static ParsedCommand Parse(string? text)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0) return new ParsedCommand.Help();

        var (verb, rest) = SplitFirst(trimmed);
        return verb.ToLowerInvariant() switch
        {
            "help" => new ParsedCommand.Help(),
            "new" => ParseNew(rest),
            "commander" => ParseCommander(rest),
            "role" => ParseRole(rest),
            "status" => OneOf(rest, Statuses, Usage.Status, v => new ParsedCommand.Status(v)),
            "severity" => OneOf(rest, Severities, Usage.Severity, v => new ParsedCommand.Severity(v)),
            "note" => ParseNote(rest),
            "link" => ParseLink(rest),
            "resolve" => new ParsedCommand.Resolve(rest.Length == 0 ? null : rest),
            "reopen" => rest.Length > MaxNoteLength ? Invalid(Usage.Reopen) : new ParsedCommand.Reopen(rest.Length == 0 ? null : rest),
            "backfill" => ParseBackfill(rest),
            "stats" => ParseStats(rest),
            "timeline" => rest.Length == 0 ? new ParsedCommand.Timeline() : Invalid(Usage.Timeline),
            _ => new ParsedCommand.Invalid($"I don't know `{verb}`.\n{Usage.HelpText}"),
        };
    }

    private static ParsedCommand ParseNew(string rest)
    {
        string? severity = null;
        bool? isPrivate = null;
        // Trailing options, each at most once and in either order: a severity, and private or public.
        while (rest.Length > 0)
        {
            var lastSpace = rest.LastIndexOf(' ');
            var last = (lastSpace < 0 ? rest : rest[(lastSpace + 1)..]).ToLowerInvariant();
            if (severity is null && Severities.Contains(last)) severity = last;
            else if (isPrivate is null && last is "private" or "public") isPrivate = last == "private";
            else break;
            rest = lastSpace < 0 ? "" : rest[..lastSpace].TrimEnd();
        }
        rest = CommandText.ToPlain(rest).Trim();
        if (rest.Length == 0) return new ParsedCommand.New(null, severity, isPrivate);
        if (rest.Length > MaxTitleLength)
            return new ParsedCommand.Invalid($"The title is {rest.Length} characters; keep it under {MaxTitleLength + 1}.\n{Usage.Line(Usage.New)}");
        return new ParsedCommand.New(rest, severity, isPrivate);
    }

    private static ParsedCommand ParseBackfill(string rest)
    {
        if (rest.Length == 0) return new ParsedCommand.Backfill(null);
        var (word, when) = SplitFirst(rest);
        return word.Equals("from", StringComparison.OrdinalIgnoreCase) && when.Length > 0
            ? new ParsedCommand.Backfill(when)
            : Invalid(Usage.Backfill);
    }

    private static ParsedCommand ParseStats(string rest)
    {
        if (rest.Length == 0) return new ParsedCommand.Stats(Bot.Stats.IncidentStats.DefaultDays);
        var days = rest.EndsWith('d') ? rest[..^1] : rest;
        return int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
               && n is >= 1 and <= Bot.Stats.IncidentStats.MaxDays
            ? new ParsedCommand.Stats(n)
            : new ParsedCommand.Invalid(
                $"Give the number of days to look back, 1 to {Bot.Stats.IncidentStats.MaxDays} (default {Bot.Stats.IncidentStats.DefaultDays}).\n{Usage.Line(Usage.Stats)}");
    }

    private static ParsedCommand ParseCommander(string rest)
    {
        var tokens = Tokens(rest);
        if (tokens.Length != 1) return Invalid(Usage.Commander);
        var user = Mentions.ParseUser(tokens[0], out var error);
        return user is null ? new ParsedCommand.Invalid($"{error}\n{Usage.Line(Usage.Commander)}") : new ParsedCommand.Commander(user);
    }

    private static ParsedCommand ParseRole(string rest)
    {
        var tokens = Tokens(rest);
        if (tokens.Length < 2) return Invalid(Usage.Role);
        if (tokens[..^1].Any(t => t.StartsWith('<'))) return Invalid(Usage.Role);
        var role = CommandText.ToPlain(string.Join(' ', tokens[..^1])).ToLowerInvariant();
        if (role.Length > MaxRoleLength)
            return Invalid(Usage.Role);
        var user = Mentions.ParseUser(tokens[^1], out var error);
        if (user is null) return new ParsedCommand.Invalid($"{error}\n{Usage.Line(Usage.Role)}");
        return role == "commander" ? new ParsedCommand.Commander(user) : new ParsedCommand.Role(role, user);
    }

    private static ParsedCommand ParseNote(string rest)
    {
        if (rest.Length == 0) return Invalid(Usage.Note);
        if (rest.Length > MaxNoteLength)
            return new ParsedCommand.Invalid($"The note is too long (at most {MaxNoteLength} characters).\n{Usage.Line(Usage.Note)}");
        return new ParsedCommand.Note(rest);
    }

    private static ParsedCommand ParseLink(string rest)
    {
        var tokens = Tokens(rest);
        if (tokens.Length < 2) return Invalid(Usage.Link);
        var url = UnwrapUrl(tokens[^1]);
        if (url is null) return new ParsedCommand.Invalid($"`{tokens[^1]}` is not an http(s) link.\n{Usage.Line(Usage.Link)}");
        return new ParsedCommand.Link(CommandText.ToPlain(string.Join(' ', tokens[..^1])), url);
    }

    /// <summary>Slack sends links in command text as <c>&lt;https://x|label&gt;</c> or <c>&lt;https://x&gt;</c> (or bare).</summary>
    public static string? UnwrapUrl(string token)
    {
        var t = token.Replace("&amp;", "&", StringComparison.Ordinal);
        if (t.StartsWith('<') && t.EndsWith('>'))
        {
            t = t[1..^1];
            var bar = t.IndexOf('|');
            if (bar >= 0) t = t[..bar];
        }
        return Uri.TryCreate(t, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? t
            : null;
    }

    private static ParsedCommand OneOf(string rest, IReadOnlyList<string> allowed, string usage, Func<string, ParsedCommand> make)
    {
        var value = rest.Trim().ToLowerInvariant();
        return allowed.Contains(value) ? make(value) : Invalid(usage);
    }

    private static ParsedCommand.Invalid Invalid(string usage) => new(Usage.Line(usage));

    private static (string First, string Remainder) SplitFirst(string text)
    {
        var i = text.IndexOfAny([' ', '\t', '\n']);
        return i < 0 ? (text, "") : (text[..i], text[(i + 1)..].Trim());
    }

    private static string[] Tokens(string text) =>
        text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
