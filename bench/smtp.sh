#!/usr/bin/env bash
# SMTP benchmarks (issue 3), all on 127.0.0.1:
#  1. one `mailroute send` of a small message to Postfix's smtp-sink, whole process, against
#     msmtp and swaks sending the same message to the same sink;
#  2. `mailroute test-connection --all` over 20 servers that each take 200 ms to greet.
# Needs Debian's postfix (smtp-sink), msmtp, swaks and hyperfine, and python3 with aiosmtpd:
#   apt-get install -y postfix msmtp swaks hyperfine && python3 -m pip install aiosmtpd
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
cargo build --release --quiet --bin mailroute
bin=$PWD/target/release/mailroute
sink_port=25250
slow_port=25251

cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
pids=()
trap cleanup EXIT

smtp-sink -u nobody "127.0.0.1:$sink_port" 1000 &
pids+=($!)
python3 tests/smtp_server.py --port "$slow_port" --greeting-delay-ms 200 > "$out/slow.log" &
pids+=($!)
sleep 1

db="$out/smtp-bench.db"
rm -f "$db" "$db-wal" "$db-shm"
"$bin" --db "$db" server add sink --host 127.0.0.1 --port "$sink_port" --from-filter example.com > /dev/null
printf 'From: a@example.com\nTo: b@example.com\nSubject: bench\n\nhello\n' > "$out/message.txt"

echo "== 1. one message to smtp-sink, whole process"
hyperfine --warmup 5 --runs 100 \
    "$bin --db $db send --to b@example.com --from a@example.com --subject bench --body hello < /dev/null" \
    "msmtp --host=127.0.0.1 --port=$sink_port --auth=off --tls=off --from=a@example.com b@example.com < $out/message.txt" \
    "swaks --server 127.0.0.1:$sink_port --from a@example.com --to b@example.com --body hello --hide-all" \
    --export-markdown "$out/send.md"

echo "== 2. test-connection --all over 20 servers that each take 200 ms"
db2="$out/slow-bench.db"
rm -f "$db2" "$db2-wal" "$db2-shm"
for i in $(seq -w 1 20); do
    "$bin" --db "$db2" server add "slow$i" --host 127.0.0.1 --port "$slow_port" --from-filter example.com > /dev/null
done
hyperfine --warmup 1 --runs 10 "$bin --db $db2 test-connection --all" --export-markdown "$out/test-connection.md"
