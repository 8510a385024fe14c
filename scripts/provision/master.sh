#!/usr/bin/env bash
# labkit: initialise the control plane with kubeadm and install Calico (manifest mode). Runs as
# root on the master node after common.sh. Idempotent: skips kubeadm init when
# /etc/kubernetes/admin.conf exists and the Calico apply when the calico-node DaemonSet exists.
#
# Environment (set by the Vagrantfile):
#   LAB_NODE_NAME, LAB_NODE_IP, LAB_NODE_CIDR   this node, as for common.sh
#   LAB_POD_CIDR                                 e.g. 172.16.0.0/16 (Calico's IPv4 pool)
#   LAB_SERVICE_CIDR                             e.g. 172.17.0.0/16
#   LAB_K8S_VERSION                              full patch version, e.g. 1.33.5
#   LAB_CALICO_VERSION                           e.g. v3.30.3
#   LAB_CALICO_IPIP_MODE                         Always | CrossSubnet | Never
#   LAB_ROOT                                     (tests only) prefix for every file path
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

require_vars LAB_NODE_NAME LAB_NODE_IP LAB_NODE_CIDR LAB_POD_CIDR LAB_SERVICE_CIDR LAB_K8S_VERSION \
  LAB_CALICO_VERSION LAB_CALICO_IPIP_MODE
valid_ipv4 "$LAB_NODE_IP" || die "LAB_NODE_IP must be an IPv4 address (got '$LAB_NODE_IP')" 2
for var in LAB_NODE_CIDR LAB_POD_CIDR LAB_SERVICE_CIDR; do
  valid_cidr "${!var}" || die "$var must be an IPv4 CIDR (got '${!var}')" 2
done
ip_in_cidr "$LAB_NODE_IP" "$LAB_NODE_CIDR" || die "LAB_NODE_IP $LAB_NODE_IP is not inside LAB_NODE_CIDR $LAB_NODE_CIDR" 2
[[ "$LAB_K8S_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  die "LAB_K8S_VERSION must be a full patch version like 1.33.5 (got '$LAB_K8S_VERSION')" 2
[[ "$LAB_CALICO_VERSION" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  die "LAB_CALICO_VERSION must look like v3.30.3 (got '$LAB_CALICO_VERSION')" 2
case "$LAB_CALICO_IPIP_MODE" in
  Always | CrossSubnet | Never) ;;
  *) die "LAB_CALICO_IPIP_MODE must be Always, CrossSubnet or Never (got '$LAB_CALICO_IPIP_MODE')" 2 ;;
esac
require_root

ADMIN_CONF="$LAB_ROOT/etc/kubernetes/admin.conf"
CRI_SOCKET=unix:///run/containerd/containerd.sock
CALICO_URL="https://raw.githubusercontent.com/projectcalico/calico/${LAB_CALICO_VERSION}/manifests/calico.yaml"
CALICO_DIR=/var/lib/labkit
CALICO_STOCK="$CALICO_DIR/calico-${LAB_CALICO_VERSION}.yaml"
CALICO_RENDERED="$CALICO_DIR/calico-${LAB_CALICO_VERSION}-labkit.yaml"

command -v kubeadm >/dev/null 2>&1 || die "kubeadm is not installed: run common.sh on $LAB_NODE_NAME first" 1
ensure_kubelet_node_ip

# --- kubeadm init -------------------------------------------------------------------------------
if [[ -f "$ADMIN_CONF" ]]; then
  log init "control plane already initialised (/etc/kubernetes/admin.conf exists); skipping kubeadm init"
else
  log init "kubeadm init v$LAB_K8S_VERSION: advertise $LAB_NODE_IP, pods $LAB_POD_CIDR, services $LAB_SERVICE_CIDR"
  # --kubernetes-version pins the control-plane images to the installed packages (without it
  # kubeadm asks dl.k8s.io for the latest stable-1.x patch); --cri-socket avoids auto-detection.
  kubeadm init \
    --apiserver-advertise-address="$LAB_NODE_IP" \
    --pod-network-cidr="$LAB_POD_CIDR" \
    --service-cidr="$LAB_SERVICE_CIDR" \
    --node-name "$LAB_NODE_NAME" \
    --kubernetes-version "v$LAB_K8S_VERSION" \
    --cri-socket "$CRI_SOCKET"
  [[ -f "$ADMIN_CONF" ]] || die "kubeadm init finished but /etc/kubernetes/admin.conf is missing" 1
fi

# --- kubeconfig for the vagrant user --------------------------------------------------------------
if id -u vagrant >/dev/null 2>&1; then
  write_file /home/vagrant/.kube/config 0600 <"$ADMIN_CONF"
  if ((WROTE)); then
    chown vagrant:vagrant "$LAB_ROOT/home/vagrant/.kube" "$LAB_ROOT/home/vagrant/.kube/config"
    log kubeconfig "admin.conf copied to ~vagrant/.kube/config"
  else
    log kubeconfig "~vagrant/.kube/config already up to date"
  fi
else
  log kubeconfig "no user vagrant; skipping ~vagrant/.kube/config"
fi

kc() { kubectl --kubeconfig "$ADMIN_CONF" "$@"; }

# --- Calico (manifest mode) ----------------------------------------------------------------------
# render_calico < stock > rendered: sets three env vars of the calico-node container. The stock
# manifest has CALICO_IPV4POOL_IPIP (value "Always") and CALICO_IPV4POOL_CIDR only commented out;
# IP_AUTODETECTION_METHOD is absent. Each var is replaced where it exists uncommented, otherwise
# added right after CALICO_IPV4POOL_IPIP, at the same indentation (YAML list items of env:).
# Exit 3 when the anchor is not found exactly once or is not followed by its value line.
render_calico() {
  awk -v ipip="$LAB_CALICO_IPIP_MODE" -v pool="$LAB_POD_CIDR" -v detect="cidr=$LAB_NODE_CIDR" '
    function setvar(name) { return (name == "CALICO_IPV4POOL_IPIP") ? ipip : (name == "CALICO_IPV4POOL_CIDR") ? pool : detect }
    function isvar(line,   n) {
      for (n in vars) if (line ~ ("^[[:space:]]*- name: " n "[[:space:]]*$")) return n
      return ""
    }
    BEGIN {
      order[1] = "CALICO_IPV4POOL_IPIP"; order[2] = "CALICO_IPV4POOL_CIDR"; order[3] = "IP_AUTODETECTION_METHOD"
      for (i = 1; i <= 3; i++) vars[order[i]]
    }
    NR == FNR { n = isvar($0); if (n != "") { seen[n]++ } next }
    pending != "" {
      if ($0 !~ /^[[:space:]]*value:/) { bad = 1 }
      print pad "  value: \"" setvar(pending) "\""
      if (pending == "CALICO_IPV4POOL_IPIP") {
        for (i = 1; i <= 3; i++) if (!(order[i] in seen)) {
          m = order[i]
          print pad "- name: " m
          print pad "  value: \"" setvar(m) "\""
        }
      }
      pending = ""; next
    }
    {
      n = isvar($0)
      if (n != "") { match($0, /^[[:space:]]*/); pad = substr($0, 1, RLENGTH); pending = n }
      print
    }
    END {
      if (seen["CALICO_IPV4POOL_IPIP"] != 1 || seen["CALICO_IPV4POOL_CIDR"] > 1 || seen["IP_AUTODETECTION_METHOD"] > 1 || bad) exit 3
    }' "$1" "$1"
}

calico_env() {
  kc -n kube-system get daemonset calico-node \
    -o 'jsonpath={range .spec.template.spec.containers[?(@.name=="calico-node")].env[*]}{.name}={.value}{"\n"}{end}'
}

if kc -n kube-system get daemonset calico-node >/dev/null 2>&1; then
  log calico "calico-node DaemonSet already exists; skipping apply"
else
  if [[ ! -s "$LAB_ROOT$CALICO_STOCK" ]]; then
    log calico "downloading $CALICO_URL"
    mkdir -p "$LAB_ROOT$CALICO_DIR"
    curl -fsSL --retry 5 -o "$LAB_ROOT$CALICO_STOCK.part" "$CALICO_URL"
    mv -f "$LAB_ROOT$CALICO_STOCK.part" "$LAB_ROOT$CALICO_STOCK"
  fi
  rendered="$(render_calico "$LAB_ROOT$CALICO_STOCK")" ||
    die "cannot set the Calico pool in $CALICO_STOCK: expected exactly one calico-node env entry CALICO_IPV4POOL_IPIP followed by its value (has the manifest layout changed?)" 1
  write_file "$CALICO_RENDERED" 0644 <<<"$rendered"
  log calico "applying Calico $LAB_CALICO_VERSION: pool $LAB_POD_CIDR, IPIP $LAB_CALICO_IPIP_MODE, autodetect cidr=$LAB_NODE_CIDR"
  # Server-side apply: no last-applied annotation, so Calico's large CRDs cannot exceed the
  # 256 KiB annotation limit, and a re-apply after a partial failure is safe.
  kc apply --server-side --force-conflicts -f "$LAB_ROOT$CALICO_RENDERED"
fi

# Verify what the API server holds, whichever run applied it: pool settings only take effect when
# calico-node creates the default pool, so a mismatch cannot be fixed by re-applying.
env_now="$(calico_env)"
for want in "CALICO_IPV4POOL_CIDR=$LAB_POD_CIDR" "CALICO_IPV4POOL_IPIP=$LAB_CALICO_IPIP_MODE" \
  "IP_AUTODETECTION_METHOD=cidr=$LAB_NODE_CIDR"; do
  grep -qxF "$want" <<<"$env_now" ||
    die "calico-node does not have $want (it has: $(tr '\n' ' ' <<<"$env_now")). The IP pool is created once; recreate the cluster (vagrant destroy) to change it." 1
done
log calico "calico-node env verified"
log master "$LAB_NODE_NAME ready for workers (lab:up runs 'kubeadm token create --print-join-command' here)"
