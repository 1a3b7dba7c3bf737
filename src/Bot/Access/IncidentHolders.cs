namespace Bot.Access;

/// <summary>Who holds what in one incident, and the refusal that names them. Pure, so the wording is unit-tested.</summary>
public sealed record IncidentHolders(string CommanderId, string ReporterId, string PointPersonId, IReadOnlyList<(string Role, string UserId)> Roles)
{
    /// <summary>Admins named in a refusal; more are counted, not listed.</summary>
    private const int AdminsNamed = 3;

    public bool May(string user, Who who) => who switch
    {
        Who.Responders => user == CommanderId || user == PointPersonId || Roles.Any(r => r.UserId == user),
        Who.PointPerson => user == PointPersonId,
        Who.Reporter => user == ReporterId || user == CommanderId,
        _ => false,
    };

    /// <summary>"Sorry, only the commander (@ana), the point person (@bo), a role holder (@cy comms) or an admin
    /// (@di) can resolve this incident."</summary>
    public string Refusal(Act act, IReadOnlyList<string> admins)
    {
        var who = new List<string>();
        switch (act.Who)
        {
            case Who.Responders:
                who.Add(CommanderId == PointPersonId
                    ? $"the commander and point person ({User(CommanderId)})"
                    : $"the commander ({User(CommanderId)}), the point person ({User(PointPersonId)})");
                if (Roles.Count > 0) who.Add($"a role holder ({string.Join(", ", Roles.Select(r => $"{User(r.UserId)} {r.Role}"))})");
                break;
            case Who.PointPerson:
                who.Add($"the point person ({User(PointPersonId)})");
                break;
            case Who.Reporter:
                who.Add(ReporterId == CommanderId
                    ? $"the reporter and commander ({User(ReporterId)})"
                    : $"the reporter ({User(ReporterId)}), the commander ({User(CommanderId)})");
                break;
        }
        if (AdminList(admins) is { } listed) who.Add($"an admin ({listed})");
        return $"Sorry, only {Join(who)} can {act.Doing}. Ask one of them.";
    }

    /// <summary>"@a, @b, @c and 2 more", or null when there are none.</summary>
    public static string? AdminList(IReadOnlyList<string> admins)
    {
        if (admins.Count == 0) return null;
        var named = string.Join(", ", admins.Take(AdminsNamed).Select(User));
        return admins.Count > AdminsNamed ? $"{named} and {admins.Count - AdminsNamed} more" : named;
    }

    /// <summary>"a", "a or b", "a, b or c".</summary>
    private static string Join(IReadOnlyList<string> parts) =>
        parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts.Take(parts.Count - 1))} or {parts[^1]}";

    private static string User(string id) => $"<@{id}>";
}
