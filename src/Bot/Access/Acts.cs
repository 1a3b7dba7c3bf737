namespace Bot.Access;

/// <summary>Who may do a thing to an incident or its post-mortem, beside the admins (who may do them all).</summary>
public enum Who
{
    /// <summary>The commander, the point person, and whoever holds a named role (comms, scribe, …).</summary>
    Responders,
    /// <summary>The post-mortem's point person (the commander while there is no post-mortem yet).</summary>
    PointPerson,
    /// <summary>Who reported the incident, or its commander: the channel the bot could not open is theirs.</summary>
    Reporter,
}

/// <summary>A restricted thing; <paramref name="Doing"/> finishes "… can" in the refusal.</summary>
public sealed record Act(string Doing, Who Who);

/// <summary>Every restricted thing, in one place (docs/reliability.md, "Who may do what", is this table in words).
/// What is not here is open to anyone Slack lets use the surface: notes, links, questions and answers, the
/// timeline, lists, preview, action items' creation, "Add to incident", and capture itself.</summary>
public static class Acts
{
    public static readonly Act Status = new("change the status of this incident", Who.Responders);
    public static readonly Act Severity = new("change the severity of this incident", Who.Responders);
    public static readonly Act Commander = new("hand over command of this incident", Who.Responders);
    public static readonly Act Role = new("assign roles in this incident", Who.Responders);
    public static readonly Act Resolve = new("resolve this incident", Who.Responders);
    public static readonly Act Reopen = new("reopen this incident", Who.Responders);

    public static readonly Act Schedule = new("schedule the post-mortem meeting", Who.Responders);
    public static readonly Act Reschedule = new("move the post-mortem meeting", Who.Responders);
    public static readonly Act CancelMeeting = new("cancel the post-mortem meeting", Who.Responders);
    public static readonly Act Invite = new("change who is invited to the post-mortem", Who.Responders);
    public static readonly Act MeetingRoles = new("name the post-mortem's moderator or notetaker", Who.Responders);

    public static readonly Act Edit = new("edit the post-mortem", Who.PointPerson);
    public static readonly Act Publish = new("publish this post-mortem", Who.PointPerson);
    public static readonly Act ForcePublish = new("publish this post-mortem past the readiness check", Who.PointPerson);

    public static readonly Act RetryChannel = new("retry or cancel this incident's channel", Who.Reporter);
}
