# Sourced by the bench scripts: builds the release binaries and starts `bro demo` on a fresh
# SQLite database on a free port. Sets $base and $server (the pid); stops it on exit.
# server_memory prints the server's peak resident memory in MiB (VmHWM).

stamp=crates/web/assets/vendor/manifest.json
if [ ! -f "$stamp" ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  npm run --silent build:assets
fi
cargo build --release --locked -p bro -p bro-loadgen
target_dir="${CARGO_TARGET_DIR:-target}"
release="$target_dir/release"

data="$(mktemp -d)"
port=$(( 20000 + RANDOM % 20000 ))
base="http://127.0.0.1:$port"
BRO_LOG=warn "$release/bro" demo --listen "127.0.0.1:$port" --data-dir "$data" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -sf "$base/healthz" >/dev/null && break
  sleep 0.5
done

server_memory() {
  awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$server/status"
}

machine_facts() {
  echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
}
