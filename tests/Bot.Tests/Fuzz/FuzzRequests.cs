using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Tests.Fuzz;

/// <summary>How a generated request is signed. Only <see cref="Valid"/> reaches the parsers; every other way must be
/// refused with 401 before anything looks at the body.</summary>
public enum Signing { Valid, BadSignature, WrongSecret, Stale, Future, GarbageTimestamp, NoTimestamp, NoSignature, NoHeaders }

/// <summary>One generated request: which fault it carries (Kind), where it goes, its exact bytes and how it is signed.</summary>
public sealed record FuzzRequest(string Kind, string Path, byte[] Body, string? ContentType, Signing Signing, bool Chunked = false)
{
    /// <summary>The one status the request must get, when the fault decides it (a bad signature, an oversized body).</summary>
    public int? Expected { get; init; }

    /// <summary>For url_verification with a string challenge: the text the answer must echo.</summary>
    public string? Challenge { get; init; }
}

/// <summary>What the fuzzer knows of the world it aims at: the ids that make a request go deep (a real incident
/// channel, people the fake knows, the bot's own action and callback ids) next to ones nobody knows.</summary>
public sealed record FuzzTargets(
    string TeamId,
    IReadOnlyList<string> Users,
    IReadOnlyList<string> Channels,
    IReadOnlyList<string> ActionIds,
    IReadOnlyList<string> CallbackIds,
    Func<string> ResponseUrl,
    Func<string> TriggerId);

/// <summary>Generates the requests from a seeded PRNG, so a failing run is replayed by its seed. Most mutated bodies
/// are signed correctly: a bug behind the signature check is only found by a request that passes it.</summary>
public sealed class FuzzRequests(int seed, FuzzTargets targets, IReadOnlyList<JsonObject> eventSamples, IReadOnlyList<JsonObject> interactionSamples, long maxBodyBytes)
{
    public const string Events = "/slack/events";
    public const string Commands = "/slack/commands";
    public const string Interactivity = "/slack/interactivity";

    private readonly Random _random = new(seed);

    private static readonly string[] IncidentSubcommands =
        ["", "help", "new", "commander", "role", "status", "severity", "note", "link", "resolve", "reopen", "timeline", "NEW", "nope"];

    private static readonly string[] PostmortemSubcommands =
    [
        "", "help", "schedule", "reschedule", "move", "cancel", "invite", "uninvite", "attendees", "moderator", "notetaker", "preview",
        "edit", "question", "ask", "questions", "answer", "publish", "action", "actions", "draft", "Schedule", "zzz",
    ];

    private static readonly string[] Words =
    [
        "tomorrow", "10am", "14:30", "in 3 days", "fri", "next monday", "2026-13-45", "2026-02-30", "for", "for 30", "for 99999999999",
        "for -5 minutes", "minutes", "--force", "—force", "–force", "-f", "mine", "private", "public", "sev1", "sev99", "SEV-2",
        "investigating", "monitoring", "identified", "commander", "scribe", "comms", "link", "https://example.com/x?y=1", "javascript:alert(1)",
        "<!channel>", "<!here|here>", "<!subteam^S123>", "&amp;", "&lt;", "%", "%zz", "{{ 1+1 }}", "{{ for x in 1..100000000 }}x{{ end }}",
        "{% raw %}", "`code`", "```block```", "*bold*", "_i_", "~s~", "\n", "\r\n", "\t", "  ", "\u200b", "\u202e", "\ufeff", "🔥", "👩‍👩‍👧‍👦",
        "日本語", "مرحبا", "Ω", "\ud83d", "1", "0", "-1", "9999999999999999999999", "1e308", "NaN", "null", "true", "[]", "{}", "\"", "'", "\\",
        "Robert'); drop table incidents;--", "due", "due today", "due 2099-01-01", "due yesterday", "q1", "#1", "#999999", "1.5",
    ];

    public IReadOnlyList<FuzzRequest> Generate(int count) => Enumerable.Range(0, count).Select(_ => Next()).ToList();

    public FuzzRequest Next() => _random.Next(100) switch
    {
        < 22 => SlashCommand(),
        < 42 => Event(),
        < 60 => Interaction(),
        < 66 => UrlVerification(),
        < 76 => BadlySigned(),
        < 82 => Truncated(),
        < 87 => InvalidUtf8(),
        < 91 => DeeplyNested(),
        < 96 => WrongContentType(),
        < 98 => Garbage(),
        _ => Huge(),
    };

    // --- slash commands --------------------------------------------------------------------------------------

    private FuzzRequest SlashCommand()
    {
        var fields = CommandFields();
        // Now and then a field is dropped or doubled (a form may repeat a key).
        var form = Form(fields);
        if (_random.Next(10) == 0) form += "&text=" + Uri.EscapeDataString(CommandText(fields["command"]));
        if (_random.Next(15) == 0) form = Form(fields.Where(_ => _random.Next(4) > 0).ToDictionary());
        return new FuzzRequest("slash_command", Commands, Utf8(form), FormType, Signing.Valid);
    }

    private Dictionary<string, string> CommandFields()
    {
        var command = _random.Next(20) switch
        {
            < 9 => "/incident",
            < 18 => "/postmortem",
            18 => "/INCIDENT",
            _ => "/unknown" + _random.Next(100),
        };
        return new Dictionary<string, string>
        {
            ["token"] = "deprecated",
            ["team_id"] = Pick([targets.TeamId, targets.TeamId, "T" + Id(), ""]),
            ["team_domain"] = "fuzz",
            ["channel_id"] = Channel(),
            ["channel_name"] = Pick(["general", "directmessage", "privategroup", Text()]),
            ["user_id"] = User(),
            ["user_name"] = Text(),
            ["command"] = command,
            ["text"] = CommandText(command),
            ["api_app_id"] = "A0FUZZ",
            ["is_enterprise_install"] = Pick(["false", "true", "maybe"]),
            ["response_url"] = _random.Next(10) == 0 ? Pick(["", "not a url", "ftp://x/y", "http://127.0.0.1:1/closed"]) : targets.ResponseUrl(),
            ["trigger_id"] = _random.Next(4) == 0 ? Text() : targets.TriggerId(),
        };
    }

    private string CommandText(string command)
    {
        var sub = Pick(command.StartsWith("/p", StringComparison.OrdinalIgnoreCase) ? PostmortemSubcommands : IncidentSubcommands);
        var args = Enumerable.Range(0, _random.Next(6)).Select(_ => _random.Next(5) switch
        {
            0 => Mention(),
            1 => Text(),
            _ => Pick(Words),
        });
        var text = string.Join(Pick([" ", " ", "  ", "\u00a0", "\n"]), args.Prepend(sub));
        return _random.Next(25) == 0 ? text + new string('x', _random.Next(3000, 12000)) : text;
    }

    private string Mention() => _random.Next(6) switch
    {
        0 => $"<@{User()}>",
        1 => $"<@{User()}|{Text()}>",
        2 => "<@>",
        3 => $"<#{Channel()}|{Text()}>",
        4 => "@" + Text(),
        _ => $"<@{User()}> <@{User()}> <@{User()}>",
    };

    // --- Events API ------------------------------------------------------------------------------------------

    private FuzzRequest Event()
    {
        var envelope = Envelope();
        var mutations = _random.Next(4);
        for (var i = 0; i < mutations; i++) Mutate(envelope);
        return new FuzzRequest(mutations == 0 ? "event_sample" : "event_wrong_types", Events, Utf8(envelope.ToJsonString()), JsonType, Signing.Valid);
    }

    private JsonObject Envelope()
    {
        var sample = Pick(eventSamples).DeepClone().AsObject();
        JsonObject envelope;
        if (sample["event"] is JsonObject) envelope = sample;
        else envelope = new JsonObject { ["type"] = "event_callback", ["event"] = sample };
        envelope["team_id"] = targets.TeamId;
        envelope["event_id"] = "Ev" + Id();
        envelope["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // Aim the inner event at the world's channels and people, where the capture handlers act.
        if (envelope["event"] is JsonObject inner)
        {
            if (inner["channel"] is JsonValue) inner["channel"] = Channel();
            if (inner["user"] is JsonValue) inner["user"] = User();
            if (inner["item"] is JsonObject item && item["channel"] is JsonValue) item["channel"] = Channel();
        }
        return envelope;
    }

    private FuzzRequest UrlVerification()
    {
        var body = new JsonObject { ["token"] = "x", ["type"] = "url_verification" };
        string? challenge = null;
        int? expected = null;
        switch (_random.Next(6))
        {
            case 0: body["challenge"] = challenge = Text(); break;
            case 1: body["challenge"] = challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"; break;
            case 2: body["challenge"] = RandomValue(); expected = body["challenge"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? null : 400; break;
            case 3: expected = 400; break; // no challenge
            case 4: body["challenge"] = challenge = new string('c', _random.Next(1000, 100_000)); break;
            default: body["type"] = RandomValue(); expected = 400; break;
        }
        if (body["challenge"] is JsonValue s && s.GetValueKind() == JsonValueKind.String) challenge ??= s.GetValue<string>();
        // A type that came out a string other than url_verification is another outer type: acked.
        if (body["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>() != "url_verification") expected = null;
        if (body["type"] is JsonValue t2 && t2.GetValueKind() == JsonValueKind.String && t2.GetValue<string>() == "url_verification" && challenge is null) expected = 400;
        return new FuzzRequest("url_verification", Events, Utf8(body.ToJsonString()), JsonType, Signing.Valid)
        {
            Expected = expected ?? (challenge is null ? null : 200),
            Challenge = body["type"]?.GetValueKind() == JsonValueKind.String && (string?)body["type"] == "url_verification" ? challenge : null,
        };
    }

    // --- interactivity ---------------------------------------------------------------------------------------

    private FuzzRequest Interaction()
    {
        var payload = _random.Next(3) == 0 ? Pick(interactionSamples).DeepClone().AsObject() : Aimed();
        var mutations = _random.Next(4);
        for (var i = 0; i < mutations; i++) Mutate(payload);
        var form = "payload=" + Uri.EscapeDataString(payload.ToJsonString());
        return new FuzzRequest(mutations == 0 ? "interaction" : "interaction_wrong_types", Interactivity, Utf8(form), FormType, Signing.Valid);
    }

    /// <summary>A block_actions or view payload with one of the bot's own ids, so it reaches a real handler.</summary>
    private JsonObject Aimed()
    {
        var user = new JsonObject { ["id"] = User(), ["username"] = "fuzz", ["team_id"] = targets.TeamId };
        var channel = Channel();
        var team = new JsonObject { ["id"] = targets.TeamId, ["domain"] = "fuzz" };
        switch (_random.Next(3))
        {
            case 0:
                return new JsonObject
                {
                    ["type"] = "block_actions", ["team"] = team, ["user"] = user, ["api_app_id"] = "A0FUZZ",
                    ["trigger_id"] = targets.TriggerId(), ["response_url"] = targets.ResponseUrl(),
                    ["channel"] = new JsonObject { ["id"] = channel, ["name"] = "x" },
                    ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = Ts(), ["channel_id"] = channel },
                    ["message"] = new JsonObject { ["type"] = "message", ["ts"] = Ts(), ["text"] = Text() },
                    ["actions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = Pick(["button", "static_select", "users_select", "datepicker"]),
                        ["action_id"] = Pick(targets.ActionIds), ["block_id"] = "b" + _random.Next(9),
                        ["value"] = Pick([_random.Next(1, 50).ToString(), Text(), "", "-1", "99999999999999999999", "{\"incident\":1}"]),
                        ["action_ts"] = Ts(),
                    }),
                };
            default:
                var kind = _random.Next(2) == 0 ? "view_submission" : "view_closed";
                var values = new JsonObject();
                for (var i = 0; i < _random.Next(4); i++)
                    values["b" + i] = new JsonObject
                    {
                        ["a" + i] = new JsonObject
                        {
                            ["type"] = Pick(["plain_text_input", "static_select", "datepicker", "timepicker", "users_select", "multi_users_select"]),
                            ["value"] = Text(), ["selected_date"] = Pick(["2026-12-03", "2026-99-99", "x"]), ["selected_time"] = Pick(["10:00", "25:61"]),
                            ["selected_user"] = User(), ["selected_users"] = new JsonArray(User(), User()),
                            ["selected_option"] = new JsonObject { ["value"] = Text() },
                        },
                    };
                return new JsonObject
                {
                    ["type"] = kind, ["team"] = team, ["user"] = user, ["api_app_id"] = "A0FUZZ", ["trigger_id"] = targets.TriggerId(),
                    ["view"] = new JsonObject
                    {
                        ["id"] = "V" + Id(), ["type"] = "modal", ["callback_id"] = Pick(targets.CallbackIds),
                        ["private_metadata"] = Pick(["", "1", "{\"incident\":1}", "{\"channel\":\"" + channel + "\"}", Text(), "{", "[1,2]"]),
                        ["state"] = new JsonObject { ["values"] = values }, ["hash"] = "h",
                    },
                };
        }
    }

    // --- faults at the HTTP level ----------------------------------------------------------------------------

    private FuzzRequest BadlySigned()
    {
        var good = Pick([SlashCommand(), Event(), Interaction()]);
        var signing = (Signing)_random.Next(1, Enum.GetValues<Signing>().Length);
        return good with { Kind = "signature_" + signing.ToString().ToLowerInvariant(), Signing = signing, Expected = 401 };
    }

    private FuzzRequest Truncated()
    {
        var good = Pick([SlashCommand(), Event(), Interaction()]);
        var cut = good.Body.Length == 0 ? 0 : _random.Next(good.Body.Length);
        return good with { Kind = "truncated", Body = good.Body[..cut] };
    }

    private FuzzRequest InvalidUtf8()
    {
        var good = Pick([SlashCommand(), Event(), Interaction()]);
        var bytes = new List<byte>(good.Body);
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80], [0xE2, 0x82]];
        for (var i = 0; i < _random.Next(1, 4); i++)
            bytes.InsertRange(_random.Next(bytes.Count + 1), Pick(bad));
        // Percent-encoded invalid UTF-8 is valid form syntax that decodes to bad text.
        var body = _random.Next(3) == 0 && good.Path != Events
            ? [.. bytes, .. Utf8("&text=%FF%FE%C3%28&payload2=%ED%A0%80")]
            : bytes.ToArray();
        return good with { Kind = "invalid_utf8", Body = body };
    }

    private FuzzRequest DeeplyNested()
    {
        var depth = Pick([65, 129, 1000, 20_000]);
        var nested = _random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        return _random.Next(3) switch
        {
            0 => new FuzzRequest("deep_json", Events, Utf8(nested), JsonType, Signing.Valid),
            1 => new FuzzRequest("deep_json", Events,
                Utf8("{\"type\":\"event_callback\",\"team_id\":\"" + targets.TeamId + "\",\"event_id\":\"Ev" + Id() + "\",\"event\":{\"type\":\"message\",\"channel\":\"" + Channel()
                    + "\",\"user\":\"" + User() + "\",\"ts\":\"" + Ts() + "\",\"text\":\"x\",\"blocks\":" + nested + "}}"),
                JsonType, Signing.Valid),
            _ => new FuzzRequest("deep_json", Interactivity, Utf8("payload=" + Uri.EscapeDataString(nested)), FormType, Signing.Valid),
        };
    }

    private FuzzRequest WrongContentType()
    {
        var good = Pick([SlashCommand(), Event(), Interaction()]);
        return good with
        {
            Kind = "wrong_content_type",
            ContentType = Pick<string?>([null, "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/json", FormType, "image/png", "application/x-www-form-urlencoded; charset=latin1"]),
        };
    }

    private FuzzRequest Garbage()
    {
        var bytes = new byte[_random.Next(0, 4096)];
        _random.NextBytes(bytes);
        return new FuzzRequest("garbage", Pick([Events, Commands, Interactivity]), bytes, Pick([JsonType, FormType]), Signing.Valid);
    }

    private FuzzRequest Huge()
    {
        var size = (int)maxBodyBytes + _random.Next(1, 1024 * 1024);
        var body = new byte[size];
        Array.Fill(body, (byte)'a');
        Utf8("payload=").CopyTo(body, 0);
        return new FuzzRequest("huge", Pick([Events, Commands, Interactivity]), body, FormType, Signing.Valid, Chunked: _random.Next(2) == 0)
        {
            Expected = 413,
        };
    }

    // --- JSON mutation ---------------------------------------------------------------------------------------

    /// <summary>Replaces one value somewhere in the tree with a value of another JSON type, or drops it.</summary>
    private void Mutate(JsonObject root)
    {
        var slots = new List<(JsonNode Parent, object Key)>();
        Collect(root, slots, 0);
        if (slots.Count == 0) return;
        var (parent, key) = Pick(slots);
        var drop = _random.Next(5) == 0;
        switch (parent, key)
        {
            case (JsonObject o, string k):
                if (drop) o.Remove(k);
                else o[k] = RandomValue();
                break;
            case (JsonArray a, int i):
                if (drop) a.RemoveAt(i);
                else a[i] = RandomValue();
                break;
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> slots, int depth)
    {
        if (depth > 12) return;
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    slots.Add((o, k));
                    if (v is not null) Collect(v, slots, depth + 1);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    slots.Add((a, i));
                    if (a[i] is { } v) Collect(v, slots, depth + 1);
                }
                break;
        }
    }

    private JsonNode? RandomValue() => _random.Next(14) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next()),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create(1e308),
        4 => JsonValue.Create(0.5),
        5 => JsonValue.Create(true),
        6 => JsonValue.Create(false),
        7 => new JsonArray(),
        8 => new JsonArray(JsonValue.Create(1), JsonValue.Create("x"), null),
        9 => new JsonObject(),
        10 => new JsonObject { ["type"] = Text(), ["id"] = 7 },
        11 => JsonValue.Create(""),
        12 => JsonValue.Create(new string('z', _random.Next(1, 5000))),
        _ => JsonValue.Create(Text()),
    };

    // --- small pieces ----------------------------------------------------------------------------------------

    private string Text() => _random.Next(8) switch
    {
        0 => "",
        1 => Pick(Words),
        2 => new string(Enumerable.Range(0, _random.Next(1, 40)).Select(_ => (char)_random.Next(0x20, 0x7F)).ToArray()),
        3 => new string(Enumerable.Range(0, _random.Next(1, 20)).Select(_ => (char)_random.Next(0x80, 0xD7FF)).ToArray()),
        4 => "\ud800" + Pick(Words) + "\udfff", // lone surrogates: not encodable as UTF-8
        5 => string.Concat(Enumerable.Repeat("🔥", _random.Next(1, 100))),
        6 => new string('w', _random.Next(200, 4000)),
        _ => Pick(Words) + " " + Pick(Words),
    };

    private string User() => _random.Next(6) == 0 ? Pick(["U" + Id(), "", "W0", "USLACKBOT", "B0FAKEBOT"]) : Pick(targets.Users);
    private string Channel() => _random.Next(6) == 0 ? Pick(["C" + Id(), "D" + Id(), "G" + Id(), "", "general"]) : Pick(targets.Channels);
    private string Id() => _random.Next(1_000_000, 9_999_999).ToString();
    private string Ts() => $"{_random.Next(1_500_000_000, 1_900_000_000)}.{_random.Next(0, 999_999):D6}";
    private T Pick<T>(IReadOnlyList<T> from) => from[_random.Next(from.Count)];

    public const string JsonType = "application/json";
    public const string FormType = "application/x-www-form-urlencoded";

    private static string Form(IReadOnlyDictionary<string, string> fields) =>
        string.Join("&", fields.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Escape(kv.Value)}"));

    // Uri.EscapeDataString throws on lone surrogates; Slack would send them replaced, so do the same.
    private static string Escape(string value) =>
        Uri.EscapeDataString(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value)));

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
