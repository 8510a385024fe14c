#!/usr/bin/env bash
# labkit: prepare one lab node (control plane or worker) for kubeadm. Runs as root on every node,
# before master.sh / worker.sh. Idempotent: a second run changes nothing and runs no
# state-changing command. Works on Ubuntu 22.04 and Debian (both apt-based; a minimal Debian box
# has no curl/gpg/ca-certificates, so the package phase installs them). Debian 12's containerd 1.6.20
# is older than containerd supports for any current Kubernetes minor: there the package phase stops
# with a message before installing anything (the base phase still runs). See docs/provisioning.md for
# every choice and its upstream source.
#
# Two phases: base (no download: swap, kernel modules, sysctl, /etc/hosts, kubelet node IP) and
# packages (apt repositories, containerd, kubelet/kubeadm/kubectl). LAB_PROVISION_UNTIL=base stops
# after the base phase, so it also runs on a VM without internet access.
#
# Environment (set by the Vagrantfile):
#   LAB_NODE_NAME             this node's name, e.g. master-node
#   LAB_NODE_IP               this node's private-network address, e.g. 192.168.56.10
#   LAB_NODE_CIDR             the private network, e.g. 192.168.56.0/24
#   LAB_HOSTS                 space-separated ip=name pairs of all lab nodes
#   LAB_K8S_VERSION           full patch version, e.g. 1.33.5
#   LAB_K8S_PACKAGE_REVISION  pkgs.k8s.io package revision, e.g. 1.1
#   LAB_PROVISION_UNTIL       optional: 'base' stops after the base phase; empty runs every phase
#   LAB_ROOT                  (tests only) prefix for every file path; empty on a real node
set -euo pipefail

# Shared helpers (scripts/provision/lib.sh). The Vagrantfile and lab:up send lib.sh + this script as one
# script, so the functions are already defined; run by hand from a checkout, it is sourced from beside this file.
if ! declare -F write_file >/dev/null; then
  # shellcheck source=lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi

require_vars LAB_NODE_NAME LAB_NODE_IP LAB_NODE_CIDR LAB_HOSTS LAB_K8S_VERSION LAB_K8S_PACKAGE_REVISION
until_base=0
if provision_until_base; then until_base=1; fi
valid_ipv4 "$LAB_NODE_IP" || die "LAB_NODE_IP must be an IPv4 address (got '$LAB_NODE_IP')" 2
valid_cidr "$LAB_NODE_CIDR" || die "LAB_NODE_CIDR must be an IPv4 CIDR like 192.168.56.0/24 (got '$LAB_NODE_CIDR')" 2
ip_in_cidr "$LAB_NODE_IP" "$LAB_NODE_CIDR" || die "LAB_NODE_IP $LAB_NODE_IP is not inside LAB_NODE_CIDR $LAB_NODE_CIDR" 2
[[ "$LAB_K8S_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
  die "LAB_K8S_VERSION must be a full patch version like 1.33.5 (got '$LAB_K8S_VERSION')" 2
[[ "$LAB_K8S_PACKAGE_REVISION" =~ ^[0-9]+(\.[0-9]+)*$ ]] ||
  die "LAB_K8S_PACKAGE_REVISION must look like 1.1 (got '$LAB_K8S_PACKAGE_REVISION')" 2

HOSTS_LINES=""
self_listed=0
for pair in $LAB_HOSTS; do
  if ! [[ "$pair" =~ ^([0-9.]+)=([A-Za-z0-9][A-Za-z0-9.-]*)$ ]]; then
    die "LAB_HOSTS entries must be ip=name (got '$pair')" 2
  fi
  host_ip="${BASH_REMATCH[1]}"
  host_name="${BASH_REMATCH[2]}"
  valid_ipv4 "$host_ip" || die "LAB_HOSTS entry '$pair' has an invalid IPv4 address" 2
  HOSTS_LINES+="$host_ip $host_name"$'\n'
  if [[ "$host_ip" == "$LAB_NODE_IP" && "$host_name" == "$LAB_NODE_NAME" ]]; then self_listed=1; fi
done
((self_listed)) || die "LAB_HOSTS does not list this node ($LAB_NODE_IP=$LAB_NODE_NAME)" 2

require_root
export DEBIAN_FRONTEND=noninteractive

K8S_MINOR="${LAB_K8S_VERSION%.*}"
K8S_REPO="https://pkgs.k8s.io/core:/stable:/v${K8S_MINOR}/deb/"
K8S_KEYRING=/etc/apt/keyrings/kubernetes-apt-keyring.gpg
K8S_PIN="${LAB_K8S_VERSION}-${LAB_K8S_PACKAGE_REVISION}"
K8S_PACKAGES=(kubelet kubeadm kubectl)

# installed_version PKG: prints the installed version, or nothing when not installed.
installed_version() {
  local out
  out="$(dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$1" 2>/dev/null || true)"
  if [[ "$out" == "installed "* ]]; then
    printf '%s\n' "${out#installed }"
  fi
}

# --- preflight: no Docker ---------------------------------------------------------------------
found=""
for bin in docker dockerd; do
  if command -v "$bin" >/dev/null 2>&1; then found+=" $bin"; fi
done
for pkg in docker.io docker-ce moby-engine; do
  if [[ -n "$(installed_version "$pkg")" ]]; then found+=" package:$pkg"; fi
done
if [[ -n "$found" ]]; then
  die "Docker is installed on $LAB_NODE_NAME (found:$found). labkit refuses to continue: docker0 takes 172.17.0.1/16, inside the lab's service CIDR, and the lab uses containerd only. Use a fresh box, or remove Docker (apt-get purge docker.io docker-ce moby-engine; ip link delete docker0) and provision again." 1
fi
log preflight "$LAB_NODE_NAME ($LAB_NODE_IP): no Docker, Kubernetes $K8S_PIN"

# --- swap -------------------------------------------------------------------------------------
if [[ -r "$LAB_ROOT/proc/swaps" ]] && awk 'NR > 1 { found = 1 } END { exit !found }' "$LAB_ROOT/proc/swaps"; then
  log swap "turning swap off"
  swapoff -a
else
  log swap "already off"
fi
if [[ -f "$LAB_ROOT/etc/fstab" ]]; then
  write_file /etc/fstab 0644 < <(awk '!/^[[:space:]]*#/ && $3 == "swap" { print "# disabled by labkit (kubelet needs swap off): " $0; next } { print }' "$LAB_ROOT/etc/fstab")
  if ((WROTE)); then log swap "swap entries commented out in /etc/fstab"; fi
fi

# --- kernel modules and sysctl ----------------------------------------------------------------
write_file /etc/modules-load.d/k8s.conf 0644 <<'MODULES'
# written by labkit: modules containerd and kube-proxy/Calico need
overlay
br_netfilter
MODULES
for mod in overlay br_netfilter; do
  if [[ ! -d "$LAB_ROOT/sys/module/$mod" ]]; then
    log kernel "loading module $mod"
    modprobe "$mod"
  fi
done
log kernel "modules overlay, br_netfilter loaded and persisted"

write_file /etc/sysctl.d/k8s.conf 0644 <<'SYSCTL'
# written by labkit: bridged pod traffic must pass iptables, and nodes must forward packets
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
SYSCTL
sysctl_stale=$WROTE
for key in net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables net/ipv4/ip_forward; do
  if [[ "$(cat "$LAB_ROOT/proc/sys/$key" 2>/dev/null || true)" != "1" ]]; then sysctl_stale=1; fi
done
if ((sysctl_stale)); then
  log sysctl "applying /etc/sysctl.d/k8s.conf"
  sysctl --system >/dev/null
else
  log sysctl "already applied"
fi

# --- /etc/hosts ---------------------------------------------------------------------------------
# Written whole: a re-run never appends duplicates, and no stale 127.0.x.1 line maps this node's
# name to a loopback address.
write_file /etc/hosts 0644 < <(
  printf '# written by labkit (scripts/provision/common.sh); rewritten whole on every provision\n'
  printf '127.0.0.1 localhost\n'
  printf '::1 localhost ip6-localhost ip6-loopback\n'
  printf 'ff02::1 ip6-allnodes\n'
  printf 'ff02::2 ip6-allrouters\n'
  printf '%s' "$HOSTS_LINES"
)
log hosts "$(printf '%s' "$HOSTS_LINES" | wc -l | tr -d ' ') lab nodes in /etc/hosts"

# --- kubelet node IP --------------------------------------------------------------------------
# Part of the base phase: it only reads `ip -o -4 addr` and writes /etc/default/kubelet, so a VM
# without internet access gets it too. The kubelet package ships /etc/default/kubelet as a conffile,
# so the package install below keeps this file (--force-confold) instead of prompting.
ensure_kubelet_node_ip

if ((until_base)); then
  log common "$LAB_NODE_NAME: base phase done; stopping here (LAB_PROVISION_UNTIL=base, no package step)"
  exit 0
fi

# --- packages: containerd (distribution) and pinned kubelet/kubeadm/kubectl (pkgs.k8s.io) ---------
apt_updated=0
apt_update() {
  if ((!apt_updated)); then
    apt-get update -q
    apt_updated=1
  fi
}

# containerd_minimums K8S_MINOR: the lowest containerd patch of each release line that containerd's
# "Kubernetes Support" table recommends for that Kubernetes minor, newest line first; nothing for a minor
# the table does not list. Source: https://github.com/containerd/containerd/blob/main/RELEASES.md#kubernetes-support
# (1.29-1.31 from the table's earlier revisions; rows leave it when their Kubernetes release goes EOL).
containerd_minimums() {
  case "$1" in
    1.29) echo "1.7.11 1.6.27" ;;
    1.30) echo "2.1.0 2.0.0 1.7.13 1.6.28" ;;
    1.31) echo "2.1.0 2.0.0 1.7.20 1.6.34" ;;
    1.32) echo "2.1.0 2.0.1 1.7.24 1.6.36" ;;
    1.33) echo "2.1.0 2.0.4 1.7.24 1.6.36" ;;
    1.34) echo "2.1.3 2.0.6 1.7.28 1.6.39" ;;
    1.35) echo "2.2.0 2.1.5 1.7.28" ;;
    1.36) echo "2.3.0 2.2.0" ;;
  esac
}

# containerd_supported VERSION MINIMUMS...: VERSION is an upstream version (1.7.24, 1.7.24~rc1).
# Supported when it is at least the minimum of its own release line, or at least the newest listed
# minimum (a newer line than the table knows: containerd keeps CRI v1 and any supported release may
# receive fixes for any Kubernetes). Compared with dpkg's rules, so 1.7.24~rc1 is older than 1.7.24.
containerd_supported() {
  local v="$1" m
  shift
  dpkg --compare-versions "$v" ge "$1" && return 0
  for m in "$@"; do
    [[ "$(release_line "$v")" == "$(release_line "$m")" ]] && dpkg --compare-versions "$v" ge "$m" && return 0
  done
  return 1
}
release_line() { [[ "$1" =~ ^([0-9]+\.[0-9]+) ]] && printf '%s\n' "${BASH_REMATCH[1]}"; }

# The kubelet needs a containerd that containerd's own matrix supports for this Kubernetes minor. Checked
# first, before anything is installed: the installed package, else the version apt would install. The
# log line comes first so that a failure here (also apt-get update's own) is reported as step packages.
log packages "checking containerd against Kubernetes $K8S_MINOR (containerd's support matrix)"
containerd_pkg="$(installed_version containerd)"
containerd_what="installed"
if [[ -z "$containerd_pkg" ]]; then
  apt_update
  # awk reads all input (no early exit): with pipefail, a writer killed by SIGPIPE would fail the line.
  containerd_pkg="$(LC_ALL=C apt-cache policy containerd | awk '$1 == "Candidate:" && !seen { print $2; seen = 1 }')"
  containerd_what="the version apt would install"
  if [[ -z "$containerd_pkg" || "$containerd_pkg" == "(none)" ]]; then
    die "apt offers no containerd package on $LAB_NODE_NAME (apt-cache policy containerd has no candidate). Check the box's apt sources (Ubuntu: universe and jammy-updates), then provision again." 1
  fi
fi
# Package versions carry an epoch, a repack suffix and a revision (1:1.6.20~ds1-1+deb12u3,
# 2.3.4+dfsg1-0ubuntu2): the upstream version is what the table lists.
containerd_version="${containerd_pkg#*:}"
containerd_version="${containerd_version%-*}"
if [[ "$containerd_version" =~ ^(.*)[~+](ds|dfsg)[0-9]*$ ]]; then containerd_version="${BASH_REMATCH[1]}"; fi
[[ "$containerd_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] ||
  die "cannot read a containerd version from package version '$containerd_pkg'" 1
read -r -a containerd_min <<<"$(containerd_minimums "$K8S_MINOR")"
if ((${#containerd_min[@]} == 0)); then
  log packages "warning: no containerd support data for Kubernetes $K8S_MINOR in common.sh (containerd $containerd_pkg not checked); add the row from containerd's RELEASES.md"
elif containerd_supported "$containerd_version" "${containerd_min[@]}"; then
  log packages "containerd $containerd_pkg ($containerd_what) is supported for Kubernetes $K8S_MINOR"
else
  if [[ "$containerd_what" == installed ]]; then
    fix="Upgrade containerd on $LAB_NODE_NAME to a supported version, or start from a fresh box."
  else
    fix="Nothing has been installed."
  fi
  die "containerd $containerd_pkg ($containerd_what on $LAB_NODE_NAME) is too old for Kubernetes $K8S_MINOR: containerd's support matrix (RELEASES.md, Kubernetes Support) needs $(printf '%s+ ' "${containerd_min[@]}")(same release line, or a newer line). Debian 12 ships 1.6.20, which no Kubernetes release in the table accepts. Use the default box bento/ubuntu-22.04 (containerd from jammy-updates), or a distribution whose containerd package is new enough (Debian 13: 1.7.24), then provision again. $fix" 1
fi

# ca-certificates, curl, gpg: needed to add pkgs.k8s.io; a minimal Debian 12 box has none of them.
# iptables, conntrack: tools kubeadm's preflight requires on PATH (iptables always, conntrack before
# Kubernetes 1.32); the kubelet package only recommends iptables and a box may skip recommends.
# socat, ebtables, ethtool: preflight only warns without them (socat serves `kubectl port-forward`), but
# the packages are small and a clean preflight is worth it. apt-transport-https is a transitional dummy
# package on Ubuntu 22.04 and Debian 12 (apt speaks https itself), so it is not installed.
missing=()
for pkg in ca-certificates curl gpg iptables conntrack socat ebtables ethtool; do
  [[ -n "$(installed_version "$pkg")" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log packages "installing prerequisites: ${missing[*]}"
  apt_update
  apt-get install -y -q "${missing[@]}"
fi

if [[ ! -s "$LAB_ROOT$K8S_KEYRING" ]]; then
  log packages "adding the pkgs.k8s.io signing key for v$K8S_MINOR"
  mkdir -p "$LAB_ROOT/etc/apt/keyrings"
  chmod 755 "$LAB_ROOT/etc/apt/keyrings"
  curl -fsSL --retry 5 "${K8S_REPO}Release.key" | gpg --batch --yes --dearmor -o "$LAB_ROOT$K8S_KEYRING"
  chmod 644 "$LAB_ROOT$K8S_KEYRING"
fi
write_file /etc/apt/sources.list.d/kubernetes.list 0644 <<<"deb [signed-by=$K8S_KEYRING] $K8S_REPO /"
if ((WROTE)); then
  log packages "repository $K8S_REPO"
  apt_updated=0
fi

install=()
[[ -n "$(installed_version containerd)" ]] || install+=(containerd)
# cri-tools (crictl, which /etc/crictl.yaml below configures): kubeadm >= 1.32 no longer depends on it.
# pkgs.k8s.io versions it as crictl's own release (1.33.0-1.1 in the v1.33 repository), not as the
# Kubernetes patch, so the pin is the newest x.y.* of our minor that this repository offers.
if [[ "$(installed_version cri-tools)" != "$K8S_MINOR".* ]]; then
  apt_update
  cri_tools_pin="$(LC_ALL=C apt-cache madison cri-tools |
    awk -v repo="${K8S_REPO%/}" -v minor="$K8S_MINOR." '$5 == repo && index($3, minor) == 1 && !seen { print $3; seen = 1 }')"
  [[ -n "$cri_tools_pin" ]] ||
    die "pkgs.k8s.io ($K8S_REPO) offers no cri-tools $K8S_MINOR.x (apt-cache madison cri-tools); check the repository and apt-get update output above" 1
  install+=("cri-tools=$cri_tools_pin")
fi
for pkg in "${K8S_PACKAGES[@]}"; do
  [[ "$(installed_version "$pkg")" == "$K8S_PIN" ]] || install+=("$pkg=$K8S_PIN")
done
if ((${#install[@]})); then
  log packages "installing ${install[*]}"
  apt_update
  # --allow-change-held-packages: a re-provision to a new pinned version must move held packages.
  # --force-confdef/--force-confold: keep /etc/default/kubelet (written above, a conffile of the
  # kubelet package) instead of stopping at dpkg's "modified configuration file" prompt.
  apt-get install -y -q --allow-change-held-packages \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${install[@]}"
else
  log packages "containerd, cri-tools and kubelet/kubeadm/kubectl $K8S_PIN already installed"
fi

held="$(apt-mark showhold)"
to_hold=()
for pkg in "${K8S_PACKAGES[@]}"; do
  grep -qx "$pkg" <<<"$held" || to_hold+=("$pkg")
done
if ((${#to_hold[@]})); then
  log packages "holding ${to_hold[*]}"
  apt-mark hold "${to_hold[@]}" >/dev/null
fi

# --- containerd ---------------------------------------------------------------------------------
# toml_set SECTION KEY VALUE < config: sets KEY = VALUE inside [SECTION] (replacing the key, or
# adding it when the default config omits it). Exit 3 when the section does not exist.
toml_set() {
  awk -v sect="$1" -v key="$2" -v val="$3" '
    function addmissing() { if (insec && !done) { print indent key " = " val; done = 1 } }
    function flushblank() { for (; blanks > 0; blanks--) print "" }
    /^[[:space:]]*$/ { blanks++; next }
    /^[[:space:]]*\[/ {
      hdr = $0; sub(/^[[:space:]]+/, "", hdr); sub(/[[:space:]]+$/, "", hdr)
      addmissing()
      flushblank()
      insec = (hdr == "[" sect "]")
      if (insec) { found = 1; match($0, /^[[:space:]]*/); indent = substr($0, 1, RLENGTH) "  " }
      print; next
    }
    { flushblank() }
    insec {
      line = $0; sub(/^[[:space:]]+/, "", line)
      if (index(line, key " ") == 1 || index(line, key "=") == 1) {
        match($0, /^[[:space:]]*/); print substr($0, 1, RLENGTH) key " = " val; done = 1; next
      }
    }
    { print }
    END { addmissing(); flushblank(); if (!found) exit 3 }'
}

# toml_has SECTION KEY < config: succeeds when KEY is set inside [SECTION].
toml_has() {
  awk -v sect="$1" -v key="$2" '
    /^[[:space:]]*\[/ { hdr = $0; sub(/^[[:space:]]+/, "", hdr); sub(/[[:space:]]+$/, "", hdr); insec = (hdr == "[" sect "]"); next }
    insec { line = $0; sub(/^[[:space:]]+/, "", line); if (index(line, key " ") == 1 || index(line, key "=") == 1) found = 1 }
    END { exit !found }'
}

pause_image="$(kubeadm config images list --kubernetes-version "v$LAB_K8S_VERSION" 2>/dev/null | grep -E '/pause:' | head -n 1 || true)"
[[ -n "$pause_image" ]] || die "kubeadm config images list did not name a pause image for v$LAB_K8S_VERSION" 1
default_config="$(containerd config default)"
# CNI directories are set explicitly: the default bin dir is whatever this containerd build prints
# (/opt/cni/bin upstream, /usr/lib/cni in Debian's packaging), and Calico's install-cni and the
# kubernetes-cni package both put the plugins in /opt/cni/bin.
CNI_BIN_DIR=/opt/cni/bin
CNI_CONF_DIR=/etc/cni/net.d
if grep -Eq '^version[[:space:]]*=[[:space:]]*3' <<<"$default_config"; then
  # containerd 2.x, config version 3
  runc_section="plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options"
  sandbox_section="plugins.'io.containerd.cri.v1.images'.pinned_images"
  sandbox_key=sandbox
  cni_section="plugins.'io.containerd.cri.v1.runtime'.cni"
  # 2.0 has bin_dir (a string); 2.1+ prints bin_dirs (a list), deprecates bin_dir and refuses both at once.
  if toml_has "$cni_section" bin_dirs <<<"$default_config"; then
    cni_bin_key=bin_dirs
    cni_bin_value="[\"$CNI_BIN_DIR\"]"
  else
    cni_bin_key=bin_dir
    cni_bin_value="\"$CNI_BIN_DIR\""
  fi
else
  # containerd 1.x, config version 2
  runc_section='plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options'
  sandbox_section='plugins."io.containerd.grpc.v1.cri"'
  sandbox_key=sandbox_image
  cni_section='plugins."io.containerd.grpc.v1.cri".cni'
  cni_bin_key=bin_dir
  cni_bin_value="\"$CNI_BIN_DIR\""
fi
config="$(toml_set "$runc_section" SystemdCgroup true <<<"$default_config")" ||
  die "containerd config default has no [$runc_section] section: unknown containerd config layout" 1
config="$(toml_set "$sandbox_section" "$sandbox_key" "\"$pause_image\"" <<<"$config")" ||
  die "containerd config default has no [$sandbox_section] section: unknown containerd config layout" 1
config="$(toml_set "$cni_section" "$cni_bin_key" "$cni_bin_value" <<<"$config")" ||
  die "containerd config default has no [$cni_section] section: unknown containerd config layout" 1
config="$(toml_set "$cni_section" conf_dir "\"$CNI_CONF_DIR\"" <<<"$config")" ||
  die "containerd config default has no [$cni_section] section: unknown containerd config layout" 1
write_file /etc/containerd/config.toml 0644 <<<"$config"
if ((WROTE)); then
  log containerd "config.toml written (SystemdCgroup = true, sandbox $pause_image, CNI $CNI_BIN_DIR and $CNI_CONF_DIR); restarting containerd"
  systemctl restart containerd
else
  log containerd "config.toml already up to date"
fi
if [[ "$(systemctl is-enabled containerd 2>/dev/null || true)" != "enabled" ]]; then
  systemctl enable --now containerd
fi
write_file /etc/crictl.yaml 0644 <<'CRICTL'
runtime-endpoint: unix:///run/containerd/containerd.sock
image-endpoint: unix:///run/containerd/containerd.sock
timeout: 10
CRICTL

# --- kubelet ----------------------------------------------------------------------------------
if [[ "$(systemctl is-enabled kubelet 2>/dev/null || true)" != "enabled" ]]; then
  log kubelet "enabling kubelet (it restarts in a loop until kubeadm init/join configures it)"
  systemctl enable --now kubelet
fi
log common "$LAB_NODE_NAME prepared"
