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
#   LAB_PROVISION_UNTIL          optional: 'base' exits 0 at once (joining is not base)
#   LAB_ROOT                     (tests only) prefix for every file path
set +x # the join token must never reach a trace, even under `bash -x worker.sh`
set -euo pipefail

# Shared helpers (scripts/provision/lib.sh). The Vagrantfile and lab:up send lib.sh + this script as one
# script, so the functions are already defined; run by hand from a checkout, it is sourced from beside this file.
if ! declare -F write_file >/dev/null; then
  # shellcheck source=lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi

if provision_until_base; then
  log worker "LAB_PROVISION_UNTIL=base: skipping kubeadm join"
  exit 0
fi

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
