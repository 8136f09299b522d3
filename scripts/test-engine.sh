#!/usr/bin/env bash
# The container engine the Docker operator's tests (and CI) run against, on a machine with no
# Docker and no registry access: Podman (which serves the Docker-compatible API) with runc, and
# the sandbox image `localhost/discoparrot/sandbox:test` assembled from this machine's own files
# (nothing is pulled). Idempotent: installs only what is missing, builds the image only when it
# is absent or with --rebuild.
#
#   scripts/test-engine.sh [--rebuild] [--no-install]
#
# Then serve the API (the tests do this themselves, on a socket in a temporary folder):
#   podman system service --time=0 unix:///tmp/podman.sock &
#   DOCKER_HOST=unix:///tmp/podman.sock npm run operator:docker   (or node --import tsx operators/docker/main.ts)
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="localhost/discoparrot/sandbox:test"
REBUILD=0
INSTALL=1
for arg in "$@"; do
  case "$arg" in
    --rebuild) REBUILD=1 ;;
    --no-install) INSTALL=0 ;;
    *) echo "usage: scripts/test-engine.sh [--rebuild] [--no-install]" >&2; exit 2 ;;
  esac
done

say() { printf '== %s\n' "$*" >&2; }

# 1. Podman and runc.
if ! command -v podman >/dev/null 2>&1 || ! command -v runc >/dev/null 2>&1; then
  if [ "$INSTALL" = 0 ]; then echo "podman or runc is missing (and --no-install was given)" >&2; exit 1; fi
  if [ "$(id -u)" != 0 ]; then echo "podman or runc is missing; run as root (or: sudo apt-get install podman runc)" >&2; exit 1; fi
  say "installing podman and runc"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc >/dev/null
fi

# 2. The engine's settings: runc (crun is not installed here), and ulimits a sandbox can live with.
CONF=/etc/containers/containers.conf
if [ ! -f "$CONF" ] && [ "$(id -u)" = 0 ]; then
  say "writing $CONF"
  mkdir -p /etc/containers
  cat >"$CONF" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
EOF
fi

# 3. The sandbox image (one build at a time: test files start in parallel).
exec 9>"${TMPDIR:-/tmp}/discoparrot-test-engine.lock"
flock 9
# The sidecar is bundled every time (about a second): an image holding an older sidecar than the
# source would test yesterday's code. The image is rebuilt when what goes into it changed.
say "bundling the sidecar"
node scripts/build-bundles.mjs >&2
CONTENT_SHA=$(cat dist/sidecar.cjs operators/images/sandbox/entry.sh | sha256sum | cut -c1-16)
if [ "$REBUILD" = 0 ] && podman image exists "$IMAGE" \
  && [ "$(podman image inspect --format '{{ index .Labels "io.discoparrot.content" }}' "$IMAGE" 2>/dev/null)" = "$CONTENT_SHA" ]; then
  say "$IMAGE is present and current"
  exit 0
fi

say "building $IMAGE from this machine's files"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"
mkdir -p "$ROOT"

# Keep the host's merged-/usr layout (/bin -> usr/bin, …) so paths from ldd resolve inside too.
for link in bin sbin lib lib64; do
  if [ -L "/$link" ]; then
    target="$(readlink "/$link")"
    mkdir -p "$ROOT/${target#/}"
    ln -s "$target" "$ROOT/$link"
  fi
done

copy_file() { # copies a file (symlinks resolved) to the same real path inside the rootfs
  local real
  real="$(readlink -f "$1")"
  mkdir -p "$ROOT$(dirname "$real")"
  cp -L "$real" "$ROOT$real"
  # Keep the name it was asked for as well (e.g. /lib64/ld-linux-x86-64.so.2 → its real file).
  if [ "$real" != "$1" ] && [ ! -e "$ROOT$1" ]; then
    mkdir -p "$ROOT$(dirname "$1")"
    ln -s "$real" "$ROOT$1"
  fi
}

copy_program() { # a program and every shared library it loads
  local program="$1"
  copy_file "$program"
  ldd "$program" 2>/dev/null | awk '/=> \//{print $3} /^\t\//{print $1}' | while read -r lib; do
    [ -e "$ROOT$lib" ] || copy_file "$lib"
  done
}

copy_program /bin/sh
for tool in echo sleep ls cat mkdir rm env printf true false; do
  copy_program "$(type -P "$tool")"
done
copy_program /usr/bin/node

mkdir -p "$ROOT/opt/discoparrot" "$ROOT/etc" "$ROOT/workspace" "$ROOT/var/lib/discoparrot" "$ROOT/run/discoparrot" "$ROOT/tmp" "$ROOT/home/sandbox"
cp dist/sidecar.cjs "$ROOT/opt/discoparrot/sidecar.cjs"
cp operators/images/sandbox/entry.sh "$ROOT/opt/discoparrot/entry.sh"
chmod 0755 "$ROOT/opt/discoparrot/entry.sh"
chmod 1777 "$ROOT/tmp"
cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
sandbox:x:1000:1000:sandbox:/home/sandbox:/bin/sh
EOF
cat >"$ROOT/etc/group" <<'EOF'
root:x:0:
sandbox:x:1000:
EOF
# tar --owner below makes everything root's; these few belong to the sandbox user.
tar -C "$ROOT" --numeric-owner --owner=0 --group=0 -cf "$WORK/rootfs.tar" --exclude=./workspace --exclude=./var/lib/discoparrot --exclude=./run/discoparrot --exclude=./home/sandbox .
tar -C "$ROOT" --numeric-owner --owner=1000 --group=1000 -rf "$WORK/rootfs.tar" ./workspace ./var/lib/discoparrot ./run/discoparrot ./home/sandbox

podman rmi -f "$IMAGE" >/dev/null 2>&1 || true
podman import \
  --change 'USER 1000' \
  --change 'WORKDIR /workspace' \
  --change 'ENV HOME=/home/sandbox' \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENTRYPOINT ["/opt/discoparrot/entry.sh"]' \
  --change "LABEL io.discoparrot.content=$CONTENT_SHA" \
  "$WORK/rootfs.tar" "$IMAGE" >/dev/null
say "built $IMAGE"
