using Bot.Incidents;
using Dapper;
using Npgsql;

namespace Bot.Postmortems.Meetings;

/// <summary>Who should come: the point person, role holders, configured stakeholders for the severity, then
/// everyone who posted or reacted in the channel, most active first.</summary>
public static class AttendeeSuggestions
{
    /// <summary>Slack user group ids start with S (user ids with U or W).</summary>
    public static bool IsUserGroup(string id) => id.StartsWith('S');

    /// <summary>The configured stakeholders of this incident's severity that are user groups.</summary>
    public static IReadOnlyList<string> StakeholderGroups(Incident incident, PostmortemOptions options) =>
        incident.Severity is { } sev && options.Stakeholders.TryGetValue(sev, out var ids)
            ? ids.Select(i => i.Trim()).Where(IsUserGroup).ToList()
            : [];

    /// <param name="groupMembers">Members of the stakeholder user groups (from usergroups.list); a group missing
    /// here contributes nobody.</param>
    public static async Task<IReadOnlyList<(string UserId, string Reason)>> For(NpgsqlConnection conn, Incident incident,
        PostmortemOptions options, string? botUserId, IReadOnlyDictionary<string, IReadOnlyList<string>> groupMembers, CancellationToken ct)
    {
        var result = new List<(string, string)>();
        void Add(string? id, string reason)
        {
            if (string.IsNullOrEmpty(id) || id == botUserId || result.Any(r => r.Item1 == id)) return;
            result.Add((id, reason));
        }

        Add(incident.CommanderId, "point person");
        var roles = await conn.QueryAsync<(string Role, string UserId)>(new CommandDefinition(
            "select role, user_id from incident_roles where incident_id = @Id order by assigned_at", new { incident.Id }, cancellationToken: ct));
        foreach (var (role, user) in roles) Add(user, role);
        if (incident.Severity is { } sev && options.Stakeholders.TryGetValue(sev, out var stakeholders))
            foreach (var id in stakeholders.Select(s => s.Trim()))
            {
                if (!IsUserGroup(id)) Add(id, $"stakeholder for {sev}");
                else if (groupMembers.TryGetValue(id, out var members))
                    foreach (var member in members) Add(member, $"stakeholder for {sev}");
            }

        var active = await conn.QueryAsync<string>(new CommandDefinition("""
            select user_id from (
                select user_id, count(*) as n from timeline_entries
                where incident_id = @Id and kind in ('message', 'note', 'status', 'severity', 'link') and user_id is not null and deleted_at is null
                group by user_id
                union all
                select user_id, count(*) from timeline_reactions where incident_id = @Id group by user_id
            ) a group by user_id order by sum(n) desc, user_id
            """, new { incident.Id }, cancellationToken: ct));
        foreach (var user in active) Add(user, "took part");
        return result;
    }
}
