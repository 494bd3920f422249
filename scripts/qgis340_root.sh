#!/usr/bin/env bash
# QGIS 3.40 LTR for the tests: a Debian 13 (trixie) root made with debootstrap from the Debian
# archive this machine's apt already uses, kept outside the checkout and reused between runs.
#
#   qgis340_root.sh build            make (or complete) the root; quick when it is there
#   qgis340_root.sh run COMMAND...   build, then run COMMAND inside it, in the checkout
#
# QGIS340_ROOT   where the root lives (default /var/cache/citycomponents/debian13-qgis340)
# QGIS340_PACKAGES  the Debian packages installed in it (the Makefile passes its list)
# DEBIAN_MIRROR  the archive to use instead of the one read from the apt sources
#
# The root is rebuilt from scratch when its debootstrap never finished (no stamp), and completed
# with apt-get when the package list changed. The checkout is bind-mounted at its own path, so
# paths (venvs, git worktrees) mean the same inside and out. Mounts are made in a private mount
# namespace (they vanish with the process whatever happens) and also unmounted by a trap;
# /dev and /sys are made rslave so an unmount inside can never reach the host's. COMMAND runs
# with a clean environment (env -i): none of the host's pip or Python settings leak in; pip gets
# the host's CA bundle, bind-mounted read-only, through PIP_CERT.
set -euo pipefail

CHECKOUT=$(cd "$(dirname "$0")/.." && pwd)
ROOTFS=${QGIS340_ROOT:-/var/cache/citycomponents/debian13-qgis340}
ROOTFS=${ROOTFS%/}
SUITE=trixie
PACKAGES=${QGIS340_PACKAGES:-python3-qgis qgis qgis-providers python3-openpyxl python3-venv xvfb xauth \
fonts-noto-cjk poppler-utils qttools5-dev-tools make git}
BASE_STAMP=$ROOTFS/.citycomponents-debootstrap-complete
PACKAGES_STAMP=$ROOTFS/.citycomponents-packages
HOST_CA=/etc/ssl/certs/ca-certificates.crt
INNER_CA=/etc/ssl/citycomponents-host-ca.crt
INNER_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "[qgis-3.40] $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and mounts)"
case "$ROOTFS" in
  /|/bin|/boot|/dev|/etc|/home|/lib*|/proc|/root|/run|/sbin|/sys|/tmp|/usr|/var|/var/cache) die "refusing QGIS340_ROOT=$ROOTFS";;
  /*) ;;
  *) die "QGIS340_ROOT must be an absolute path";;
esac

mounts_under() {  # mount points at or below $1, deepest first
  awk -v r="$1" '{ p = $2; gsub(/\\040/, " ", p); if (p == r || index(p, r "/") == 1) print p }' /proc/self/mounts |
    sort -r
}

unmount_all() {
  local m
  while read -r m; do
    [ -n "$m" ] || continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done < <(mounts_under "$ROOTFS")
}

assert_nothing_mounted() {
  if [ -n "$(mounts_under "$ROOTFS")" ]; then
    die "still mounted under $ROOTFS: $(mounts_under "$ROOTFS" | tr '\n' ' ')"
  fi
}

mount_all() {  # called inside the private mount namespace
  mount -t proc proc "$ROOTFS/proc"
  mount --rbind /sys "$ROOTFS/sys"
  mount --make-rslave "$ROOTFS/sys"
  mount --rbind /dev "$ROOTFS/dev"
  mount --make-rslave "$ROOTFS/dev"
  if [ -r "$HOST_CA" ]; then
    mkdir -p "$(dirname "$ROOTFS$INNER_CA")"
    touch "$ROOTFS$INNER_CA"
    mount --bind "$HOST_CA" "$ROOTFS$INNER_CA"
    mount -o remount,bind,ro "$ROOTFS$INNER_CA"
  fi
  mkdir -p "$ROOTFS$CHECKOUT"
  mount --bind "$CHECKOUT" "$ROOTFS$CHECKOUT"
  # A git worktree keeps its repository outside the checkout: make it visible, read-only.
  local common
  common=$(git -C "$CHECKOUT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  if [ -n "$common" ] && [ -d "$common" ] && [[ "$common" != "$CHECKOUT"/* ]]; then
    mkdir -p "$ROOTFS$common"
    mount --bind "$common" "$ROOTFS$common"
    mount -o remount,bind,ro "$ROOTFS$common"
  fi
  cp -L /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true
}

inner() {  # run "$@" in the root with a clean environment
  env -i HOME=/root PATH="$INNER_PATH" LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb CI="${CI:-}" \
    DEBIAN_FRONTEND=noninteractive PIP_CERT="$INNER_CA" PIP_DISABLE_PIP_VERSION_CHECK=1 \
    chroot "$ROOTFS" "$@"
}

install_packages() {
  log "installing in the root: $PACKAGES"
  local apt_log=$ROOTFS.apt.log
  # shellcheck disable=SC2086
  { inner apt-get update -q && inner apt-get install -y -q --no-install-recommends $PACKAGES &&
    inner apt-get clean; } > "$apt_log" 2>&1 || { tail -20 "$apt_log" >&2; die "apt-get failed (log: $apt_log)"; }
  wanted_packages > "$PACKAGES_STAMP"
}

wanted_packages() { echo "$PACKAGES" | tr ' ' '\n' | sed '/^$/d' | sort -u; }

build() {  # runs inside the private mount namespace
  if [ ! -f "$BASE_STAMP" ]; then
    local mirror start=$SECONDS
    mirror=$(python3 "$CHECKOUT/scripts/debian_mirror.py")
    command -v debootstrap >/dev/null || bash "$CHECKOUT/scripts/install_system_packages.sh" debootstrap
    if [ -e "$ROOTFS" ]; then
      log "incomplete root at $ROOTFS: rebuilding it"
      unmount_all
      assert_nothing_mounted
      rm -rf --one-file-system "$ROOTFS"
    fi
    log "debootstrap $SUITE from $mirror into $ROOTFS (a few minutes)"
    debootstrap --variant=minbase --components=main "$SUITE" "$ROOTFS" "$mirror" > "$ROOTFS.debootstrap.log" 2>&1 ||
      { tail -20 "$ROOTFS.debootstrap.log" >&2; die "debootstrap failed (log: $ROOTFS.debootstrap.log)"; }
    cat > "$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -f "$ROOTFS/etc/apt/sources.list"
    printf '%s\n' 'APT::Install-Recommends "false";' 'Acquire::Languages "none";' \
      > "$ROOTFS/etc/apt/apt.conf.d/90citycomponents"
    printf '#!/bin/sh\nexit 101\n' > "$ROOTFS/usr/sbin/policy-rc.d"  # start no services
    chmod +x "$ROOTFS/usr/sbin/policy-rc.d"
    mount_all
    install_packages
    touch "$BASE_STAMP"
    log "root built in $((SECONDS - start)) s"
  elif ! cmp -s "$PACKAGES_STAMP" <(wanted_packages); then
    mount_all
    install_packages
  else
    mount_all
  fi
}

main() {
  local cmd=${1:-}
  case "$cmd" in
    build|run) ;;
    *) echo "usage: $0 build | run COMMAND..." >&2; exit 2;;
  esac
  shift
  if [ -z "${QGIS340_IN_NAMESPACE:-}" ]; then
    # Re-run in a private mount namespace: its mounts disappear with it, even if it is killed.
    QGIS340_IN_NAMESPACE=1 exec unshare --mount --propagation private \
      bash "$CHECKOUT/scripts/qgis340_root.sh" "$cmd" "$@"
  fi
  mkdir -p "$(dirname "$ROOTFS")"
  exec 9> "$ROOTFS.lock"
  flock 9  # one run at a time per root
  trap unmount_all EXIT
  build
  if [ "$cmd" = run ]; then
    [ $# -gt 0 ] || die "run: no command"
    inner /bin/bash -c 'cd "$1" && shift && exec "$@"' inner "$CHECKOUT" "$@"
  fi
}

main "$@"
