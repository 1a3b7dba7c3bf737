using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Bot.Tests.ActionItems;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bot.Tests.Access;

/// <summary>The kinds of people a surface is tried by.</summary>
public enum Kind { Commander, PointPerson, RoleHolder, ItemOwner, Admin, Member, Outsider }

/// <summary>One row's own incident: made with SQL (fast: every row gets one), used through the real HTTP path.</summary>
public sealed record Case(long Id, string? ChannelId, long ItemId, int Number, int Seq);

/// <summary>One bot (Bot:Access:Admins = the admin, GitHub issues on a fake GitHub) against one fake Slack and one
/// database for the whole table; the people: a commander (bo) who took over from the point person (ana), a comms role
/// holder (cy), an action item owner (di), an admin (ed), a channel member (flo) and someone outside (gus).</summary>
public sealed class AccessWorld : IAsyncLifetime
{
    public const string Commander = "U0CMD";
    public const string PointPerson = "U0PPL"; // also the reporter
    public const string RoleHolder = "U0ROL"; // comms
    public const string Owner = "U0OWN";
    public const string Admin = "U0ADM";
    public const string Member = "U0MEM";
    public const string Outsider = "U0OUT";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Commander] = "bo", [PointPerson] = "ana", [RoleHolder] = "cy", [Owner] = "di", [Admin] = "ed", [Member] = "flo", [Outsider] = "gus",
    };

    public static string User(Kind kind) => kind switch
    {
        Kind.Commander => Commander, Kind.PointPerson => PointPerson, Kind.RoleHolder => RoleHolder, Kind.ItemOwner => Owner,
        Kind.Admin => Admin, Kind.Member => Member, _ => Outsider,
    };

    public FakeSlack Slack { get; private set; } = null!;
    public FakeGitHub GitHub { get; private set; } = null!;
    public BotApp App { get; private set; } = null!;
    public SlackAppDriver Driver { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public FakeChannel General { get; private set; } = null!;
    private int _seq;

    public async Task InitializeAsync()
    {
        Slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = BotApp.BotToken, TeamId = BotApp.DefaultTeamId, BotScopes = ManifestScopes.Bot });
        foreach (var (id, name) in Names) Slack.AddUser(id, name, $"{name} Real", name);
        General = Slack.AddChannel("general", members: [.. Names.Keys]);
        GitHub = await FakeGitHub.StartAsync("ghp_access");
        ConnectionString = await PostgresServer.Instance.CreateDatabase("access");
        App = await BotApp.Start(ConnectionString, Slack.ApiUrl, new Dictionary<string, string?>
        {
            ["Bot:Access:Admins:0"] = Admin,
            ["Bot:ActionItems:GitHub:Repository"] = "acme/ops",
            ["Bot:ActionItems:GitHub:Token"] = GitHub.Token,
            ["Bot:ActionItems:GitHub:ApiUrl"] = GitHub.Url,
            ["Bot:ActionItems:RunCron"] = ActionItemsWorld.NeverCron,
        }, b => b.Services.Configure<SlackWebApiOptions>(o => o.RateLimit = false));
        Driver = Slack.OverHttp(App.BaseAddress.ToString(), BotApp.SigningSecret, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await GitHub.DisposeAsync();
        await Slack.DisposeAsync();
    }

    public enum State { Open, Resolved, ChannelFailed }

    /// <summary>An incident of its own, as it is after a handover: ana reported it and resolved it (so she is the
    /// post-mortem's point person), reopened it and handed command to bo; cy is comms, di owns an action item,
    /// flo asked question 1. Everyone but gus is in its channel.</summary>
    public async Task<Case> NewCase(State state)
    {
        var seq = Interlocked.Increment(ref _seq);
        var channel = state == State.ChannelFailed ? null
            : Slack.AddChannel($"inc-access-{seq}", members: [Commander, PointPerson, RoleHolder, Owner, Admin, Member]).Id;
        await using var c = await Open();
        var id = await c.ExecuteScalarAsync<long>("""
            insert into incidents (team_id, number, title, status, commander_id, reporter_id, channel_name, created_at, resolved_at,
                                   channel_id, channel_created_name, reporter_invited_at, topic_set_at, kickoff_ts, kickoff_pinned_at,
                                   announced_at, reporter_told_at, channel_failed_at, channel_error)
            values (@team, @number, @title, case when @resolved then 'resolved' else 'investigating' end, @Commander, @PointPerson,
                    @name, now() - interval '3 hours', case when @resolved then now() - interval '1 hour' end,
                    @channel, @name, now(), now(), case when @failed then null else '1.000001' end, now(),
                    now(), now(), case when @failed then now() end, case when @failed then 'restricted_action' end)
            returning id
            """, new
        {
            team = BotApp.DefaultTeamId, number = 10_000 + seq, title = $"Access {seq}", resolved = state == State.Resolved,
            failed = state == State.ChannelFailed, Commander, PointPerson, name = $"inc-access-{seq}", channel,
        });
        await c.ExecuteAsync("""
            insert into incident_members (incident_id, user_id, is_member, changed_at) values (@id, @PointPerson, true, now());
            insert into timeline_entries (incident_id, kind, user_id, text, occurred_at) values (@id, 'opened', @PointPerson, 'Access', now() - interval '3 hours');
            insert into incident_roles (incident_id, role, user_id, assigned_by, assigned_at) values (@id, 'comms', @RoleHolder, @PointPerson, now());
            """, new { id, PointPerson, RoleHolder });
        long item = 0;
        if (state != State.ChannelFailed)
        {
            await c.ExecuteAsync("""
                insert into postmortems (incident_id, resolved_at, summary, point_person_id) values (@id, now() - interval '1 hour', 'Failover', @PointPerson);
                insert into postmortem_questions (incident_id, number, text, asked_by, asked_at) values (@id, 1, 'Why did the pager not fire?', @Member, now());
                """, new { id, PointPerson, Member });
            item = await c.ExecuteScalarAsync<long>("""
                insert into action_items (incident_id, text, owner_id, created_by, created_at, updated_by, updated_at)
                values (@id, 'Add a canary', @Owner, @PointPerson, now(), @PointPerson, now()) returning id
                """, new { id, Owner, PointPerson });
        }
        return new Case(id, channel, item, 10_000 + seq, seq);
    }

    /// <summary>Everything the bot keeps about the incident, as one value: equal before and after means nothing changed.</summary>
    public async Task<string> Snapshot(long id)
    {
        await using var c = await Open();
        return await c.ExecuteScalarAsync<string>("""
            select coalesce(string_agg(t, E'\n' order by t), '') from (
                select row_to_json(x)::text as t from incidents x where id = @id
                union all select row_to_json(x)::text from incident_roles x where incident_id = @id
                union all select row_to_json(x)::text from incident_links x where incident_id = @id
                union all select row_to_json(x)::text from timeline_entries x where incident_id = @id
                union all select row_to_json(x)::text from postmortems x where incident_id = @id
                union all select row_to_json(x)::text from postmortem_meetings x where incident_id = @id
                union all select row_to_json(x)::text from postmortem_attendees x where incident_id = @id
                union all select row_to_json(x)::text from postmortem_section_edits x where incident_id = @id
                union all select row_to_json(x)::text from postmortem_questions x where incident_id = @id
                union all select row_to_json(x)::text from postmortem_question_answers x where incident_id = @id
                union all select row_to_json(x)::text from postmortem_publications x where incident_id = @id
                union all select row_to_json(x)::text from document_uploads x where incident_id = @id
                union all select row_to_json(x)::text from action_items x where incident_id = @id
            ) rows
            """, new { id }) ?? "";
    }

    public async Task<NpgsqlConnection> Open()
    {
        var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        return c;
    }

    public async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await Open();
        return (await c.ExecuteScalarAsync<T>(sql, args))!;
    }

    public Task Eventually(string sql, object args, string what) =>
        Poll.Until(() => Scalar<bool>(sql, args), ok => ok, TimeSpan.FromSeconds(20), what);

    /// <summary>A click on a button (or a users_select) of a message in <paramref name="channelId"/>.</summary>
    public Task<AppReply> Click(string user, string? channelId, string actionId, string? value, string blockId = "b", string? selectedUser = null)
    {
        var channel = channelId ?? General.Id;
        var action = new JsonObject
        {
            ["type"] = selectedUser is null ? "button" : "users_select", ["action_id"] = actionId, ["block_id"] = blockId,
            ["action_ts"] = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.000001",
        };
        if (value is not null) action["value"] = value;
        if (selectedUser is not null) action["selected_user"] = selectedUser;
        return Driver.Interaction(new JsonObject
        {
            ["type"] = "block_actions",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1.000002", ["channel_id"] = channel, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = channel, ["name"] = Slack.Channel(channel)?.Name ?? "directmessage" },
            ["actions"] = new JsonArray(action),
        }, user);
    }

    /// <summary>A modal as the bot builds it (callback and metadata), for a submission from whoever holds it.</summary>
    public static FakeView Modal(string callbackId, string metadata, int seq) => new()
    {
        Id = $"VACCESS{seq:D5}", Type = "modal",
        Definition = new JsonObject
        {
            ["type"] = "modal", ["callback_id"] = callbackId, ["private_metadata"] = metadata,
            ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Test" }, ["blocks"] = new JsonArray(),
        },
    };

    public Task<AppReply> Command(string command, string text, string user, string? channelId) =>
        Driver.SlashCommand(command, text, user, channelId ?? General.Id);

    /// <summary>Waits until the bot opened a modal with that trigger.</summary>
    public Task OpenedModal(AppReply reply) =>
        Poll.Until(() => Task.FromResult(Slack.CallsTo("views.open").Any(c => c.Ok && c.Arg("trigger_id") == reply.TriggerId)), ok => ok,
            TimeSpan.FromSeconds(20), "views.open with the click's trigger");
}
