namespace Bot.Slack.Testing;

/// <summary>How an injected failure answers (<see cref="FakeSlack.FailNext"/>).</summary>
public abstract record Failure
{
    /// <summary>HTTP 429 with Retry-After and {"ok":false,"error":"ratelimited"}, as Slack rate-limits.</summary>
    public static Failure RateLimited(int retryAfterSeconds = 1) => new RateLimitedFailure(retryAfterSeconds);

    /// <summary>HTTP 200 with {"ok":false,"error":error}.</summary>
    public static Failure Error(string error) => new ErrorFailure(error);

    /// <summary>A bare HTTP error status (500 by default) with a non-JSON body, as a proxy in front of Slack sends.</summary>
    public static Failure ServerError(int status = 500) => new ServerErrorFailure(status);

    /// <summary>The call waits this long, then is answered normally.</summary>
    public static Failure Delay(TimeSpan delay) => new DelayFailure(delay);

    /// <summary>Slack performs the call (the channel is created, the message posted) and the answer is lost on the way
    /// back: <paramref name="answer"/> (a <see cref="ServerError"/>, or a <see cref="Delay"/> past the client's timeout)
    /// goes out instead. The recorded call has <see cref="RecordedCall.Lost"/> set.</summary>
    public static Failure AppliedThen(Failure answer) => answer is ServerErrorFailure or DelayFailure
        ? new AppliedThenFailure(answer)
        : throw new ArgumentException("an applied call's answer is lost as a 5xx or a hang", nameof(answer));
}

public sealed record RateLimitedFailure(int RetryAfterSeconds) : Failure;
public sealed record ErrorFailure(string Code) : Failure;
public sealed record ServerErrorFailure(int Status) : Failure;
public sealed record DelayFailure(TimeSpan Duration) : Failure;
public sealed record AppliedThenFailure(Failure Answer) : Failure;
