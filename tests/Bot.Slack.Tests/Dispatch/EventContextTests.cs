using Bot.Slack.Events;
using Bot.Slack.Handlers;

namespace Bot.Slack.Tests.Dispatch;

public class EventContextTests
{
    private static readonly EventCallback Callback = new()
    {
        Type = "event_callback", EventId = "Ev1", TeamId = "T1", ApiAppId = "A1", EventTime = 42,
        Event = new MessageEvent { Type = "message" },
    };

    [Theory]
    [InlineData(SlackTransport.SocketMode)]
    [InlineData(SlackTransport.Http)]
    public void For_FirstDelivery_HasNoRetryInfo_WhateverTheTransportSent(SlackTransport transport)
    {
        var context = EventContext.For(Callback, 0, "", transport);

        Assert.Equal((null, null), (context.RetryNum, context.RetryReason));
        Assert.Equal(("Ev1", "T1", "A1", 42L, transport), (context.EventId, context.TeamId, context.ApiAppId, context.EventTime, context.Transport));
        Assert.Same(Callback, context.Envelope);
    }

    [Fact]
    public void For_Redelivery_KeepsRetryNumberAndReason()
    {
        var context = EventContext.For(Callback, 2, "http_timeout", SlackTransport.Http);

        Assert.Equal((2, "http_timeout"), (context.RetryNum, context.RetryReason));
    }
}
