using System.ComponentModel.DataAnnotations;

namespace Bot.Postmortems;

/// <summary>Bot:Postmortems settings.</summary>
public sealed class PostmortemOptions
{
    public const string SectionName = "Postmortems";

    /// <summary>Working hours in the point person's own time zone, "HH:mm-HH:mm".</summary>
    [RegularExpression(@"^\d{2}:\d{2}\s*[-–]\s*\d{2}:\d{2}$")]
    public string WorkingHours { get; set; } = "09:00-17:00";

    /// <summary>Working days, e.g. "Mon-Fri" or "Mon,Tue,Thu".</summary>
    [Required]
    public string WorkingDays { get; set; } = "Mon-Fri";

    /// <summary>The proposed slot is on the n-th working day after resolution at the earliest (1: the next one).</summary>
    [Range(0, 10)]
    public int GapWorkingDays { get; set; } = 1;

    /// <summary>And at least this long after resolution.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "14.00:00:00")]
    public TimeSpan MinimumGap { get; set; } = TimeSpan.Zero;

    [Range(5, 90)]
    public int DefaultMinutes { get; set; } = 45;

    [Range(5, 240)]
    public int MaxMinutes { get; set; } = 90;

    /// <summary>A meeting later than this many working days after resolution is accepted with a warning.</summary>
    [Range(1, 60)]
    public int WarnAfterWorkingDays { get; set; } = 5;

    /// <summary>Suggested attendees past this number are offered as optional.</summary>
    [Range(2, 100)]
    public int MaxAttendees { get; set; } = 8;

    /// <summary>severity (sev1..sev4) → Slack user ids, or user group ids (S...) standing for their members,
    /// suggested for that severity (e.g. the product manager).</summary>
    public Dictionary<string, string[]> Stakeholders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sections the point person is nudged about while they are empty.</summary>
    public string[] RequiredSections { get; set; } = ["symptoms", "hypothesis", "remediation"];

    /// <summary>Hours before the meeting when the point person is nudged to prep.</summary>
    public int[] PrepNudgeHours { get; set; } = [48, 4];

    /// <summary>Hours before the meeting for the reminder to every attendee.</summary>
    [Range(1, 168)]
    public int ReminderHours { get; set; } = 24;
}
