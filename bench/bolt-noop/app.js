// Bolt for JavaScript with its default HTTP receiver: it verifies the signature, parses the event and acks it
// (200) before the listener runs. The listener does nothing. Baseline for bench/Bot.LoadGen --compare.
const { App, LogLevel } = require('@slack/bolt');

const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  // No auth.test at start or per event: a fixed authorization, as a single-workspace app with a known bot has.
  authorize: async () => ({ botToken: 'xoxb-bench', botId: 'B0BENCH', botUserId: 'U0BENCHBOT' }),
  logLevel: LogLevel.ERROR,
});

app.event('message', async () => {});

(async () => {
  const port = Number(process.env.PORT || 3000);
  await app.start({ port, host: '127.0.0.1' });
  console.log(`bolt-noop listening on 127.0.0.1:${port}`);
})();
