#!/usr/bin/env bash
# The VM lane (`npm run test:vm`): real Vagrant VMs (vagrant-libvirt, QEMU software emulation) driven by
# labkit's own lab:up / lab:status / lab:ssh / lab:down and SSH layer. Linux, root.
#
# usage: test/vm/lane.sh run           install what is missing, build/cache the box, start libvirt, run
#                                      test/vm/checks.ts, tear everything down (also on failure), assert
#                                      that nothing is left
#        test/vm/lane.sh install|box|start|stop|leftovers   one step (stop = the teardown; leftovers = the
#                                      final assertion)
# env:   LABKIT_VM_CACHE   box cache (default /var/cache/labkit-vm; not under /root: libvirt-qemu reads it)
#        LABKIT_VM_WORK    per-run folder: pidfiles, .vagrant, .lab, timings (default /tmp/labkit-vm)
#        LABKIT_VM_BREAK   vagrantfile | base: run against a deliberately broken copy of the project (the
#                          lane must then fail; shows that its checks can)
# One lane at a time: `npm run test:vm` holds /tmp/labkit-vmlane.lock.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$HERE/../.." && pwd)
CACHE=${LABKIT_VM_CACHE:-/var/cache/labkit-vm}
WORK=${LABKIT_VM_WORK:-/tmp/labkit-vm}
CONN=qemu:///system
BOX_NAME=labkit/debian12-tcg
LAB_NET=192.168.56.0/24
LAB_HOST_IP=192.168.56.1
# vagrant-libvirt's management network (its default); guests may not leave it (see egress_block).
MGMT_NET=192.168.121.0/24
EGRESS_CHAIN=LABKIT_VMLANE_EGRESS
PACKAGES=(qemu-system-x86 qemu-utils libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
  vagrant vagrant-libvirt dnsmasq-base iptables ebtables debootstrap)

log() { printf '[vm-lane %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
  log "error: $*"
  exit "${2:-1}"
}
now_ms() { date +%s%3N; }
# timing NAME MS: one JSON line per measured step, read by test/vm/report.ts for docs/benchmarks.md.
timing() { printf '{"step":"%s","ms":%s}\n' "$1" "$2" >>"$WORK/timings.jsonl"; }

# The box is rebuilt whenever its recipe changes: the cache folder is named by the recipe's hash.
box_key() { cat "$HERE/box/build-box.sh" "$HERE/box/box-vagrantfile.rb" | sha256sum | cut -c1-16; }
box_dir() { echo "$CACHE/$(box_key)"; }

cmd_install() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    log "packages: all ${#PACKAGES[@]} installed"
    return
  fi
  log "packages: installing ${missing[*]}"
  # policy-rc.d exit 101: the packages' maintainer scripts must not start host-wide daemons (libvirtd,
  # virtlogd); the lane runs its own, tracked by pidfile.
  local made_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } || rc=$?
  if ((made_policy)); then rm -f /usr/sbin/policy-rc.d; fi
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (exit $rc); fix apt (apt-get update) and run again" 2
}

cmd_box() {
  local dir t0
  dir=$(box_dir)
  if [[ -f "$dir/complete" ]]; then
    log "box: cached in $dir (recipe hash $(box_key))"
  else
    log "box: building in $dir (recipe hash $(box_key); ~2 min)"
    install -d -m 755 "$CACHE"
    rm -rf "$dir"
    t0=$(now_ms)
    bash "$HERE/box/build-box.sh" "$dir"
    touch "$dir/complete" # written last: an interrupted build is rebuilt, never used
    timing box-build-cold $(($(now_ms) - t0))
    # Boxes of older recipes are of no use any more.
    find "$CACHE" -mindepth 1 -maxdepth 1 -type d ! -name "$(basename "$dir")" -exec rm -rf {} +
  fi
  export VAGRANT_HOME="$dir/vagrant.d"
  if ! vagrant box list 2>/dev/null | grep -q "^$BOX_NAME "; then
    t0=$(now_ms)
    vagrant box add --force --name "$BOX_NAME" "$dir/box.tar" >&2
    timing box-add $(($(now_ms) - t0))
  fi
}

# Guests may reach each other, the host and libvirt's DHCP/DNS, nothing else: dropped before routing.
# (Belt and braces: the box's apt sources already point at the guest's own loopback.)
egress_block() {
  iptables -t raw -N "$EGRESS_CHAIN" 2>/dev/null || iptables -t raw -F "$EGRESS_CHAIN"
  local dst
  for dst in "$MGMT_NET" "$LAB_NET" 255.255.255.255/32 224.0.0.0/4; do
    iptables -t raw -A "$EGRESS_CHAIN" -d "$dst" -j RETURN
  done
  iptables -t raw -A "$EGRESS_CHAIN" -j DROP
  iptables -t raw -C PREROUTING -s "$MGMT_NET" -j "$EGRESS_CHAIN" 2>/dev/null ||
    iptables -t raw -I PREROUTING -s "$MGMT_NET" -j "$EGRESS_CHAIN"
}

# The accounts libvirt's qemu driver runs guests as: Debian builds it with user and group libvirt-qemu
# (libvirtd refuses to start otherwise: "Failed to parse group 'libvirt-qemu'"), the user also in group kvm,
# as libvirt-daemon-system's postinst and udev create them on a desktop. The lane installs neither package,
# so on a fresh machine it creates them itself. Idempotent; what already exists is left as it is, and
# nothing is ever removed (other software may own them).
ensure_accounts() {
  local g
  for g in kvm libvirt-qemu; do
    if ! getent group "$g" >/dev/null; then
      groupadd --system "$g"
      log "accounts: created system group $g"
    fi
  done
  if ! getent passwd libvirt-qemu >/dev/null; then
    useradd --system --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin \
      --gid libvirt-qemu --groups kvm --comment 'Libvirt Qemu (labkit VM lane)' libvirt-qemu
    log "accounts: created system user libvirt-qemu (group libvirt-qemu, also in kvm)"
  elif ! id -nG libvirt-qemu | tr ' ' '\n' | grep -qx kvm; then
    usermod --append --groups kvm libvirt-qemu
    log "accounts: added libvirt-qemu to group kvm"
  fi
}

cmd_start() {
  mkdir -p "$WORK" /var/log/libvirt /var/run/libvirt /var/lib/libvirt/images
  if pgrep -x libvirtd >/dev/null || pgrep -x virtlogd >/dev/null; then
    die "libvirtd/virtlogd already run on this host (pids $(pgrep -x -d, 'libvirtd|virtlogd')); the lane starts and stops its own: stop them (or finish the other lane run) first" 2
  fi
  if ip -4 -o addr show | awk '{print $4}' | grep -q "^$LAB_HOST_IP/"; then
    die "$LAB_HOST_IP is already on an interface ($(ip -4 -o addr show | awk -v a="$LAB_HOST_IP/" 'index($4, a) == 1 {print $2}')): is the netns testbed or another lab up? The lane needs $LAB_NET for itself" 2
  fi
  # Host state the teardown restores or leaves alone.
  cat /proc/sys/net/ipv4/ip_forward >"$WORK/ip_forward.before"
  if [[ -e /etc/libvirt/storage/default.xml ]]; then touch "$WORK/pool.existed"; fi
  ensure_accounts
  virtlogd -d -p "$WORK/virtlogd.pid"
  libvirtd -d -p "$WORK/libvirtd.pid"
  for _ in $(seq 100); do
    if virsh -c "$CONN" version >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  virsh -c "$CONN" version >/dev/null || die "libvirtd did not answer within 20 s; see /var/log/libvirt" 3
  egress_block
  log "libvirt: libvirtd $(cat "$WORK/libvirtd.pid"), virtlogd $(cat "$WORK/virtlogd.pid")"
}

# Teardown: safe to run at any point (nothing started yet, VMs half up, daemons gone).
cmd_stop() {
  log "teardown"
  if [[ -d "$WORK/dotvagrant" && -f "$WORK/libvirtd.pid" ]] && kill -0 "$(cat "$WORK/libvirtd.pid")" 2>/dev/null; then
    # The same environment as the run (also when called alone: `lane.sh stop`).
    (cd "$(cat "$WORK/project" 2>/dev/null || echo "$PROJECT")" &&
      VAGRANT_DOTFILE_PATH="$WORK/dotvagrant" VAGRANT_HOME="$(box_dir)/vagrant.d" LAB_CONFIG="$HERE/lab.config.vm.yaml" \
        timeout 300 vagrant destroy -f >"$WORK/teardown-destroy.log" 2>&1) ||
      log "vagrant destroy failed (see $WORK/teardown-destroy.log); removing what is left with virsh"
  fi
  if virsh -c "$CONN" version >/dev/null 2>&1; then
    local d n v
    for d in $(virsh -c "$CONN" list --all --name); do
      virsh -c "$CONN" destroy "$d" >/dev/null 2>&1 || true
      virsh -c "$CONN" undefine "$d" --remove-all-storage >/dev/null 2>&1 || true
    done
    for n in $(virsh -c "$CONN" net-list --all --name); do
      virsh -c "$CONN" net-destroy "$n" >/dev/null 2>&1 || true
      virsh -c "$CONN" net-undefine "$n" >/dev/null 2>&1 || true
    done
    # The base box volume vagrant-libvirt uploaded, and any machine disk destroy did not remove.
    if virsh -c "$CONN" pool-info default >/dev/null 2>&1; then
      for v in $(virsh -c "$CONN" vol-list default | awk 'NR > 2 && $1 != "" {print $1}'); do
        virsh -c "$CONN" vol-delete --pool default "$v" >/dev/null 2>&1 || true
      done
      if [[ ! -e "$WORK/pool.existed" ]]; then
        virsh -c "$CONN" pool-destroy default >/dev/null 2>&1 || true
        virsh -c "$CONN" pool-undefine default >/dev/null 2>&1 || true
      fi
    fi
  fi
  local f pid
  for f in libvirtd virtlogd; do
    [[ -f "$WORK/$f.pid" ]] || continue
    pid=$(cat "$WORK/$f.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$WORK/$f.pid"
  done
  # libvirt leaves its (empty) LIBVIRT_* chains behind; the lane's own egress chain goes too.
  local t r ch
  for t in filter nat mangle raw; do
    iptables -t "$t" -S 2>/dev/null | grep -E -- "-j (LIBVIRT_[A-Z]+|$EGRESS_CHAIN)\$" | sed 's/^-A/-D/' |
      while read -r r; do
        # shellcheck disable=SC2086 # r is iptables' own rule text, split on purpose
        iptables -t "$t" $r
      done
    for ch in $(iptables -t "$t" -S 2>/dev/null | awk -v own="$EGRESS_CHAIN" '/^-N / && ($2 ~ /^LIBVIRT_/ || $2 == own) {print $2}'); do
      iptables -t "$t" -F "$ch"
      iptables -t "$t" -X "$ch"
    done
  done
  if [[ -f "$WORK/ip_forward.before" ]]; then
    cat "$WORK/ip_forward.before" >/proc/sys/net/ipv4/ip_forward
    rm -f "$WORK/ip_forward.before"
  fi
  rm -f "$WORK/pool.existed"
}

# The final assertion: nothing of the lane is left on the host.
cmd_leftovers() {
  local found=()
  if pgrep -x libvirtd >/dev/null; then found+=("libvirtd running (pid $(pgrep -x -d, libvirtd))"); fi
  if pgrep -x virtlogd >/dev/null; then found+=("virtlogd running (pid $(pgrep -x -d, virtlogd))"); fi
  if pgrep -f qemu-system-x86_64 >/dev/null; then found+=("qemu running (pid $(pgrep -d, -f qemu-system-x86_64))"); fi
  if pgrep -f '/var/lib/libvirt/dnsmasq/' >/dev/null; then found+=("libvirt dnsmasq running"); fi
  if iptables-save 2>/dev/null | grep -qE "LIBVIRT_|$EGRESS_CHAIN"; then found+=("iptables: $(iptables-save | grep -cE "LIBVIRT_|$EGRESS_CHAIN") LIBVIRT_/$EGRESS_CHAIN lines"); fi
  if ip -4 -o addr show | grep -q " $LAB_HOST_IP/"; then found+=("$LAB_HOST_IP still on an interface"); fi
  local f
  for f in /var/lib/libvirt/images /etc/libvirt/qemu /etc/libvirt/qemu/networks; do
    # Domain, network and volume definitions libvirt keeps on disk (virsh needs the daemon, which is gone).
    local defs
    defs=$(find "$f" -maxdepth 1 -type f \( -name '*.img' -o -name '*.xml' -o -name '*.qcow2' \) 2>/dev/null | tr '\n' ' ')
    if [[ -n "$defs" ]]; then found+=("in $f: $defs"); fi
  done
  if ((${#found[@]})); then
    printf '[vm-lane] LEFT BEHIND: %s\n' "${found[@]}" >&2
    return 1
  fi
  log "nothing left: no libvirtd/virtlogd/qemu/dnsmasq, no LIBVIRT_ iptables chain, no domain, network or volume"
}

# A copy of the project with one deliberate fault, to show the lane's checks fail when they should.
make_broken_copy() {
  local copy="$WORK/broken-project" target
  rm -rf "$copy"
  mkdir -p "$copy"
  cp -a "$PROJECT"/{Vagrantfile,package.json,tsconfig.json,src,scripts,test} "$copy/"
  ln -s "$PROJECT/node_modules" "$copy/node_modules"
  case "$1" in
    vagrantfile)
      # The VMs keep the box's hostname: lab:ssh, the SSH layer and /etc/hosts checks must notice.
      target="$copy/Vagrantfile"
      grep -q 'node.vm.hostname = n\[:name\]' "$target" || die "LABKIT_VM_BREAK=vagrantfile: anchor not found in Vagrantfile" 2
      sed -i '/node.vm.hostname = n\[:name\]/d' "$target"
      ;;
    base)
      # /etc/hosts appended to instead of written whole: the second run is no longer a no-op.
      target="$copy/scripts/provision/common.sh"
      grep -q '^write_file /etc/hosts 0644 < <($' "$target" || die "LABKIT_VM_BREAK=base: anchor not found in common.sh" 2
      sed -i 's|^write_file /etc/hosts 0644 < <($|tee -a /etc/hosts >/dev/null < <(|' "$target"
      ;;
    *) die "LABKIT_VM_BREAK must be vagrantfile or base (got '$1')" 2 ;;
  esac
  log "broken copy ($1) in $copy"
  echo "$copy"
}

finish() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  local t0
  t0=$(now_ms)
  cmd_stop
  timing teardown $(($(now_ms) - t0))
  if ! cmd_leftovers; then
    log "FAILED: the lane left things behind (listed above)"
    ((rc != 0)) || rc=1
  fi
  timing lane-total $(($(now_ms) - LANE_T0))
  if ((rc == 0)); then log "PASSED in $((($(now_ms) - LANE_T0) / 1000)) s"; else log "FAILED (exit $rc); logs in $WORK"; fi
  exit "$rc"
}

cmd_run() {
  LANE_T0=$(now_ms)
  [[ "$(id -u)" == 0 ]] || die "the VM lane needs root (libvirt, iptables, debootstrap)" 2
  if [[ -f "$WORK/libvirtd.pid" ]] && kill -0 "$(cat "$WORK/libvirtd.pid")" 2>/dev/null; then
    die "a lane's libvirtd still runs (pid $(cat "$WORK/libvirtd.pid")): another run is active, or clean up with: $0 stop" 2
  fi
  rm -rf "$WORK"
  mkdir -p "$WORK"
  cmd_install
  cmd_box
  local project=$PROJECT
  if [[ -n "${LABKIT_VM_BREAK:-}" ]]; then project=$(make_broken_copy "$LABKIT_VM_BREAK"); fi
  echo "$project" >"$WORK/project"
  trap finish EXIT
  trap 'exit 130' INT TERM
  cmd_start
  export VAGRANT_HOME VAGRANT_DOTFILE_PATH="$WORK/dotvagrant" LAB_STATE_DIR="$WORK/state" \
    LAB_CONFIG="$HERE/lab.config.vm.yaml" LABKIT_VM_WORK="$WORK" CI=true
  (cd "$project" && npx tsx "$PROJECT/test/vm/checks.ts")
}

case "${1:-}" in
  run) cmd_run ;;
  install) cmd_install ;;
  box) cmd_box ;;
  start) mkdir -p "$WORK" && cmd_start ;;
  stop) cmd_stop ;;
  leftovers) cmd_leftovers ;;
  *)
    echo "usage: $0 run|install|box|start|stop|leftovers" >&2
    exit 2
    ;;
esac
