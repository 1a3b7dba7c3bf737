using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Bot.Postmortems.Meetings;

/// <summary>The calendar file sent with every invite, move and cancellation. The UID is the meeting's for its
/// whole life, so calendars update the one entry; SEQUENCE is the meeting version, so a later file wins.</summary>
public static class IcsInvite
{
    public sealed record Details(string Uid, int Sequence, DateTimeOffset Start, int Minutes, string Summary, string Description,
        string? Location, IReadOnlyList<(string Name, string? Email)> Attendees, bool Cancelled, DateTimeOffset Stamp);

    public static byte[] Build(Details d)
    {
        var calendar = new Calendar
        {
            Method = d.Cancelled ? "CANCEL" : "REQUEST",
            ProductId = "-//incident-bot//postmortem//EN",
        };
        var evt = new CalendarEvent
        {
            Uid = d.Uid,
            Sequence = d.Sequence,
            DtStamp = new CalDateTime(d.Stamp.UtcDateTime),
            DtStart = new CalDateTime(d.Start.UtcDateTime),
            DtEnd = new CalDateTime(d.Start.AddMinutes(d.Minutes).UtcDateTime),
            Summary = Text(d.Summary),
            Description = Text(d.Description),
            Location = d.Location is null ? null : Text(d.Location),
            Status = d.Cancelled ? "CANCELLED" : "CONFIRMED",
        };
        foreach (var (name, email) in d.Attendees)
        {
            // Slack users without a visible email still appear by name; calendars need some URI.
            evt.Attendees.Add(new Ical.Net.DataTypes.Attendee(email is null ? "mailto:noreply@invalid" : $"mailto:{email}") { CommonName = Text(name).Replace('"', '\'').Replace('\n', ' ') });
        }
        calendar.Events.Add(evt);
        var text = new CalendarSerializer().SerializeToString(calendar) ?? "";
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>RFC 5545 allows no control characters in TEXT but tab (and the newline Ical.Net writes as \n): a
    /// title or name carrying one would make calendars reject the file.</summary>
    private static string Text(string value) =>
        string.Create(value.Length, value, (span, v) =>
        {
            for (var i = 0; i < v.Length; i++)
                span[i] = char.IsControl(v[i]) && v[i] is not '\n' and not '\t' ? ' ' : v[i];
        });
}
