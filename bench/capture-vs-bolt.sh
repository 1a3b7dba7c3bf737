#!/usr/bin/env bash
# Capture at scale (docs/benchmarks.md, "Capture path"). One run, the same signed message events over ten incident
# channels, against three targets in turn: the bot (capture stored before the ack, group commit), Slack's Bolt for
# JavaScript as a no-op app (bench/bolt-noop, @slack/bolt installed here from npm) and a bare Kestrel answering 200.
# Each: closed loop (32 in flight, 10 s) and open loop (500 events/s, 20 s, 5 % redelivered); then the rows the bot
# stored (every event once) and its RSS.
#
#   bench/capture-vs-bolt.sh                 the comparison on an empty bench database (bot_bench)
#   bench/capture-vs-bolt.sh --scale         the bot alone on bot_scale, seeded once with 10,000 incidents and 10M
#                                            timeline rows (bench/seed-scale.sql), then /incident timeline and
#                                            /postmortem preview timed in the incident with 10,000 entries
# Other arguments go to Bot.LoadGen (e.g. --rate 500 --duration 20 --closed 10 --in-flight 32).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=false
args=()
for a in "$@"; do
    if [[ "$a" == "--scale" ]]; then scale=true; else args+=("$a"); fi
done

dotnet build bench/Bot.LoadGen -c Release -v q -nologo
loadgen=(dotnet bench/Bot.LoadGen/bin/Release/net10.0/Bot.LoadGen.dll --spawn-bot)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if $scale; then
    df -h "$(pwd)" | tail -1
    "${loadgen[@]}" --database-name bot_scale --seed bench/seed-scale.sql --timeline-channel CSCALE000001 "${args[@]}"
else
    (cd bench/bolt-noop && npm ci --no-audit --no-fund --loglevel=error)
    "${loadgen[@]}" --compare --bolt bench/bolt-noop "${args[@]}"
fi
