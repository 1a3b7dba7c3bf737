using Bot.Access;
using Bot.ActionItems;
using Bot.Documents;
using Bot.History;
using Bot.Home;
using Bot.Incidents;
using Bot.People;
using Bot.Postmortems;
using Bot.Publishing;
using Bot.Rendering;
using Bot.Stats;
using Bot.Timeline;
using Bot.Workspace;

namespace Bot.Hosting;

/// <summary>Where the app's features plug in: each adds its services (handlers, jobs, options with
/// services.AddBotOptions&lt;T&gt;(configuration, "Name")) and maps what it needs.</summary>
internal static class Features
{
    public static void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddAccess(builder.Configuration);
        builder.Services.AddIncidents(builder.Configuration);
        builder.Services.AddTimeline(builder.Configuration);
        builder.Services.AddBackfill();
        builder.Services.AddPeople();
        builder.Services.AddPostmortems(builder.Configuration);
        builder.Services.AddDocuments();
        builder.Services.AddPublishing(builder.Configuration);
        builder.Services.AddRendering(builder.Configuration);
        builder.Services.AddActionItems(builder.Configuration);
        builder.Services.AddHome();
        builder.Services.AddStats();
        builder.Services.AddWorkspace();
    }

    public static void Map(WebApplication app)
    {
    }
}
