#!/usr/bin/env bash
# Builds the repository's Dockerfile with podman and runs the image: the URL line in the logs,
# /api/health from the host, the health check, the token kept in the volume across a restart.
# Opt-in (it takes minutes and needs root, podman and debootstrap), not part of `pnpm test`.
#
# Where no image can be pulled (only Debian's and npm's registries reachable), the Dockerfile's
# base, node:20-bookworm-slim, is stood in for by Debian 12 made with debootstrap plus this
# machine's own Node 20 in /usr/local and a user `node` (uid 1000), as the official image has.
# The Dockerfile itself is built unchanged, with NODE_IMAGE pointing at that base.
#
#   sudo apt-get install -y podman debootstrap
#   sudo deploy/try-image.sh                 # BOOCODE_TRY_PORT=19500, cache in /var/tmp/boocode-try
#   BOOCODE_TRY_BASE=node:20-bookworm-slim deploy/try-image.sh   # the real base, where pullable
set -euo pipefail
cd "$(dirname "$0")/.."

port=${BOOCODE_TRY_PORT:-19500}
cache=${BOOCODE_TRY_CACHE:-/var/tmp/boocode-try}
base=${BOOCODE_TRY_BASE:-localhost/boocode-try-base:20-bookworm}
image=localhost/boocode:try
name=boocode-try
volume=boocode-try-home

# Podman as root asks for ~1M open files and processes; a root without CAP_SYS_RESOURCE (as in
# a sandbox) cannot grant that, so the limits are asked for within this shell's own. crun 1.8
# refuses a hybrid cgroup hierarchy (v1 + an empty v2): runc there.
nofile=$(ulimit -Hn)
[[ $nofile == unlimited || $nofile -gt 65536 ]] && nofile=65536
limits=(--ulimit "nofile=$nofile:$nofile" --ulimit nproc=16384:16384)
runtime=()
if [[ -d /sys/fs/cgroup/unified ]] && command -v runc >/dev/null; then runtime=(--runtime runc); fi
pm() { podman "${runtime[@]}" "$@"; }

say() { printf 'try-image: %s\n' "$*"; }
fail() {
  say "FAILED: $*"
  podman logs "$name" 2>&1 | tail -40 || true
  exit 1
}
for cmd in podman node; do
  command -v "$cmd" >/dev/null || { say "needs $cmd"; exit 2; }
done

cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

if [[ $base == localhost/boocode-try-base:* ]] && ! podman image exists "$base"; then
  command -v debootstrap >/dev/null || { say "needs debootstrap"; exit 2; }
  [[ $(id -u) == 0 ]] || { say "debootstrap needs root"; exit 2; }
  node_bin=$(command -v node)
  node_prefix=$(dirname "$(dirname "$(readlink -f "$node_bin")")")
  [[ -f $node_prefix/include/node/node.h ]] || { say "no Node headers in $node_prefix/include/node"; exit 2; }
  rootfs=$cache/rootfs
  if [[ ! -f $rootfs/etc/debian_version ]]; then
    say "debootstrap bookworm into $rootfs"
    rm -rf "$rootfs"
    mkdir -p "$cache"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log"
  fi
  say "base image $base: Debian 12 + Node $(node --version) from $node_prefix"
  stage=$cache/base
  rm -rf "$stage"
  cp -a "$rootfs" "$stage"
  mkdir -p "$stage/usr/local/bin" "$stage/usr/local/include" "$stage/usr/local/lib/node_modules"
  cp "$(readlink -f "$node_bin")" "$stage/usr/local/bin/node"
  cp -a "$node_prefix/include/node" "$stage/usr/local/include/"
  cp -a "$node_prefix/lib/node_modules/npm" "$stage/usr/local/lib/node_modules/"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$stage/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$stage/usr/local/bin/npx"
  chroot "$stage" groupadd --gid 1000 node
  chroot "$stage" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$stage"/var/lib/apt/lists/* "$stage"/var/cache/apt/*.bin
  # A machine whose HTTPS goes through an intercepting proxy trusts it through
  # NODE_EXTRA_CA_CERTS: the stand-in base does too (the real base needs nothing of the kind).
  change=()
  if [[ -n ${NODE_EXTRA_CA_CERTS:-} && -f $NODE_EXTRA_CA_CERTS ]]; then
    cp "$NODE_EXTRA_CA_CERTS" "$stage/etc/try-image-extra-ca.pem"
    change=(--change "ENV NODE_EXTRA_CA_CERTS=/etc/try-image-extra-ca.pem")
  fi
  tar -C "$stage" -c . | podman import "${change[@]}" - "$base" >/dev/null
  rm -rf "$stage"
fi

say "building the Dockerfile on $base"
pm build --pull=never --format docker "${limits[@]}" --build-arg "NODE_IMAGE=$base" -t "$image" . >"${cache}/build.log" 2>&1 ||
  { tail -40 "$cache/build.log"; fail "podman build (log: $cache/build.log)"; }
say "image: $(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"

user=$(podman image inspect "$image" --format '{{.Config.User}}')
[[ $user == boocode ]] || fail "the image runs as '$user', not boocode"

# Runs the container and waits (bounded) for the URL line; prints the token.
start_and_read_token() {
  # The same port inside and out, as compose.yaml does: boocode answers only to the Host names it
  # knows, 127.0.0.1:PORT among them.
  pm run -d "${limits[@]}" --name "$name" -e "PORT=$port" -p "127.0.0.1:$port:$port" -v "$volume:/data" "$image" >/dev/null
  for _ in $(seq 1 240); do
    line=$(podman logs "$name" 2>&1 | grep -m1 'boocode is running: open ' || true)
    if [[ -n $line ]]; then
      printf '%s' "${line##*token=}"
      return
    fi
    [[ $(podman inspect "$name" --format '{{.State.Running}}') == true ]] || fail "the container stopped"
    sleep 0.5
  done
  fail "no URL line in the logs within 2 minutes"
}

token=$(start_and_read_token)
[[ -n $token ]] || fail "the URL line holds no token"
say "URL line seen in the logs (token of ${#token} characters)"
[[ $(podman logs "$name" 2>&1 | grep -m1 'boocode is running') == *"http://127.0.0.1:$port/?token="* ]] ||
  fail "the URL does not open on 127.0.0.1:$port"

health=$(node -e "fetch('http://127.0.0.1:$port/api/health').then(async (r) => { console.log(r.status, await r.text()) })")
[[ $health == '200 '*'"ok":true'* ]] || fail "GET /api/health from the host: $health"
say "GET /api/health from the host: $health"
status=$(node -e "fetch('http://127.0.0.1:$port/api/chats').then((r) => console.log(r.status))")
[[ $status == 401 ]] || fail "GET /api/chats without the token answered $status, not 401"
status=$(node -e "fetch('http://127.0.0.1:$port/api/chats', { headers: { authorization: 'Bearer $token' } }).then((r) => console.log(r.status))")
[[ $status == 200 ]] || fail "GET /api/chats with the token answered $status"
say "the token from the logs opens the API; without it, 401"

pm healthcheck run "$name" >/dev/null || fail "the image's HEALTHCHECK fails"
say "HEALTHCHECK passes"
stored=$(pm exec "$name" cat /data/token)
[[ $stored == "$token" ]] || fail "the token in /data differs from the printed one"
tools=$(pm exec "$name" sh -c 'for c in git rg tmux ssh tini; do command -v $c >/dev/null || echo $c; done')
[[ -z $tools ]] || fail "missing in the image: $tools"
version=$(pm exec "$name" boocode --version)
[[ $version == "$(node -p "require('./package.json').version")" ]] || fail "boocode --version in the image: $version"
say "git, rg, tmux, ssh, tini on PATH; boocode --version: $version; runs as $(pm exec "$name" id -un) (uid $(pm exec "$name" id -u))"

podman stop -t 20 "$name" >/dev/null
code=$(podman inspect "$name" --format '{{.State.ExitCode}}')
[[ $code == 0 ]] || fail "stopped with exit code $code (tini should pass SIGTERM on to the server)"
say "SIGTERM through tini: the server stopped cleanly"
podman rm "$name" >/dev/null
again=$(start_and_read_token)
[[ $again == "$token" ]] || fail "a new container on the same volume printed another token"
say "a new container on the same volume prints the same token"
say "OK"
