#!/usr/bin/env bash
# Builds the Stackwright integration-test images from local files only:
#   stackwright/workload:test   the workload (VERSION defaults to v1)
#   stackwright/workload:v2     same layers and binary, ENV VERSION=v2 (for version-switch deploys)
#
# Idempotent: a sha256 over the inputs is stored in the label
# io.stackwright.test-image.hash; when both tags already carry the current hash,
# nothing is compiled or built (takes well under a second).
#
# Usage: test-images/build.sh [--force]      (runnable from any directory)
# Env:   FORCE=1     same as --force
#        BUSYBOX     path of a statically linked busybox (default /bin/busybox,
#                    Debian package busybox-static)
#        CC          C compiler (default gcc)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORKLOAD_DIR="$SCRIPT_DIR/workload"
IMAGE_REPO="stackwright/workload"
TAG_TEST="$IMAGE_REPO:test"
TAG_V2="$IMAGE_REPO:v2"
HASH_LABEL="io.stackwright.test-image.hash"
BUSYBOX="${BUSYBOX:-/bin/busybox}"
CC="${CC:-gcc}"
FORCE="${FORCE:-0}"
# applets linked in /bin (the tests exec sh, wget, cat, touch, rm, sleep, ls, echo; the rest are conveniences)
APPLETS=(sh wget cat touch rm sleep ls echo env ps kill mkdir hostname true false test timeout nslookup)

log() { printf 'test-images: %s\n' "$*" >&2; }
die() { printf 'test-images: ERROR: %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $arg (usage: $0 [--force])" ;;
    esac
done

# ---------------------------------------------------------------- prerequisites
command -v docker >/dev/null 2>&1 \
    || die "docker CLI not found on PATH (install docker.io / docker-ce)"
command -v "$CC" >/dev/null 2>&1 \
    || die "C compiler '$CC' not found on PATH (apt-get install gcc libc6-dev)"
[ -f "$BUSYBOX" ] && [ -x "$BUSYBOX" ] \
    || die "busybox not found at $BUSYBOX (apt-get install busybox-static, or set BUSYBOX=/path/to/static/busybox)"
if command -v readelf >/dev/null 2>&1 && LC_ALL=C readelf -l "$BUSYBOX" 2>/dev/null | grep -q 'INTERP'; then
    die "$BUSYBOX is dynamically linked and cannot run in a FROM-scratch image (apt-get install busybox-static)"
fi
for f in "$WORKLOAD_DIR/server.c" "$WORKLOAD_DIR/Dockerfile"; do
    [ -f "$f" ] || die "missing source file $f"
done
if ! server_version="$(docker version --format '{{.Server.Version}}' 2>&1)"; then
    die "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}): $(printf '%s' "$server_version" | tr -s '\n' ' ')"
fi

# ---------------------------------------------------------------- serialise concurrent runs
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/stackwright-test-images.lock"
    flock 9
fi

# ---------------------------------------------------------------- input hash
# server.c + Dockerfile + busybox, plus this script and the compiler identity
# (they determine the binary and the build context too).
HASH="$(
    {
        sha256sum "$WORKLOAD_DIR/server.c" "$WORKLOAD_DIR/Dockerfile" "$BUSYBOX" "${BASH_SOURCE[0]}" \
            | awk '{print $1}'
        "$CC" --version 2>/dev/null | head -n 1
    } | sha256sum | awk '{print $1}'
)"

image_hash() { # prints the hash label of image $1, or nothing if the image is absent
    docker image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true
}
image_id() {
    docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true
}

need_test=1
need_v2=1
if [ "$FORCE" != "1" ]; then
    [ "$(image_hash "$TAG_TEST")" = "$HASH" ] && need_test=0
    [ "$need_test" = 0 ] && [ "$(image_hash "$TAG_V2")" = "$HASH" ] && need_v2=0
fi
if [ "$need_test" = 0 ] && [ "$need_v2" = 0 ]; then
    log "$TAG_TEST and $TAG_V2 are up to date (hash ${HASH:0:12})"
    exit 0
fi

# ---------------------------------------------------------------- build
start_ms=$(($(date +%s%N) / 1000000))
ctx="$(mktemp -d "${TMPDIR:-/tmp}/stackwright-workload-ctx.XXXXXX")"
trap 'rm -rf "$ctx"' EXIT

old_test_id="$(image_id "$TAG_TEST")"
old_v2_id="$(image_id "$TAG_V2")"

docker_build() { # docker_build <context dir> <tag> ; legacy builder, never pulls
    local dir="$1" tag="$2" logf
    logf="$ctx/build-${tag//[:\/]/_}.log"
    if ! DOCKER_BUILDKIT=0 docker build --pull=false --force-rm \
            --label "$HASH_LABEL=$HASH" -t "$tag" "$dir" >"$logf" 2>&1; then
        cat "$logf" >&2
        die "docker build of $tag failed"
    fi
}

if [ "$need_test" = 1 ]; then
    log "compiling workload/server.c (static)"
    mkdir -p "$ctx/test/rootfs/bin" "$ctx/test/rootfs/tmp"
    if ! "$CC" -static -O2 -pthread -Wall -Wextra -s \
            -o "$ctx/test/server" "$WORKLOAD_DIR/server.c" 2>"$ctx/cc.log"; then
        cat "$ctx/cc.log" >&2
        die "compiling server.c failed (a static build needs libc6-dev's libc.a)"
    fi
    [ -s "$ctx/cc.log" ] && cat "$ctx/cc.log" >&2
    cp "$BUSYBOX" "$ctx/test/rootfs/bin/busybox"
    chmod 0755 "$ctx/test/rootfs/bin/busybox" "$ctx/test/server"
    for applet in "${APPLETS[@]}"; do
        ln -s busybox "$ctx/test/rootfs/bin/$applet"
    done
    chmod 1777 "$ctx/test/rootfs/tmp"
    cp "$WORKLOAD_DIR/Dockerfile" "$ctx/test/Dockerfile"

    log "building $TAG_TEST"
    docker_build "$ctx/test" "$TAG_TEST"
fi

# v2: the very same layers and binary; only config differs, so image IDs differ
# and a deploy can switch between the two tags.
mkdir -p "$ctx/v2"
cat >"$ctx/v2/Dockerfile" <<EOF
FROM $TAG_TEST
ENV VERSION=v2
LABEL io.stackwright.test-image.version="v2"
EOF
log "building $TAG_V2"
docker_build "$ctx/v2" "$TAG_V2"

# drop the images these tags pointed to before, if nothing else uses them (child first)
for old in "$old_v2_id" "$old_test_id"; do
    if [ -n "$old" ] && [ "$old" != "$(image_id "$TAG_TEST")" ] && [ "$old" != "$(image_id "$TAG_V2")" ]; then
        docker image rm "$old" >/dev/null 2>&1 || true
    fi
done

size="$(docker image inspect --format '{{.Size}}' "$TAG_TEST")"
log "built $TAG_TEST and $TAG_V2 (hash ${HASH:0:12}, $((size / 1024)) KiB) in $(( $(date +%s%N) / 1000000 - start_ms )) ms"
