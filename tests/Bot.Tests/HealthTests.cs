namespace Bot.Tests;

public class SmokeTests
{
    [Fact]
    public void AppAssembly_Loads() => Assert.Equal("Bot", typeof(Program).Assembly.GetName().Name);
}
