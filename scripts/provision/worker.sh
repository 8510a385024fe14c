#!/usr/bin/env bash
# labkit: join one worker to the cluster. lab:up runs it as root over SSH after common.sh, with
# join values it has just obtained from `kubeadm token create --print-join-command` on the master
# (tokens expire after 24 h, so no join command is ever stored). Idempotent: skips the join when
# /etc/kubernetes/kubelet.conf exists.
#
# Environment:
#   LAB_NODE_NAME, LAB_NODE_IP   this node
#   LAB_JOIN_ENDPOINT            API server host:port, e.g. 192.168.56.10:6443
#   LAB_JOIN_TOKEN               bootstrap token (a secret: never printed, never traced)
#   LAB_JOIN_CA_HASH             sha256:<64 hex> of the cluster CA public key
#   LAB_ROOT                     (tests only) prefix for every file path
set +x # the join token must never reach a trace, even under `bash -x worker.sh`
set -euo pipefail

# --- labkit helpers: keep this block identical in common.sh, master.sh and worker.sh -----------
# (each script is uploaded and run on its own, so it cannot source a sibling file; a unit test
# checks that the three copies stay identical)
LAB_ROOT="${LAB_ROOT:-}"
WROTE=0

log() { printf '[labkit] %s: %s\n' "$1" "$2"; }

die() {
  printf '[labkit] error: %s\n' "$1" >&2
  exit "${2:-1}"
}

# require_vars NAME...: exit 2 naming the first variable that is unset or empty.
require_vars() {
  local v
  for v in "$@"; do
    [[ -n "${!v:-}" ]] || die "missing required variable $v" 2
  done
}

require_root() {
  if [[ -z "$LAB_ROOT" && "$(id -u)" != "0" ]]; then
    die "must run as root (it configures the whole machine)" 1
  fi
}

valid_ipv4() {
  local ip="$1" o
  [[ "$ip" =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  for o in "${BASH_REMATCH[@]:1}"; do
    ((10#$o <= 255)) || return 1
  done
}

valid_cidr() {
  [[ "$1" == */* ]] || return 1
  valid_ipv4 "${1%/*}" || return 1
  [[ "${1#*/}" =~ ^[0-9]{1,2}$ ]] && ((10#${1#*/} <= 32))
}

ip_to_int() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  printf '%s\n' "$(((10#$a << 24) + (10#$b << 16) + (10#$c << 8) + 10#$d))"
}

# ip_in_cidr IP CIDR
ip_in_cidr() {
  local ip net bits mask
  ip="$(ip_to_int "$1")"
  net="$(ip_to_int "${2%/*}")"
  bits="${2#*/}"
  mask=$(((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF))
  (((ip & mask) == (net & mask)))
}

# write_file PATH MODE < content: writes $LAB_ROOT$PATH whole (temp file + rename), and only when
# the content differs. Sets WROTE=1 when it wrote, WROTE=0 when the file was already right.
# Feed it with a redirection (<<<, <<EOF, < <(cmd)), never a pipe: a pipe would run it in a
# subshell and lose WROTE.
write_file() {
  local dest="$LAB_ROOT$1" mode="$2" tmp
  mkdir -p "$(dirname "$dest")"
  tmp="$(mktemp "$dest.labkit.XXXXXX")"
  cat >"$tmp"
  if [[ -f "$dest" ]] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    WROTE=0
    return 0
  fi
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$dest"
  WROTE=1
}

# ensure_kubelet_node_ip: the kubelet must register the private-network address, not the NAT
# address (10.0.2.15 on every VirtualBox VM). Finds the interface carrying LAB_NODE_IP and writes
# KUBELET_EXTRA_ARGS=--node-ip=<ip> to /etc/default/kubelet (read by kubeadm's kubelet drop-in).
ensure_kubelet_node_ip() {
  local addrs iface
  addrs="$(ip -o -4 addr show)"
  iface="$(awk -v want="$LAB_NODE_IP" '{ split($4, a, "/"); if (a[1] == want) { print $2; exit } }' <<<"$addrs")"
  if [[ -z "$iface" ]]; then
    die "no network interface carries LAB_NODE_IP=$LAB_NODE_IP on $LAB_NODE_NAME (ip -o -4 addr show lists: $(awk '{ printf "%s%s=%s", sep, $2, $4; sep = ", " }' <<<"$addrs")). Check the private_network ip in the Vagrantfile and that the box brings the interface up." 1
  fi
  write_file /etc/default/kubelet 0644 <<<"KUBELET_EXTRA_ARGS=--node-ip=$LAB_NODE_IP"
  if ((WROTE)); then
    log kubelet "node IP $LAB_NODE_IP (interface $iface) written to /etc/default/kubelet"
    if systemctl is-active --quiet kubelet; then
      systemctl restart kubelet
    fi
  else
    log kubelet "node IP $LAB_NODE_IP (interface $iface) already set"
  fi
}
# --- end of labkit helpers -----------------------------------------------------------------------

require_vars LAB_NODE_NAME LAB_NODE_IP LAB_JOIN_ENDPOINT LAB_JOIN_TOKEN LAB_JOIN_CA_HASH
valid_ipv4 "$LAB_NODE_IP" || die "LAB_NODE_IP must be an IPv4 address (got '$LAB_NODE_IP')" 2
[[ "$LAB_JOIN_ENDPOINT" =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] ||
  die "LAB_JOIN_ENDPOINT must be host:port (got '$LAB_JOIN_ENDPOINT')" 2
# Bootstrap token format [a-z0-9]{6}.[a-z0-9]{16}; the value itself is never shown.
[[ "$LAB_JOIN_TOKEN" =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ ]] ||
  die "LAB_JOIN_TOKEN is not a kubeadm bootstrap token (expected [a-z0-9]{6}.[a-z0-9]{16}; value not shown)" 2
[[ "$LAB_JOIN_CA_HASH" =~ ^sha256:[0-9a-f]{64}$ ]] ||
  die "LAB_JOIN_CA_HASH must be sha256:<64 hex digits> (got '$LAB_JOIN_CA_HASH')" 2
require_root

CRI_SOCKET=unix:///run/containerd/containerd.sock
command -v kubeadm >/dev/null 2>&1 || die "kubeadm is not installed: run common.sh on $LAB_NODE_NAME first" 1
ensure_kubelet_node_ip

if [[ -f "$LAB_ROOT/etc/kubernetes/kubelet.conf" ]]; then
  log join "$LAB_NODE_NAME already joined (/etc/kubernetes/kubelet.conf exists); skipping kubeadm join"
else
  log join "kubeadm join $LAB_JOIN_ENDPOINT --token <redacted> --discovery-token-ca-cert-hash $LAB_JOIN_CA_HASH --node-name $LAB_NODE_NAME"
  kubeadm join "$LAB_JOIN_ENDPOINT" \
    --token "$LAB_JOIN_TOKEN" \
    --discovery-token-ca-cert-hash "$LAB_JOIN_CA_HASH" \
    --node-name "$LAB_NODE_NAME" \
    --cri-socket "$CRI_SOCKET"
  [[ -f "$LAB_ROOT/etc/kubernetes/kubelet.conf" ]] || die "kubeadm join finished but /etc/kubernetes/kubelet.conf is missing" 1
fi
log worker "$LAB_NODE_NAME joined"
