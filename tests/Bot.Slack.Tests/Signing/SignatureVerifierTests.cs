using System.Text;
using System.Text.Json;
using Bot.Slack.Signing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.Signing;

/// <summary>Slack's documented signing example, plus the ways a request can fail it.</summary>
public class SignatureVerifierTests
{
    private static readonly JsonElement Vector = JsonDocument.Parse(Samples.Bytes("signing/test_vector.json")).RootElement;
    private static readonly string Secret = Vector.GetProperty("signing_secret").GetString()!;
    private static readonly string Timestamp = Vector.GetProperty("x_slack_request_timestamp").GetString()!;
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(Vector.GetProperty("body").GetString()!);
    private static readonly string Signature = Vector.GetProperty("x_slack_signature").GetString()!;

    private static SlackSignatureVerifier Verifier(string secret, TimeSpan offsetFromVector = default)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp)) + offsetFromVector);
        return new SlackSignatureVerifier(Options.Create(new SlackOptions { SigningSecret = secret }), time);
    }

    [Fact]
    public void DocumentedVector_IsValid() =>
        Assert.Equal(SignatureCheck.Valid, Verifier(Secret).Verify(Timestamp, Signature, Body));

    [Fact]
    public void Sign_ProducesTheDocumentedSignature() =>
        Assert.Equal(Signature, SlackSignatureVerifier.Sign(Secret, Timestamp, Body));

    [Fact]
    public void TamperedBody_IsRejected()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^1] ^= 1;
        Assert.Equal(SignatureCheck.Mismatch, Verifier(Secret).Verify(Timestamp, Signature, tampered));
    }

    [Fact]
    public void WrongSecret_IsRejected() =>
        Assert.Equal(SignatureCheck.Mismatch, Verifier(Secret + "x").Verify(Timestamp, Signature, Body));

    [Fact]
    public void TamperedTimestamp_IsRejected() =>
        Assert.Equal(SignatureCheck.Mismatch,
            Verifier(Secret, TimeSpan.FromSeconds(1)).Verify((long.Parse(Timestamp) + 1).ToString(), Signature, Body));

    [Theory]
    [InlineData(-301)] // the request is from more than 5 minutes ago
    [InlineData(301)]  // the request claims to come from more than 5 minutes ahead
    public void TimestampOutsideWindow_IsRejected(int clockOffsetSeconds) =>
        Assert.Equal(SignatureCheck.OutsideWindow,
            Verifier(Secret, TimeSpan.FromSeconds(-clockOffsetSeconds)).Verify(Timestamp, Signature, Body));

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void TimestampInsideWindow_IsAccepted(int clockOffsetSeconds) =>
        Assert.Equal(SignatureCheck.Valid,
            Verifier(Secret, TimeSpan.FromSeconds(clockOffsetSeconds)).Verify(Timestamp, Signature, Body));

    [Theory]
    [InlineData(null, "v0=abc", SignatureCheck.MissingHeaders)]
    [InlineData("1531420618", null, SignatureCheck.MissingHeaders)]
    [InlineData("", "", SignatureCheck.MissingHeaders)]
    [InlineData("15314x0618", "v0=abc", SignatureCheck.MalformedTimestamp)]
    [InlineData("-1531420618", "v0=abc", SignatureCheck.MalformedTimestamp)]
    [InlineData("1531420618", "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SignatureCheck.MalformedSignature)]
    [InlineData("1531420618", "v0=a2114d57", SignatureCheck.MalformedSignature)]
    [InlineData("1531420618", "v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SignatureCheck.MalformedSignature)]
    public void MissingOrMalformedHeaders_AreRejected(string? timestamp, string? signature, SignatureCheck expected) =>
        Assert.Equal(expected, Verifier(Secret).Verify(timestamp, signature, Body));

    [Fact]
    public void NoConfiguredSecret_RejectsEverything() =>
        Assert.Equal(SignatureCheck.NoSecret, Verifier("").Verify(Timestamp, Signature, Body));
}
