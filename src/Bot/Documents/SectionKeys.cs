using Bot.Timeline;

namespace Bot.Documents;

/// <summary>The document's section keys and titles, in the team template's order. The reaction sections share their
/// keys with the emoji legend (<see cref="Sections"/>); the rest are written by hand or come from elsewhere.</summary>
public static class SectionKeys
{
    public const string Summary = "summary";
    public const string AdditionalDetails = "additional_details";
    public const string Learn = "learn";

    /// <summary>The narrative sections, in order. Action items and questions have their own lists.</summary>
    public static readonly IReadOnlyList<string> Narrative =
    [
        Sections.Observations, Sections.Symptoms, Sections.Hypothesis, Sections.Remediation, Sections.Impact,
        Sections.KeyPoints, AdditionalDetails, Sections.WentWell, Sections.WentBadly, Learn,
    ];

    /// <summary>What a person may edit by hand (<c>/postmortem edit</c>).</summary>
    public static readonly IReadOnlyList<string> Editable = [Summary, .. Narrative];

    public static string Title(string key) => key switch
    {
        Summary => "Summary",
        AdditionalDetails => "Additional details",
        Learn => "What can we learn",
        Sections.Hypothesis => "Contributing factors",
        Sections.Impact => "Impact / cost",
        _ => Sections.Titles.TryGetValue(key, out var t) ? t : key,
    };
}
