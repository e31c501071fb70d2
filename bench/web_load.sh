#!/usr/bin/env bash
# Load on the HTTP API with wrk over loopback, against the demo library (the demo
# catalog CSV + the scanned Wesnoth/Hedgewars music) in a store of its own:
#   1. recommend-from-text: POST /api/recommend {"text": …}, 32 connections;
#   2. streaming: 50 concurrent Range downloads of real tracks (errors and non-206 counted);
#   3. a soak: recommend-from-text for SOAK seconds while the server's RSS is sampled.
# wrk and the server share this machine's cores; the figures say how many.
#   bench/web_load.sh [--duration S] [--soak S]     defaults 20 and 300
set -euo pipefail
cd "$(dirname "$0")/.."
duration=20 soak=300
while (($#)); do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --soak) soak=$2; shift 2 ;;
    *) echo "usage: bench/web_load.sh [--duration S] [--soak S]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "web_load: wrk is missing (scripts/setup --bench installs it)" >&2; exit 1; }
emotune=$PWD/build/release/emotune
[[ -x $emotune ]] || { echo "web_load: build first (scripts/build release)" >&2; exit 1; }

dir=$(mktemp -d)
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
export EMOTUNE_DB=$dir/catalog.db

echo "== the demo library"
"$emotune" import examples/demo-catalog.csv >/dev/null
music=()
for d in /usr/share/games/wesnoth/1.16/data/core/music /usr/share/games/hedgewars/Data/Music; do [[ -d $d ]] && music+=("$d"); done
((${#music[@]})) || { echo "web_load: no demo music (scripts/setup installs it)" >&2; exit 1; }
"$emotune" scan "${music[@]}" | tail -1
# {id, size} of every track with an audio file, for the Range requests.
files=$("$emotune" tracks -n 0 --json | python3 -c '
import json, os, sys
print(", ".join("{%d, %d}" % (t["id"], os.path.getsize(t["file_path"]))
                for t in json.load(sys.stdin)["tracks"] if t.get("file_path")))')
echo "$("$emotune" stats | head -1); $(grep -o '{' <<<"$files" | wc -l) with audio files"

"$emotune" serve --port 0 >"$dir/serve.out" 2>"$dir/serve.err" &
server=$!
for _ in $(seq 100); do grep -q "http://" "$dir/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$dir/serve.out" | head -1)
[[ -n $url ]] || { cat "$dir/serve.err" >&2; exit 1; }
echo "server: $url (pid $server) · $(nproc) cores shared with wrk · load now: $(cut -d' ' -f1-3 /proc/loadavg)"

cat >"$dir/recommend.lua" <<'EOF'
-- Rotates through sentences, so the text model reads each time.
local texts = {
  "I'm so happy today, everything went right",
  "Long day. I feel drained and a bit down.",
  "I am furious, they cancelled again",
  "feeling calm and relaxed by the sea",
  "I'm nervous about tomorrow's exam",
  "what a surprise, I did not expect that at all",
}
local i = 0
request = function()
  i = i % #texts + 1
  return wrk.format("POST", "/api/recommend", {["Content-Type"] = "application/json"},
                    '{"text": "' .. texts[i] .. '", "n": 12}')
end
EOF

cat >"$dir/range.lua" <<EOF
-- Each request a 64 KiB Range (or the rest of a smaller file) of one of the
-- library's real tracks, at a different offset each time.
local files = { $files }
local n = 0
request = function()
  n = n + 1
  local f = files[n % #files + 1]
  local start = (n * 7919) % math.max(1, f[2] - 65536)
  return wrk.format("GET", "/api/tracks/" .. f[1] .. "/audio", { Range = "bytes=" .. start .. "-" .. (start + 65535) })
end
EOF

echo; echo "== 1. recommend from text: 32 connections, ${duration} s"
wrk -t2 -c32 -d"${duration}s" --latency -s "$dir/recommend.lua" "$url"

echo; echo "== 2. streaming: 50 concurrent Range downloads, ${duration} s"
wrk -t2 -c50 -d"${duration}s" --latency -s "$dir/range.lua" "$url"

echo; echo "== 3. soak: recommend from text for ${soak} s; the server's RSS every 10 s (MiB)"
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
echo "before: $(rss)"
wrk -t2 -c32 -d"${soak}s" -s "$dir/recommend.lua" "$url" >"$dir/soak.txt" &
load=$!
samples=()
while kill -0 "$load" 2>/dev/null; do sleep 10; samples+=("$(rss)"); done
wait "$load" || true
echo "during: ${samples[*]}"
grep -E "Requests/sec|requests in|Non-2xx|Socket errors" "$dir/soak.txt" || true
kill -0 "$server" || { echo "web_load: the server died" >&2; exit 1; }
health=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1] + "healthz").status)' "$url")
echo "after: $(rss); /healthz answers $health"
