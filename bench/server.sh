# Sourced by the bench scripts: the front-end build they need, a `bro demo` server to measure,
# and the facts every report carries.
#
#   start_demo BINARY LOG ARGS...   serves `BINARY demo ARGS...` on a free port, output to LOG;
#                                   sets $base and $server (the pid); waits until it answers
#   demo_on_fresh_data              builds the release binaries and serves the demo world
#                                   from a new data directory (removed on exit)
#   stop_server                     stops it (also on exit)
#   server_memory                   the server's peak resident memory in MiB (VmHWM)
#   machine_facts                   cores, memory, architecture

stamp=crates/web/assets/vendor/manifest.json
if [ ! -f "$stamp" ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  npm run --silent build:assets
fi
target_dir="${CARGO_TARGET_DIR:-target}"
release="$target_dir/release"

server=""
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
trap stop_server EXIT

start_demo() {
  local binary="$1" log="$2"
  shift 2
  local port=$(( 20000 + RANDOM % 20000 )) started=$SECONDS
  base="http://127.0.0.1:$port"
  BRO_LOG=warn "$binary" demo --listen "127.0.0.1:$port" "$@" >"$log" 2>&1 &
  server=$!
  # Creating a large world takes a minute or two the first time.
  until curl -sf "$base/healthz" >/dev/null; do
    if ! kill -0 "$server" 2>/dev/null; then
      echo "bro demo stopped; see $log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "# bro demo $* ready after $((SECONDS - started)) s" >&2
}

server_memory() {
  awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$server/status"
}

machine_facts() {
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
}

demo_on_fresh_data() {
  cargo build --release --locked -p bro -p bro-loadgen
  fresh_data="$(mktemp -d)"
  trap 'stop_server; rm -rf "$fresh_data"' EXIT
  start_demo "$release/bro" /dev/null --data-dir "$fresh_data"
}
