#!/usr/bin/env bash
# Builds stackwright/haproxy:test, the proxy the rollout integration tests put in the data path,
# FROM scratch out of Debian's haproxy package: the binary, every library `ldd` lists, and the
# dynamic loader. Nothing is pulled. The configuration is not part of the image: tests bind-mount
# theirs at /etc/haproxy/haproxy.cfg.
#
# Idempotent: a sha256 over the binary, its libraries and this script is stored in the label
# io.stackwright.test-image.hash; when the image carries the current hash nothing is built.
#
# Usage: test-images/haproxy/build.sh [--force]    (needs: apt-get install haproxy)
set -euo pipefail

TAG="stackwright/haproxy:test"
HASH_LABEL="io.stackwright.test-image.hash"
FORCE="${FORCE:-0}"
[ "${1:-}" = "--force" ] && FORCE=1

log() { printf 'test-images/haproxy: %s\n' "$*" >&2; }
die() { printf 'test-images/haproxy: ERROR: %s\n' "$*" >&2; exit 1; }

HAPROXY="$(command -v haproxy || true)"
[ -n "$HAPROXY" ] || HAPROXY=/usr/sbin/haproxy
[ -x "$HAPROXY" ] || die "haproxy not found (apt-get install haproxy)"
command -v ldd >/dev/null 2>&1 || die "ldd not found (apt-get install libc-bin)"

# every file the binary needs at run time: the libraries with a path, and the loader
mapfile -t LIBS < <(ldd "$HAPROXY" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | sort -u)
[ ${#LIBS[@]} -gt 0 ] || die "ldd listed no libraries for $HAPROXY"

HASH="$(sha256sum "$HAPROXY" "${LIBS[@]}" "${BASH_SOURCE[0]}" | awk '{print $1}' | sha256sum | awk '{print $1}')"
if [ "$FORCE" != 1 ] \
    && [ "$(docker image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$TAG" 2>/dev/null || true)" = "$HASH" ]; then
  log "$TAG is up to date (hash ${HASH:0:12})"
  exit 0
fi

if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/stackwright-haproxy-image.lock"
  flock 9
fi

ctx="$(mktemp -d "${TMPDIR:-/tmp}/stackwright-haproxy-ctx.XXXXXX")"
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/rootfs/usr/sbin" "$ctx/rootfs/etc/haproxy" "$ctx/rootfs/tmp" "$ctx/rootfs/run"
cp "$HAPROXY" "$ctx/rootfs/usr/sbin/haproxy"
for lib in "${LIBS[@]}"; do
  mkdir -p "$ctx/rootfs$(dirname "$lib")"
  cp -L "$lib" "$ctx/rootfs$lib"
done
chmod 1777 "$ctx/rootfs/tmp"
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
STOPSIGNAL SIGUSR1
LABEL org.opencontainers.image.title="stackwright-haproxy"
ENTRYPOINT ["/usr/sbin/haproxy", "-W", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
DOCKERFILE
log "building $TAG from $HAPROXY and ${#LIBS[@]} libraries"
DOCKER_BUILDKIT=0 docker build --pull=false --force-rm --label "$HASH_LABEL=$HASH" -t "$TAG" "$ctx" >"$ctx/build.log" 2>&1 \
  || { cat "$ctx/build.log" >&2; die "docker build of $TAG failed"; }
log "built $TAG ($(( $(docker image inspect --format '{{.Size}}' "$TAG") / 1024 )) KiB)"
