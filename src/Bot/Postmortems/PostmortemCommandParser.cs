using System.Globalization;
using Bot.Incidents;

namespace Bot.Postmortems;

/// <summary>What <c>/postmortem ...</c> asked for.</summary>
public abstract record PostmortemRequest
{
    public sealed record Help : PostmortemRequest;
    public sealed record Schedule(string When) : PostmortemRequest;
    public sealed record Reschedule(string When) : PostmortemRequest;
    public sealed record Cancel : PostmortemRequest;
    public sealed record Invite(IReadOnlyList<string> Users) : PostmortemRequest;
    public sealed record Uninvite(IReadOnlyList<string> Users) : PostmortemRequest;
    public sealed record Attendees : PostmortemRequest;
    public sealed record Moderator(string UserId) : PostmortemRequest;
    public sealed record Notetaker(string UserId) : PostmortemRequest;
    public sealed record Preview : PostmortemRequest;
    /// <summary>Section: what the user typed (a key or a title), resolved by EditCommand; null opens the picker.</summary>
    public sealed record Edit(string? Section) : PostmortemRequest;
    public sealed record Question(string Text) : PostmortemRequest;
    public sealed record Questions(int Page) : PostmortemRequest;
    public sealed record Answer(int Number, string Text) : PostmortemRequest;
    public sealed record Publish(bool Force) : PostmortemRequest;
    public sealed record Action(string Text) : PostmortemRequest;
    public sealed record Actions(bool Mine) : PostmortemRequest;
    public sealed record Invalid(string Message) : PostmortemRequest;
}

/// <summary>Parses the text after <c>/postmortem</c>. Pure; the times themselves are read by WhenParser.</summary>
public static class PostmortemCommandParser
{
    public const string Schedule = "/postmortem schedule <when> [for <minutes>]";
    public const string Reschedule = "/postmortem reschedule <when> [for <minutes>]";
    public const string Cancel = "/postmortem cancel";
    public const string Invite = "/postmortem invite @a @b";
    public const string Uninvite = "/postmortem uninvite @a";
    public const string Attendees = "/postmortem attendees";
    public const string Moderator = "/postmortem moderator @a";
    public const string Notetaker = "/postmortem notetaker @b";
    public const string Preview = "/postmortem preview";
    public const string Edit = "/postmortem edit [section]";
    public const string Question = "/postmortem question <text>";
    public const string Questions = "/postmortem questions [page]";
    public const string Publish = Bot.Publishing.PublishCommand.Usage;
    public const string Answer = "/postmortem answer <n> <text>";

    public const string Action = ActionItems.ActionItemCommands.Usage;
    public const string Actions = ActionItems.ActionItemCommands.ListUsage;

    public static readonly IReadOnlyList<string> All = [Schedule, Reschedule, Cancel, Invite, Uninvite, Attendees, Moderator, Notetaker, Preview,
        Edit, Question, Questions, Answer, Publish, Action, Actions];

    public static string HelpText => "*Post-mortem commands* (in the incident channel)\n" + string.Join("\n", All.Select(u => $"• `{u}`"));

    public static PostmortemRequest Parse(string? text)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0) return new PostmortemRequest.Help();
        var space = trimmed.IndexOfAny([' ', '\t', '\n']);
        var verb = (space < 0 ? trimmed : trimmed[..space]).ToLowerInvariant();
        var rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        return verb switch
        {
            "help" => new PostmortemRequest.Help(),
            "schedule" => rest.Length == 0 ? Usage(Schedule) : new PostmortemRequest.Schedule(rest),
            "reschedule" or "move" => rest.Length == 0 ? Usage(Reschedule) : new PostmortemRequest.Reschedule(rest),
            "cancel" => rest.Length == 0 ? new PostmortemRequest.Cancel() : Usage(Cancel),
            "invite" => Users(rest, Invite, u => new PostmortemRequest.Invite(u)),
            "uninvite" => Users(rest, Uninvite, u => new PostmortemRequest.Uninvite(u)),
            "attendees" => rest.Length == 0 ? new PostmortemRequest.Attendees() : Usage(Attendees),
            "moderator" => One(rest, Moderator, u => new PostmortemRequest.Moderator(u)),
            "notetaker" => One(rest, Notetaker, u => new PostmortemRequest.Notetaker(u)),
            "preview" => rest.Length == 0 ? new PostmortemRequest.Preview() : Usage(Preview),
            "edit" => new PostmortemRequest.Edit(rest.Length == 0 ? null : rest),
            "question" or "ask" => rest.Length == 0 ? Usage(Question) : new PostmortemRequest.Question(rest),
            "questions" => rest.Length == 0 ? new PostmortemRequest.Questions(1)
                : int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? new PostmortemRequest.Questions(page)
                : Usage(Questions),
            "answer" => AnswerOf(rest),
            // Slack (and macOS) may turn "--" into an em or en dash.
            "publish" => rest.ToLowerInvariant() switch
            {
                "" => new PostmortemRequest.Publish(false),
                "--force" or "—force" or "–force" or "-f" => new PostmortemRequest.Publish(true),
                _ => Usage(Publish),
            },
            "action" => rest.Length == 0 ? Usage(Action) : new PostmortemRequest.Action(rest),
            "actions" => rest.Length == 0 || rest.Equals("mine", StringComparison.OrdinalIgnoreCase) ? new PostmortemRequest.Actions(rest.Length > 0) : Usage(Actions),
            _ => new PostmortemRequest.Invalid($"I don't know `{verb}`.\n{HelpText}"),
        };
    }

    private static PostmortemRequest Users(string rest, string usage, Func<IReadOnlyList<string>, PostmortemRequest> make)
    {
        var tokens = rest.Split([' ', '\t', '\n', ','], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0) return Usage(usage);
        var users = new List<string>();
        foreach (var token in tokens)
        {
            var user = Mentions.ParseUser(token, out var error);
            if (user is null) return new PostmortemRequest.Invalid($"{error}\nUsage: `{usage}`");
            if (!users.Contains(user)) users.Add(user);
        }
        return make(users);
    }

    private static PostmortemRequest One(string rest, string usage, Func<string, PostmortemRequest> make)
    {
        var tokens = rest.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length != 1) return Usage(usage);
        var user = Mentions.ParseUser(tokens[0], out var error);
        return user is null ? new PostmortemRequest.Invalid($"{error}\nUsage: `{usage}`") : make(user);
    }

    /// <summary>"3 the DNS TTL" (also "#3 ..."): the number, then the answer.</summary>
    private static PostmortemRequest AnswerOf(string rest)
    {
        var space = rest.IndexOfAny([' ', '\t', '\n']);
        var number = (space < 0 ? rest : rest[..space]).TrimStart('#');
        var text = space < 0 ? "" : rest[(space + 1)..].Trim();
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            return new PostmortemRequest.Invalid($"Which question? Give its number first (`/postmortem questions` lists them).\nUsage: `{Answer}`");
        return text.Length == 0 ? Usage(Answer) : new PostmortemRequest.Answer(n, text);
    }

    private static PostmortemRequest.Invalid Usage(string usage) => new($"Usage: `{usage}`");
}
