using System.Text.Json.Nodes;
using Bot.ActionItems;
using Bot.Documents;
using Bot.Incidents;
using Bot.Postmortems;
using Bot.Slack.Testing;
using Bot.Timeline;
using Bot.Tests.Infrastructure;
using static Bot.Tests.Access.AccessWorld;

namespace Bot.Tests.Access;

/// <summary>Every command, button, modal and shortcut, tried by every kind of person (docs/reliability.md, "Who may do
/// what"): allowed, the effect happens (a row in PostgreSQL, a Slack call in the fake); refused, the person alone is
/// told who can (an ephemeral reply, a response_url post, a modal field error) and nothing of the incident changed.</summary>
public sealed class AccessTableTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    public enum Rule { Anyone, Responders, PointPerson, ItemOwner, Reporter }

    /// <summary>Where a refusal shows.</summary>
    public enum Shown { Reply, ResponseUrl, FieldError, ModalUpdate }

    private sealed record Surface(Rule Rule, State State, Shown Shown, string Doing,
        Func<AccessWorld, Case, string, Task<AppReply>> Act,
        Func<AccessWorld, Case, string, AppReply, Task> Effect)
    {
        /// <summary>What the row's incident needs beyond <see cref="AccessWorld.NewCase"/> (before the snapshot).</summary>
        public Func<AccessWorld, Case, Task>? Setup { get; init; }
    }

    private static readonly string Editable = SectionKeys.Editable.First(k => k != SectionKeys.Summary);
    private static readonly DateTimeOffset NextWeek = new(DateTime.UtcNow.Date.AddDays(7).AddHours(10), TimeSpan.Zero);
    private static string Day(DateTimeOffset t) => t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Surface Incident(string text, Rule rule, string doing, Func<AccessWorld, Case, string, AppReply, Task> effect, State state = State.Open) =>
        new(rule, state, Shown.Reply, doing, (w, c, u) => w.Command("/incident", text.Replace("{seq}", c.Seq.ToString()), u, c.ChannelId), effect);

    private static Surface Postmortem(string text, Rule rule, string doing, Func<AccessWorld, Case, string, AppReply, Task> effect,
        Func<AccessWorld, Case, Task>? setup = null) =>
        new(rule, State.Open, Shown.Reply, doing, (w, c, u) => w.Command("/postmortem", text, u, c.ChannelId), effect) { Setup = setup };

    private static Func<AccessWorld, Case, string, AppReply, Task> Sql(string condition, string what) =>
        (w, c, u, _) => w.Eventually($"select {condition}", new { c.Id, user = u, c.ItemId, c.Seq, Member }, what);

    private static Func<AccessWorld, Case, string, AppReply, Task> Says(string text) => (_, _, _, r) =>
    {
        Assert.Equal(200, r.HttpStatus);
        Assert.Contains(text, r.Body?["text"]?.ToString() ?? "");
        return Task.CompletedTask;
    };

    private static readonly Func<AccessWorld, Case, string, AppReply, Task> OpensModal = (w, _, _, r) => w.OpenedModal(r);

    private static string Ref(Case c) => $"{c.ItemId}:1";

    private static Task Meeting(AccessWorld w, Case c) => w.Scalar<int>("""
        insert into postmortem_meetings (incident_id, uid, version, starts_at, duration_minutes, scheduled_by, updated_at)
        values (@Id, @uid, 1, now() + interval '5 days', 30, @PointPerson, now()) returning 1
        """, new { c.Id, uid = $"access-{c.Seq}@bot", PointPerson });

    private static readonly Dictionary<string, Surface> Surfaces = new()
    {
        // /incident
        ["/incident help"] = Incident("help", Rule.Anyone, "", Says("/incident")),
        ["/incident new"] = new(Rule.Anyone, State.Open, Shown.Reply, "", (w, c, u) => w.Command("/incident", $"new Access new {c.Seq}", u, null),
            Sql("exists (select 1 from incidents where title = 'Access new ' || @Seq)", "the new incident")),
        ["/incident note"] = Incident("note The cache is cold", Rule.Anyone, "", Sql("exists (select 1 from timeline_entries where incident_id = @Id and kind = 'note' and user_id = @user)", "the note")),
        ["/incident link"] = Incident("link Logs https://logs.example.com/{seq}", Rule.Anyone, "", Sql("exists (select 1 from incident_links where incident_id = @Id)", "the link")),
        ["/incident timeline"] = Incident("timeline", Rule.Anyone, "", (_, _, _, r) =>
        {
            Assert.Equal("ephemeral", r.Body?["response_type"]?.ToString());
            Assert.NotNull(r.Body?["blocks"]);
            return Task.CompletedTask;
        }),
        ["/incident status"] = Incident("status monitoring", Rule.Responders, "change the status of this incident",
            Sql("(select status = 'monitoring' from incidents where id = @Id)", "the status")),
        ["/incident severity"] = Incident("severity sev1", Rule.Responders, "change the severity of this incident",
            Sql("(select severity = 'sev1' from incidents where id = @Id)", "the severity")),
        ["/incident commander"] = Incident($"commander <@{Member}>", Rule.Responders, "hand over command of this incident",
            Sql("(select commander_id = @Member from incidents where id = @Id)", "the new commander")),
        ["/incident role"] = Incident($"role scribe <@{Member}>", Rule.Responders, "assign roles in this incident",
            Sql("exists (select 1 from incident_roles where incident_id = @Id and role = 'scribe' and user_id = @Member)", "the role")),
        ["/incident resolve"] = Incident("resolve Failover", Rule.Responders, "resolve this incident",
            Sql("(select resolved_at is not null from incidents where id = @Id)", "the resolution")),
        ["/incident reopen"] = Incident("reopen Still failing", Rule.Responders, "reopen this incident",
            Sql("(select resolved_at is null from incidents where id = @Id)", "the reopening"), State.Resolved),

        // /postmortem
        ["/postmortem help"] = Postmortem("help", Rule.Anyone, "", Says("Post-mortem commands")),
        ["/postmortem schedule"] = Postmortem($"schedule {Day(NextWeek)} 10:00", Rule.Responders, "schedule the post-mortem meeting",
            Sql("exists (select 1 from postmortem_meetings where incident_id = @Id and starts_at is not null)", "the meeting")),
        ["/postmortem reschedule"] = Postmortem($"reschedule {Day(NextWeek.AddDays(1))} 11:00", Rule.Responders, "move the post-mortem meeting",
            Sql("exists (select 1 from postmortem_meetings where incident_id = @Id and version > 1)", "the move"), Meeting),
        ["/postmortem cancel"] = Postmortem("cancel", Rule.Responders, "cancel the post-mortem meeting",
            Sql("exists (select 1 from postmortem_meetings where incident_id = @Id and cancelled_at is not null)", "the cancellation"), Meeting),
        ["/postmortem invite"] = Postmortem($"invite <@{Member}>", Rule.Responders, "change who is invited to the post-mortem",
            Sql("exists (select 1 from postmortem_attendees where incident_id = @Id and user_id = @Member)", "the invitation")),
        ["/postmortem uninvite"] = Postmortem($"uninvite <@{Member}>", Rule.Responders, "change who is invited to the post-mortem",
            Sql("not exists (select 1 from postmortem_attendees where incident_id = @Id)", "the uninvitation"),
            (w, c) => w.Scalar<int>("insert into postmortem_attendees (incident_id, user_id, added_at) values (@Id, @Member, now()) returning 1", new { c.Id, Member })),
        ["/postmortem attendees"] = Postmortem("attendees", Rule.Anyone, "", Says("Post-mortem attendees")),
        ["/postmortem moderator"] = Postmortem($"moderator <@{Member}>", Rule.Responders, "name the post-mortem's moderator or notetaker",
            Sql("exists (select 1 from postmortem_meetings where incident_id = @Id and moderator_id = @Member)", "the moderator")),
        ["/postmortem notetaker"] = Postmortem($"notetaker <@{Member}>", Rule.Responders, "name the post-mortem's moderator or notetaker",
            Sql("exists (select 1 from postmortem_meetings where incident_id = @Id and notetaker_id = @Member)", "the notetaker")),
        ["/postmortem preview"] = Postmortem("preview", Rule.Anyone, "", Sql("exists (select 1 from document_uploads where incident_id = @Id and user_id = @user)", "the preview upload")),
        ["/postmortem edit"] = Postmortem("edit", Rule.PointPerson, "edit the post-mortem", OpensModal),
        ["/postmortem question"] = Postmortem("question Who paged?", Rule.Anyone, "",
            Sql("exists (select 1 from postmortem_questions where incident_id = @Id and asked_by = @user and number = 2)", "the question")),
        ["/postmortem questions"] = Postmortem("questions", Rule.Anyone, "", Says("1 of 1 unanswered")),
        ["/postmortem answer"] = Postmortem("answer 1 The rotation was empty", Rule.Anyone, "",
            Sql("exists (select 1 from postmortem_questions where incident_id = @Id and number = 1 and answered_by = @user)", "the answer")),
        ["/postmortem publish"] = Postmortem("publish", Rule.PointPerson, "publish this post-mortem", Says("not ready to publish")),
        ["/postmortem publish --force"] = Postmortem("publish --force", Rule.PointPerson, "publish this post-mortem past the readiness check",
            Sql("exists (select 1 from postmortem_publications where incident_id = @Id and published_by = @user)", "the publication")),
        ["/postmortem action"] = Postmortem($"action Page the right rotation <@{Member}>", Rule.Anyone, "",
            Sql("exists (select 1 from action_items where incident_id = @Id and created_by = @user)", "the action item")),
        ["/postmortem actions"] = Postmortem("actions", Rule.Anyone, "", Says("Action items of incident")),
        ["/postmortem actions mine"] = Postmortem("actions mine", Rule.Anyone, "", Says("open action items")),

        // The prep DM's buttons and the pick-a-time modal
        ["Schedule this"] = new(Rule.Responders, State.Open, Shown.ResponseUrl, "schedule the post-mortem meeting",
            (w, c, u) => w.Click(u, null, DraftPostmortemJob.ScheduleProposedAction, $"{c.Id}:{NextWeek.ToUnixTimeSeconds()}"),
            Sql("exists (select 1 from postmortem_meetings where incident_id = @Id and starts_at is not null)", "the meeting")),
        ["Pick another time"] = new(Rule.Responders, State.Open, Shown.ResponseUrl, "schedule the post-mortem meeting",
            (w, c, u) => w.Click(u, null, DraftPostmortemJob.PickTimeAction, $"{c.Id}"), OpensModal),
        ["Pick-a-time modal"] = new(Rule.Responders, State.Open, Shown.FieldError, "schedule the post-mortem meeting",
            (w, c, u) => w.Driver.ViewSubmission(u, Modal(PickTimeModal.CallbackId, $"{c.Id}:0", c.Seq), new JsonObject
            {
                ["date"] = new JsonObject { ["date"] = new JsonObject { ["type"] = "datepicker", ["selected_date"] = Day(NextWeek) } },
                ["time"] = new JsonObject { ["time"] = new JsonObject { ["type"] = "timepicker", ["selected_time"] = "10:00" } },
                ["length"] = new JsonObject { ["length"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "30" } },
            }),
            Sql("exists (select 1 from postmortem_meetings where incident_id = @Id and starts_at is not null)", "the meeting")),

        // Editing the document
        ["Edit picker: choosing a section"] = new(Rule.PointPerson, State.Open, Shown.ModalUpdate, "edit the post-mortem",
            (w, c, u) => w.Driver.BlockActionInView(u, Modal(EditPickerModal.CallbackId, $"{c.Id}", c.Seq), EditPickerModal.SelectAction, new JsonObject
            {
                ["type"] = "static_select", ["block_id"] = "section",
                ["selected_option"] = new JsonObject { ["value"] = Editable, ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "x" } },
            }),
            (w, c, _, _) => Poll.Until(() => Task.FromResult(UpdatesOf(w, c).Any(v => v["callback_id"]?.ToString() == EditSectionModal.CallbackId)),
                ok => ok, TimeSpan.FromSeconds(20), "the section's modal")),
        ["Edit picker: Next"] = new(Rule.PointPerson, State.Open, Shown.FieldError, "edit the post-mortem",
            (w, c, u) => w.Driver.ViewSubmission(u, Modal(EditPickerModal.CallbackId, $"{c.Id}", c.Seq), new JsonObject
            {
                ["section"] = new JsonObject { [EditPickerModal.SelectAction] = new JsonObject
                {
                    ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = Editable },
                } },
            }),
            (_, _, _, r) =>
            {
                Assert.Equal("update", r.Body?["response_action"]?.ToString());
                Assert.Equal(EditSectionModal.CallbackId, r.Body?["view"]?["callback_id"]?.ToString());
                return Task.CompletedTask;
            }),
        ["Edit section modal"] = new(Rule.PointPerson, State.Open, Shown.FieldError, "edit the post-mortem",
            (w, c, u) => w.Driver.ViewSubmission(u, Modal(EditSectionModal.CallbackId, $"{c.Id}|{Editable}|0|n|0", c.Seq), new JsonObject
            {
                ["text_0"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Checkout returned 502 for 20 minutes." } },
            }),
            Sql("exists (select 1 from postmortem_section_edits where incident_id = @Id and edited_by = @user)", "the edit")),

        // Questions
        ["Answer button"] = new(Rule.Anyone, State.Open, Shown.ResponseUrl, "",
            (w, c, u) => w.Click(u, c.ChannelId, AnswerQuestionButton.ActionId, AnswerQuestionButton.Value(c.Id, 1)), OpensModal),
        ["Answer modal"] = new(Rule.Anyone, State.Open, Shown.FieldError, "",
            (w, c, u) => w.Driver.ViewSubmission(u, Modal(AnswerQuestionModal.CallbackId, AnswerQuestionButton.Value(c.Id, 1), c.Seq), new JsonObject
            {
                ["answer"] = new JsonObject { ["answer"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "The rotation was empty." } },
            }),
            Sql("exists (select 1 from postmortem_questions where incident_id = @Id and number = 1 and answered_by = @user)", "the answer")),

        // Action items
        ["Done"] = Item(ActionItemBlocks.Done, Sql("(select status = 'done' from action_items where id = @ItemId)", "done")),
        ["Snooze 1 day"] = Item(ActionItemBlocks.SnoozeDay, Sql("(select snoozed_until is not null from action_items where id = @ItemId)", "the snooze")),
        ["Snooze 1 week"] = Item(ActionItemBlocks.SnoozeWeek, Sql("(select snoozed_until > now() + interval '5 days' from action_items where id = @ItemId)", "the snooze")),
        ["Won't do"] = Item(ActionItemBlocks.WontDo, OpensModal),
        ["Edit (item)"] = Item(ActionItemBlocks.Edit, OpensModal),
        ["Create issue"] = Item(ActionItemBlocks.CreateIssue, Sql("(select issue_url is not null from action_items where id = @ItemId)", "the issue")),
        ["Reassign"] = new(Rule.ItemOwner, State.Open, Shown.ResponseUrl, "",
            (w, c, u) => w.Click(u, c.ChannelId, ActionItemBlocks.Reassign, null, blockId: $"action_item:{Ref(c)}", selectedUser: Member),
            Sql("(select owner_id = @Member from action_items where id = @ItemId)", "the reassignment")),
        ["Won't do modal"] = new(Rule.ItemOwner, State.Open, Shown.FieldError, "",
            (w, c, u) => w.Driver.ViewSubmission(u, Modal(ActionItemWontDoModal.CallbackId, Ref(c), c.Seq), new JsonObject
            {
                ["reason"] = new JsonObject { ["reason"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "The canary is covered by the synthetic check." } },
            }),
            Sql("(select status = 'dropped' from action_items where id = @ItemId)", "the drop")),
        ["Edit (item) modal"] = new(Rule.ItemOwner, State.Open, Shown.FieldError, "",
            (w, c, u) => w.Driver.ViewSubmission(u, Modal(ActionItemEditModal.CallbackId, Ref(c), c.Seq), new JsonObject
            {
                ["text"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Add two canaries" } },
                ["owner"] = new JsonObject { ["owner"] = new JsonObject { ["type"] = "users_select", ["selected_user"] = Owner } },
            }),
            Sql("(select text = 'Add two canaries' from action_items where id = @ItemId)", "the edit")),

        // The channel that could not be opened
        ["Retry (channel)"] = new(Rule.Reporter, State.ChannelFailed, Shown.ResponseUrl, "retry or cancel this incident's channel",
            (w, c, u) => w.Click(u, null, ChannelFailedMessage.RetryAction, $"{c.Id}"),
            Sql("(select channel_failed_at is null from incidents where id = @Id)", "the retry")),
        ["Cancel (channel)"] = new(Rule.Reporter, State.ChannelFailed, Shown.ResponseUrl, "retry or cancel this incident's channel",
            (w, c, u) => w.Click(u, null, ChannelFailedMessage.CancelAction, $"{c.Id}"),
            Sql("(select status = 'cancelled' from incidents where id = @Id)", "the cancellation")),

        // Reading, and adding from elsewhere
        ["Timeline Later"] = new(Rule.Anyone, State.Open, Shown.ResponseUrl, "",
            (w, c, u) => w.Click(u, c.ChannelId, TimelineView.NextAction, $"{c.Id}:1"),
            (w, _, _, r) => w.Slack.WaitForResponse(r.ResponseUrl!)),
        ["Add to incident (shortcut)"] = new(Rule.Anyone, State.Open, Shown.ResponseUrl, "", async (w, c, u) =>
            {
                // The workspace's only open incident: the shortcut adds to it at once.
                await w.Scalar<int>("update incidents set resolved_at = now() where team_id = @team and id <> @Id and resolved_at is null returning 1",
                    new { team = BotApp.DefaultTeamId, c.Id });
                var message = w.Slack.AddMessage(w.General.Id, Member, $"Seen 502s from the edge {c.Seq}");
                return await w.Driver.MessageShortcut(AddToIncidentShortcut.CallbackId, u, message);
            },
            Sql("exists (select 1 from timeline_entries where incident_id = @Id and kind = 'detail')", "the detail")),
        ["Add to incident (picker)"] = new(Rule.Anyone, State.Open, Shown.FieldError, "", async (w, c, u) =>
            {
                var draft = Guid.NewGuid();
                await w.Scalar<int>("""
                    insert into shortcut_drafts (id, team_id, user_id, channel_id, message_ts, text, created_at)
                    values (@draft, @team, @u, @channel, @ts, 'Seen 502s', now()) returning 1
                    """, new { draft, team = BotApp.DefaultTeamId, u, channel = w.General.Id, ts = $"1700000000.{c.Seq:D6}" });
                return await w.Driver.ViewSubmission(u, Modal(AddToIncidentModal.CallbackId, draft.ToString("N"), c.Seq), new JsonObject
                {
                    ["incident"] = new JsonObject { ["incident"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = $"{c.Id}" } } },
                });
            },
            Sql("exists (select 1 from timeline_entries where incident_id = @Id and kind = 'detail')", "the detail")),
        ["New incident modal"] = new(Rule.Anyone, State.Open, Shown.FieldError, "",
            (w, c, u) => w.Driver.ViewSubmission(u, Modal(NewIncidentModal.CallbackId, "", c.Seq), new JsonObject
            {
                ["title"] = new JsonObject { ["title"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = $"Access modal {c.Seq}" } },
            }),
            Sql("exists (select 1 from incidents where title = 'Access modal ' || @Seq)", "the new incident")),
    };

    private static Surface Item(string actionId, Func<AccessWorld, Case, string, AppReply, Task> effect) =>
        new(Rule.ItemOwner, State.Open, Shown.ResponseUrl, "", (w, c, u) => w.Click(u, c.ChannelId, actionId, Ref(c)), effect);

    private static IEnumerable<JsonObject> UpdatesOf(AccessWorld w, Case c) =>
        w.Slack.CallsTo("views.update").Where(x => x.Arg("view_id") == Modal("", "", c.Seq).Id).Select(x => x.JsonArg("view")).OfType<JsonObject>();

    public static TheoryData<string, Kind> Rows()
    {
        var rows = new TheoryData<string, Kind>();
        foreach (var surface in Surfaces.Keys)
            foreach (var kind in Enum.GetValues<Kind>())
                rows.Add(surface, kind);
        return rows;
    }

    private static bool Allowed(Rule rule, Kind kind) => kind == Kind.Admin || rule switch
    {
        Rule.Anyone => true,
        Rule.Responders => kind is Kind.Commander or Kind.PointPerson or Kind.RoleHolder,
        Rule.PointPerson => kind is Kind.PointPerson,
        Rule.ItemOwner => kind is Kind.ItemOwner or Kind.PointPerson,
        Rule.Reporter => kind is Kind.PointPerson or Kind.Commander, // ana reported it; bo commands it
        _ => false,
    };

    /// <summary>The refusal, written out here rather than taken from the code, so a change of wording is a decision.</summary>
    private static string Refusal(Surface s) => s.Rule switch
    {
        Rule.Responders => $"Sorry, only the commander (<@{AccessWorld.Commander}>), the point person (<@{PointPerson}>), a role holder (<@{RoleHolder}> comms) " +
                           $"or an admin (<@{Admin}>) can {s.Doing}. Ask one of them.",
        Rule.PointPerson => $"Sorry, only the point person (<@{PointPerson}>) or an admin (<@{Admin}>) can {s.Doing}. Ask one of them.",
        Rule.Reporter => $"Sorry, only the reporter (<@{PointPerson}>), the commander (<@{AccessWorld.Commander}>) or an admin (<@{Admin}>) can {s.Doing}. Ask one of them.",
        Rule.ItemOwner => $"Sorry, only the item's owner (<@{Owner}>), the post-mortem's point person (<@{PointPerson}>) or an admin (<@{Admin}>) can change it.",
        _ => throw new InvalidOperationException("Anyone's surfaces refuse nobody"),
    };

    /// <summary>A modal's field error is plain text: the same words with names.</summary>
    private static string Plain(string text) => Names.Aggregate(text, (t, n) => t.Replace($"<@{n.Key}>", "@" + n.Value, StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Surface_DoesItsWork_ForWhoMay_AndTellsEveryoneElseWhoCan(string name, Kind kind)
    {
        var surface = Surfaces[name];
        var user = AccessWorld.User(kind);
        var c = await world.NewCase(surface.State);
        if (surface.Setup is not null) await surface.Setup(world, c);
        var before = await world.Snapshot(c.Id);

        var reply = await surface.Act(world, c, user);
        Assert.Equal(200, reply.HttpStatus);

        if (Allowed(surface.Rule, kind))
        {
            if (reply.Body?["text"]?.ToString() is { } text) Assert.DoesNotContain("Sorry, only", text);
            await surface.Effect(world, c, user, reply);
            return;
        }

        var refusal = Refusal(surface);
        switch (surface.Shown)
        {
            case Shown.Reply:
                Assert.Equal("ephemeral", reply.Body?["response_type"]?.ToString());
                Assert.StartsWith(refusal, reply.Body?["text"]?.ToString());
                Assert.DoesNotContain(world.Slack.CallsTo("views.open"), x => x.Arg("trigger_id") == reply.TriggerId);
                break;
            case Shown.ResponseUrl:
                var told = await world.Slack.WaitForResponse(reply.ResponseUrl!, r => r.Body?["text"]?.ToString().StartsWith(refusal, StringComparison.Ordinal) == true);
                Assert.Equal("ephemeral", told.Body?["response_type"]?.ToString());
                Assert.NotEqual(true, told.Body?["replace_original"]?.GetValue<bool>());
                Assert.DoesNotContain(world.Slack.CallsTo("views.open"), x => x.Arg("trigger_id") == reply.TriggerId);
                break;
            case Shown.FieldError:
                Assert.Equal("errors", reply.Body?["response_action"]?.ToString());
                var errors = reply.Body!["errors"]!.AsObject().Select(e => e.Value!.ToString()).ToList();
                Assert.Contains(errors, e => e.StartsWith(Plain(refusal), StringComparison.Ordinal));
                break;
            case Shown.ModalUpdate:
                var shown = await Poll.Until(() => Task.FromResult(UpdatesOf(world, c).ToList()), l => l.Count > 0, TimeSpan.FromSeconds(20), "the modal's update");
                Assert.Null(shown[0]["callback_id"]);
                Assert.StartsWith(refusal, shown[0]["blocks"]![0]!["text"]!["text"]!.ToString());
                break;
        }
        Assert.Equal(before, await world.Snapshot(c.Id));
    }
}
