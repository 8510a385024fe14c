#!/usr/bin/env bash
# labkit: initialise the control plane with kubeadm and install Calico (manifest mode). Runs as
# root on the master node after common.sh. Idempotent: skips kubeadm init when a previous init
# finished (admin.conf exists and the API server answers /readyz), resets and re-runs an init that
# stopped midway, and skips the Calico apply when the calico-node DaemonSet exists.
#
# Environment (set by the Vagrantfile):
#   LAB_NODE_NAME, LAB_NODE_IP, LAB_NODE_CIDR   this node, as for common.sh
#   LAB_POD_CIDR                                 e.g. 172.16.0.0/16 (Calico's IPv4 pool)
#   LAB_SERVICE_CIDR                             e.g. 172.17.0.0/16
#   LAB_K8S_VERSION                              full patch version, e.g. 1.33.5
#   LAB_CALICO_VERSION                           e.g. v3.30.3
#   LAB_CALICO_IPIP_MODE                         Always | CrossSubnet | Never
#   LAB_CALICO_REGISTRY                          registry host[:port][/path] Calico's images are pulled
#                                                from instead of docker.io, e.g. quay.io
#   LAB_APISERVER_WAIT_SECONDS                   optional (tests): how long to wait for /readyz (240)
#   LAB_APISERVER_POLL_SECONDS                   optional (tests): seconds between /readyz tries (5)
#   LAB_PROVISION_UNTIL                          optional: 'base' exits 0 at once (nothing here is base)
#   LAB_ROOT                                     (tests only) prefix for every file path
set -euo pipefail

# Shared helpers (scripts/provision/lib.sh). The Vagrantfile and lab:up send lib.sh + this script as one
# script, so the functions are already defined; run by hand from a checkout, it is sourced from beside this file.
if ! declare -F write_file >/dev/null; then
  # shellcheck source=lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi

if provision_until_base; then
  log master "LAB_PROVISION_UNTIL=base: skipping kubeadm init and Calico"
  exit 0
fi

require_vars LAB_NODE_NAME LAB_NODE_IP LAB_NODE_CIDR LAB_POD_CIDR LAB_SERVICE_CIDR LAB_K8S_VERSION \
  LAB_CALICO_VERSION LAB_CALICO_IPIP_MODE LAB_CALICO_REGISTRY
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
# The same rule as calico.registry in src/config/schema.ts: it becomes part of image references (and of
# an awk replacement below), so only registry-name characters pass.
[[ "$LAB_CALICO_REGISTRY" =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$ ]] ||
  die "LAB_CALICO_REGISTRY must be a registry host[:port][/path] such as quay.io (got '$LAB_CALICO_REGISTRY')" 2
require_seconds LAB_APISERVER_WAIT_SECONDS LAB_APISERVER_POLL_SECONDS
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
# kubeadm writes admin.conf in its kubeconfig phase, before etcd, control-plane, upload-config and
# bootstrap-token: the file alone does not mean a previous init finished. A finished control plane
# answers /readyz; after a reboot its static pods need a minute or two, so it gets as long as kubeadm
# itself waits for the control plane (timeouts.controlPlaneComponentHealthCheck, 4m) before the
# previous init counts as failed. Resetting a working cluster would be far worse than waiting.
APISERVER_WAIT_SECONDS="${LAB_APISERVER_WAIT_SECONDS:-240}"
APISERVER_POLL_SECONDS="${LAB_APISERVER_POLL_SECONDS:-5}"

# apiserver_ready: polls /readyz until it answers ok or APISERVER_WAIT_SECONDS have passed.
apiserver_ready() {
  local deadline=$((SECONDS + APISERVER_WAIT_SECONDS))
  while :; do
    if [[ "$(kubectl --kubeconfig "$ADMIN_CONF" --request-timeout=5s get --raw /readyz 2>/dev/null || true)" == ok ]]; then
      return 0
    fi
    ((SECONDS < deadline)) || return 1
    sleep "$APISERVER_POLL_SECONDS"
  done
}

kubeadm_init() {
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
}

if [[ ! -f "$ADMIN_CONF" ]]; then
  kubeadm_init
else
  log init "/etc/kubernetes/admin.conf exists; waiting up to ${APISERVER_WAIT_SECONDS}s for the API server (/readyz)"
  if apiserver_ready; then
    log init "control plane already initialised (API server ready); skipping kubeadm init"
  else
    log init "a previous kubeadm init did not finish: admin.conf exists but the API server did not answer /readyz within ${APISERVER_WAIT_SECONDS}s. Resetting this node (kubeadm reset -f) and running kubeadm init again"
    kubeadm reset -f --cri-socket "$CRI_SOCKET"
    kubeadm_init
  fi
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
# render_calico STOCK > rendered: the pool and autodetection env of calico-node (calico_env_edit), and
# every Calico image moved to LAB_CALICO_REGISTRY (calico_images). Non-zero when either finds an
# unexpected manifest layout.
render_calico() {
  calico_env_edit "$1" | calico_images
}

# calico_images < manifest: rewrites every `image: [docker.io/|quay.io/]calico/<name>:<tag>` line to
# `image: $LAB_CALICO_REGISTRY/calico/<name>:<tag>`. Calico publishes each release to docker.io/calico
# and quay.io/calico (manifests up to v3.30 name docker.io, v3.31+ quay.io); Docker Hub's anonymous pull
# limit per address is soon reached by a class behind one NAT address. Exit 3 when no Calico image was
# found or an image line is left that does not point at the registry.
calico_images() {
  awk -v reg="$LAB_CALICO_REGISTRY" -v sq="'" '
    /^[[:space:]]*(- )?image:[[:space:]]/ {
      match($0, /image:[[:space:]]*/)
      head = substr($0, 1, RSTART + RLENGTH - 1); ref = substr($0, RSTART + RLENGTH)
      sub(/[[:space:]]+$/, "", ref)
      q = substr(ref, 1, 1)
      if (q == "\"" || q == sq) { ref = substr(ref, 2, length(ref) - 2) } else { q = "" }
      sub(/^(docker\.io|quay\.io)\//, "", ref)
      if (ref ~ /^calico\//) { images++; print head q reg "/" ref q; next }
      bad = 1
    }
    { print }
    END { if (!images || bad) exit 3 }'
}

# calico_env_edit STOCK: sets three env vars of the calico-node container. The stock manifest has
# CALICO_IPV4POOL_IPIP (value "Always") and CALICO_IPV4POOL_CIDR only commented out;
# IP_AUTODETECTION_METHOD is absent. Each var is replaced where it exists uncommented, otherwise
# added right after CALICO_IPV4POOL_IPIP, at the same indentation (YAML list items of env:).
# Exit 3 when the anchor is not found exactly once or is not followed by its value line.
calico_env_edit() {
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
    die "cannot render $CALICO_STOCK: expected exactly one calico-node env entry CALICO_IPV4POOL_IPIP followed by its value, and only calico/<name> images (docker.io or quay.io) to move to $LAB_CALICO_REGISTRY (has the manifest layout changed?)" 1
  write_file "$CALICO_RENDERED" 0644 <<<"$rendered"
  log calico "applying Calico $LAB_CALICO_VERSION: images from $LAB_CALICO_REGISTRY, pool $LAB_POD_CIDR, IPIP $LAB_CALICO_IPIP_MODE, autodetect cidr=$LAB_NODE_CIDR"
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
