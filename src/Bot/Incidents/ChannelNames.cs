using System.Globalization;
using System.Text;

namespace Bot.Incidents;

/// <summary>Incident channel names: <c>{prefix}-{yyyymmdd}-{slug}</c> within Slack's rules
/// (lowercase letters, digits, '-' and '_', at most 80 characters).</summary>
public static class ChannelNames
{
    public const int MaxLength = 80;
    // Room kept for a "-NN" suffix when the name is taken.
    private const int SuffixRoom = 4;

    public static string For(string prefix, DateOnly date, string title, int number)
    {
        var head = $"{Slug(prefix, MaxLength)}-{date:yyyyMMdd}-";
        if (head.StartsWith('-')) head = head[1..];
        var slug = Slug(title, MaxLength - SuffixRoom - head.Length);
        return head + (slug.Length == 0 ? $"incident-{number}" : slug);
    }

    /// <summary>The n-th alternative after a name_taken (n ≥ 2): name-2, name-3 ...</summary>
    public static string WithSuffix(string name, int n)
    {
        var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
        var keep = Math.Min(name.Length, MaxLength - suffix.Length);
        return name[..keep].TrimEnd('-') + suffix;
    }

    public static string Slug(string text, int maxLength)
    {
        var sb = new StringBuilder();
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            var c = char.ToLowerInvariant(ch);
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length > maxLength) slug = slug[..Math.Max(0, maxLength)].TrimEnd('-');
        return slug;
    }
}
