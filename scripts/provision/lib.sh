#!/usr/bin/env bash
# labkit provisioning helpers, shared by common.sh, master.sh and worker.sh. Not run on its own: the
# Vagrantfile and lab:up prepend it to each script; a script run by hand sources it from beside itself.
# shellcheck disable=SC2034 # WROTE is read by the scripts that source this file
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

# require_seconds NAME...: exit 2 naming the first variable that is set but not a whole number of seconds.
require_seconds() {
  local v
  for v in "$@"; do
    [[ "${!v:-0}" =~ ^[0-9]+$ ]] || die "$v must be a number of seconds (got '${!v}')" 2
  done
}

# provision_until_base: validates LAB_PROVISION_UNTIL and succeeds when it asks to stop after the
# base-OS phase. Empty (or unset) means every phase. The phase limit lets lab:up (`--until base`) and
# machines without internet access run the part of provisioning that needs no download.
provision_until_base() {
  case "${LAB_PROVISION_UNTIL:-}" in
    '') return 1 ;;
    base) return 0 ;;
    *) die "LAB_PROVISION_UNTIL must be 'base' or empty for every phase (got '$LAB_PROVISION_UNTIL')" 2 ;;
  esac
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
