using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

public sealed partial class FakeSlack
{
    private const int MaxBlocksPerView = 100;
    private const int MaxViewTitle = 24;
    private const int MaxPrivateMetadata = 3000;
    private const int MaxCallbackId = 255;

    private void RegisterViews()
    {
        _handlers["views.open"] = args =>
        {
            var trigger = ExchangeTrigger(args.Str("trigger_id")!);
            var definition = ViewDefinition(args, "modal");
            var view = NewView(definition, trigger, userId: null, root: null);
            return Ok(new JsonObject { ["view"] = ViewJson(view) });
        };
        _handlers["views.push"] = args =>
        {
            var trigger = ExchangeTrigger(args.Str("trigger_id")!);
            var definition = ViewDefinition(args, "modal");
            var root = _views.Values.LastOrDefault(v => v.Type == "modal");
            var view = NewView(definition, trigger, userId: null, root);
            return Ok(new JsonObject { ["view"] = ViewJson(view) });
        };
        _handlers["views.update"] = args =>
        {
            var view = (args.Str("view_id"), args.Str("external_id")) switch
            {
                ({ } id, _) => _views.GetValueOrDefault(id),
                (null, { } external) => _views.Values.FirstOrDefault(v => v.ExternalId == external),
                _ => throw new SlackErrorException("invalid_arguments", "[ERROR] either view_id or external_id is required"),
            } ?? throw new SlackErrorException("not_found");
            if (!args.Has("view")) throw new SlackErrorException("invalid_arguments", "[ERROR] missing required field: view");
            if (args.Str("hash") is { } hash && hash != view.Hash) throw new SlackErrorException("hash_conflict");
            var definition = ViewDefinition(args, view.Type);
            Replace(view, definition);
            return Ok(new JsonObject { ["view"] = ViewJson(view) });
        };
        _handlers["views.publish"] = args =>
        {
            var user = FindUser(args.Str("user_id")!) ?? throw new SlackErrorException("user_not_found");
            var definition = ViewDefinition(args, "home");
            var existing = _views.Values.FirstOrDefault(v => v.UserId == user.Id && v.Type == "home");
            if (existing is not null && args.Str("hash") is { } hash && hash != existing.Hash) throw new SlackErrorException("hash_conflict");
            if (existing is null) existing = NewView(definition, triggerId: null, user.Id, root: null);
            else Replace(existing, definition);
            return Ok(new JsonObject { ["view"] = ViewJson(existing) });
        };
    }

    /// <summary>Slack's trigger_id is single-use and short-lived.</summary>
    private string ExchangeTrigger(string triggerId)
    {
        if (!_triggers.TryGetValue(triggerId, out var issued)) throw new SlackErrorException("invalid_trigger_id",
            "[ERROR] unknown trigger_id; tests get valid ones from FakeSlack.NewTriggerId()");
        if (issued == DateTimeOffset.MinValue) throw new SlackErrorException("exchanged_trigger_id");
        if (_time.GetUtcNow() - issued > _options.TriggerLifetime) throw new SlackErrorException("expired_trigger_id");
        _triggers[triggerId] = DateTimeOffset.MinValue;
        return triggerId;
    }

    /// <summary>The view argument, checked against the limits Slack enforces.</summary>
    private static JsonObject ViewDefinition(SlackArgs args, string expectedType)
    {
        if (args.Json("view", "invalid_arguments") is not JsonObject view)
            throw new SlackErrorException("invalid_arguments", "[ERROR] view must be a JSON object");
        return CheckView(view, expectedType);
    }

    /// <summary>What Slack would refuse in a modal the app builds (for views that reach Slack another way, or before
    /// they do): empty when it is fine.</summary>
    public static IReadOnlyList<string> ViewProblems(JsonObject view)
    {
        try
        {
            CheckView(view, "modal");
            return [];
        }
        catch (SlackErrorException e)
        {
            return e.Messages.Count > 0 ? e.Messages : [e.Error];
        }
    }

    private static JsonObject CheckView(JsonObject view, string expectedType)
    {
        var type = view["type"]?.ToString();
        if (type != expectedType)
            throw new SlackErrorException("invalid_arguments", $"[ERROR] view.type must be {expectedType} [json-pointer:/view/type]");
        if (view["blocks"] is not JsonArray)
            throw new SlackErrorException("invalid_arguments", "[ERROR] missing required field: blocks [json-pointer:/view]");
        ValidateBlocks(view["blocks"]!, MaxBlocksPerView, "invalid_arguments", "/view/blocks");
        if (type == "modal")
        {
            if (view["title"] is not JsonObject title || title["text"]?.ToString() is not { } titleText)
                throw new SlackErrorException("invalid_arguments", "[ERROR] missing required field: title [json-pointer:/view]");
            if (titleText.Length > MaxViewTitle)
                throw new SlackErrorException("invalid_arguments", $"[ERROR] must be less than {MaxViewTitle + 1} characters [json-pointer:/view/title/text]");
            foreach (var button in new[] { "submit", "close" })
                if (view[button]?["text"]?.ToString() is { Length: > MaxViewTitle })
                    throw new SlackErrorException("invalid_arguments", $"[ERROR] must be less than {MaxViewTitle + 1} characters [json-pointer:/view/{button}/text]");
            var hasInput = view["blocks"]!.AsArray().Any(b => b?["type"]?.ToString() == "input");
            if (hasInput && view["submit"] is null)
                throw new SlackErrorException("invalid_arguments", "[ERROR] submit is required when a view has input blocks [json-pointer:/view]");
        }
        if (view["private_metadata"]?.ToString() is { Length: > MaxPrivateMetadata })
            throw new SlackErrorException("invalid_arguments", $"[ERROR] must be less than {MaxPrivateMetadata + 1} characters [json-pointer:/view/private_metadata]");
        if (view["callback_id"]?.ToString() is { Length: > MaxCallbackId })
            throw new SlackErrorException("invalid_arguments", $"[ERROR] must be less than {MaxCallbackId + 1} characters [json-pointer:/view/callback_id]");
        return view;
    }

    /// <summary>What Slack does with the app's answer to a view_submission of <paramref name="viewId"/>: "update"
    /// replaces that view, "push" stacks a new one on it, "clear" closes the whole stack, "errors" keeps it open, and
    /// an empty answer closes it. A view in the answer is checked like views.update's: one Slack would refuse throws
    /// (the user would see Slack's "trouble connecting" error instead of the modal).</summary>
    /// <returns>False for a view the fake did not open (one a test made up): nothing to apply it to.</returns>
    public bool ApplyViewResponse(string viewId, JsonNode? body)
    {
        lock (_gate)
        {
            if (_views.GetValueOrDefault(viewId) is not { } view) return false;
            var action = body?["response_action"]?.ToString();
            switch (action)
            {
                case null:
                    view.Closed = true;
                    break;
                case "errors":
                    if (body!["errors"] is not JsonObject { Count: > 0 } errors)
                        throw new SlackErrorException("invalid_arguments", "[ERROR] response_action errors needs an errors object");
                    var inputs = (view.Definition["blocks"] as JsonArray ?? []).OfType<JsonObject>()
                        .Where(b => b["type"]?.ToString() == "input").Select(b => b["block_id"]?.ToString()).ToHashSet();
                    foreach (var (blockId, _) in errors)
                        if (!inputs.Contains(blockId))
                            throw new SlackErrorException("invalid_arguments", $"[ERROR] errors names block_id {blockId}, which is not an input block of the view");
                    break;
                case "update":
                    Replace(view, CheckView(body!["view"] as JsonObject ?? throw new SlackErrorException("invalid_arguments", "[ERROR] update needs a view"), "modal"));
                    break;
                case "push":
                    if (StackDepth(view) >= 3) throw new SlackErrorException("push_limit_reached");
                    NewView(CheckView(body!["view"] as JsonObject ?? throw new SlackErrorException("invalid_arguments", "[ERROR] push needs a view"), "modal"),
                        triggerId: null, userId: null, view);
                    break;
                case "clear":
                    foreach (var v in _views.Values.Where(v => (v.RootViewId ?? v.Id) == (view.RootViewId ?? view.Id))) v.Closed = true;
                    break;
                default:
                    throw new SlackErrorException("invalid_arguments", $"[ERROR] unknown response_action {action}");
            }
            return true;
        }
    }

    private int StackDepth(FakeView view)
    {
        var depth = 1;
        for (var v = view; v.PreviousViewId is { } previous && _views.TryGetValue(previous, out var p); v = p) depth++;
        return depth;
    }

    private FakeView NewView(JsonObject definition, string? triggerId, string? userId, FakeView? root)
    {
        var view = new FakeView
        {
            Id = NewId("V"), Type = definition["type"]!.ToString(), TriggerId = triggerId, UserId = userId,
            RootViewId = root?.RootViewId ?? root?.Id, PreviousViewId = root?.Id, Definition = definition,
            ExternalId = definition["external_id"]?.ToString(), Hash = NewHash(),
        };
        _views[view.Id] = view;
        return view;
    }

    private void Replace(FakeView view, JsonObject definition)
    {
        view.Definition = definition;
        view.ExternalId = definition["external_id"]?.ToString() ?? view.ExternalId;
        view.Hash = NewHash();
        view.Updates++;
    }

    private string NewHash() => $"{Now()}.{Guid.NewGuid():N}"[..20];

    private JsonObject ViewJson(FakeView v)
    {
        var d = v.Definition;
        return new JsonObject
        {
            ["id"] = v.Id,
            ["team_id"] = TeamId,
            ["type"] = v.Type,
            ["title"] = d["title"]?.DeepClone(),
            ["submit"] = d["submit"]?.DeepClone(),
            ["close"] = d["close"]?.DeepClone(),
            ["blocks"] = d["blocks"]?.DeepClone(),
            ["private_metadata"] = d["private_metadata"]?.ToString() ?? "",
            ["callback_id"] = d["callback_id"]?.ToString() ?? "",
            ["external_id"] = v.ExternalId ?? "",
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["hash"] = v.Hash,
            ["clear_on_close"] = d["clear_on_close"]?.DeepClone() ?? false,
            ["notify_on_close"] = d["notify_on_close"]?.DeepClone() ?? false,
            ["root_view_id"] = v.RootViewId ?? v.Id,
            ["previous_view_id"] = v.PreviousViewId,
            ["app_id"] = AppId,
            ["app_installed_team_id"] = TeamId,
            ["bot_id"] = BotId,
        };
    }
}
