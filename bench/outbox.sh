#!/usr/bin/env bash
# Outbox benchmark (issue 5), all on 127.0.0.1, against Postfix's smtp-sink:
#  - enqueueing 10,000 and 100,000 messages from JSONL;
#  - `queue run` of 10,000 small messages over one connection and over ten;
#  - the same 10,000 messages with Postfix's smtp-source (-s 1 and -s 10) and a Python smtplib
#    loop over one reused connection (how Odoo sends);
#  - peak memory of `queue run` for 10,000 and 100,000 queued messages.
# Needs: apt-get install -y postfix time; python3.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
cargo build --release --quiet --bin mailroute
bin=$PWD/target/release/mailroute
port=25260
smtp-sink -u nobody "127.0.0.1:$port" 1000 &
sink=$!
trap 'kill $sink 2>/dev/null || true' EXIT
sleep 1

seconds() { python3 -c "import sys; print(f'{(int(sys.argv[2]) - int(sys.argv[1])) / 1e9:.2f}')" "$1" "$2"; }
make_jsonl() {
    python3 - "$1" "$2" <<'PY'
import json, sys
with open(sys.argv[2], "w") as f:
    for i in range(int(sys.argv[1])):
        f.write(json.dumps({"from": "alice@example.com", "to": f"r{i}@example.org", "subject": f"message {i}", "body": "hello"}) + "\n")
PY
}
fresh_store() {
    rm -f "$1" "$1-wal" "$1-shm"
    "$bin" --db "$1" domain add example.com > /dev/null
    "$bin" --db "$1" server add sink --host 127.0.0.1 --port "$port" --from-filter example.com --max-connections "$2" > /dev/null
}

make_jsonl 10000 "$out/10k.jsonl"
make_jsonl 100000 "$out/100k.jsonl"

echo "== enqueue"
for n in 10k 100k; do
    db="$out/outbox-$n.db"; fresh_store "$db" 1
    start=$(date +%s%N); "$bin" --db "$db" queue add --file "$out/$n.jsonl" > /dev/null; end=$(date +%s%N)
    echo "queue add $n: $(seconds "$start" "$end") s"
done

echo "== send 10,000 (three runs each, interleaved, so that both sides see the same machine)"
for round in 1 2 3; do
    for connections in 1 10; do
        db="$out/outbox-run-$connections.db"; fresh_store "$db" "$connections"
        "$bin" --db "$db" queue add --file "$out/10k.jsonl" > /dev/null
        per=$(( 10000 / connections ))
        start=$(date +%s%N); "$bin" --db "$db" queue run --per-connection "$per" > /dev/null; end=$(date +%s%N)
        s=$(seconds "$start" "$end"); echo "round $round: mailroute queue run, $connections connection(s): $s s ($(python3 -c "print(round(10000/$s))") msg/s)"
        start=$(date +%s%N); smtp-source -d -s "$connections" -m 10000 -f alice@example.com -t b@example.org "127.0.0.1:$port" > /dev/null; end=$(date +%s%N)
        s=$(seconds "$start" "$end"); echo "round $round: smtp-source -d -s $connections: $s s ($(python3 -c "print(round(10000/$s))") msg/s)"
    done
done
start=$(date +%s%N)
python3 - "$port" <<'PY'
import smtplib, sys
from email.message import EmailMessage
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]))
for i in range(10000):
    m = EmailMessage(); m["From"] = "alice@example.com"; m["To"] = f"r{i}@example.org"; m["Subject"] = f"message {i}"; m.set_content("hello")
    s.send_message(m)
s.quit()
PY
end=$(date +%s%N)
s=$(seconds "$start" "$end"); echo "python smtplib, one connection: $s s ($(python3 -c "print(round(10000/$s))") msg/s)"

echo "== peak memory of queue run"
for n in 10k 100k; do
    db="$out/outbox-mem-$n.db"; fresh_store "$db" 4
    "$bin" --db "$db" queue add --file "$out/$n.jsonl" > /dev/null
    rss=$( { /usr/bin/time -f '%M' "$bin" --db "$db" queue run > /dev/null; } 2>&1 | tail -n 1 )
    echo "queue run of $n messages: max RSS $rss KiB"
done
