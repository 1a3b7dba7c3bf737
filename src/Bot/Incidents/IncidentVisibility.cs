namespace Bot.Incidents;

/// <summary>Who may see an incident outside its channel (the Home tab, the "Add to incident" picker): everyone
/// for a public incident, only the members of its channel for a private one (incident_members).</summary>
public static class IncidentVisibility
{
    /// <summary>A condition on <c>incidents i</c> for the user in the parameter <c>@userId</c>.</summary>
    public const string VisibleToUser = """
        (not i.is_private or exists (select 1 from incident_members m
                                     where m.incident_id = i.id and m.user_id = @userId and m.is_member))
        """;
}
