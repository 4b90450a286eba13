#!/usr/bin/env bash
# End-to-end routing benchmark: `mailroute route --stdin --json` over 1,000,000 senders and a
# one-shot `mailroute route ADDR`, with 10, 1,000 and 10,000 servers and 1,000 alias domains.
# Usage: bench/route.sh [SENDERS]   (figures go to stdout; data under bench/out, not committed)
set -euo pipefail
cd "$(dirname "$0")/.."
senders=${1:-1000000}
out=bench/out
mkdir -p "$out"
cargo build --release --quiet --bin mailroute --example bench-store
bin=target/release/mailroute
make_store=target/release/examples/bench-store

printf '%8s  %14s  %10s  %16s\n' servers "decisions/s" "seconds" "one-shot route"
for servers in 10 1000 10000; do
    db="$out/bench-$servers.db"
    input="$out/senders-$servers.txt"
    "$make_store" "$db" "$servers" "$input" "$senders"
    # Warm the page cache, then take the best of three runs.
    "$bin" --db "$db" route --stdin --json < "$input" > /dev/null || true
    best=""
    for _ in 1 2 3; do
        start=$(date +%s%N)
        "$bin" --db "$db" route --stdin --json < "$input" > /dev/null
        end=$(date +%s%N)
        elapsed=$(( end - start ))
        if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then best=$elapsed; fi
    done
    rate=$(( senders * 1000000000 / best ))
    # One-shot: median of 101 whole-process runs.
    times=()
    for _ in $(seq 101); do
        start=$(date +%s%N)
        "$bin" --db "$db" route --json 'Someone <user1@s0.example>' > /dev/null
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000 )))
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 51p)
    printf '%8d  %14d  %10s  %13s µs\n' "$servers" "$rate" "$(awk "BEGIN{printf \"%.3f\", $best/1e9}")" "$median"
done
