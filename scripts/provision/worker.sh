#!/usr/bin/env bash
# labkit: join one worker to the cluster. lab:up runs it as root over SSH after common.sh, with
# join values it has just obtained from `kubeadm token create --print-join-command` on the master
# (tokens expire after 24 h, so no join command is ever stored). Idempotent: skips the join when
# /etc/kubernetes/kubelet.conf exists.
#
# The bootstrap token is a secret, so it is never an argument or an environment variable (both are
# readable in ps and /proc, and sudo logs its command line): it arrives as the first line of stdin and
# reaches kubeadm inside a JoinConfiguration file readable by root only, removed on exit.
#
# Input:
#   stdin                        the bootstrap token, one line ([a-z0-9]{6}.[a-z0-9]{16}; never printed)
#   LAB_NODE_NAME, LAB_NODE_IP   this node
#   LAB_JOIN_ENDPOINT            API server host:port, e.g. 192.168.56.10:6443
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

require_vars LAB_NODE_NAME LAB_NODE_IP LAB_JOIN_ENDPOINT LAB_JOIN_CA_HASH
valid_ipv4 "$LAB_NODE_IP" || die "LAB_NODE_IP must be an IPv4 address (got '$LAB_NODE_IP')" 2
[[ "$LAB_JOIN_ENDPOINT" =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] ||
  die "LAB_JOIN_ENDPOINT must be host:port (got '$LAB_JOIN_ENDPOINT')" 2
[[ "$LAB_JOIN_CA_HASH" =~ ^sha256:[0-9a-f]{64}$ ]] ||
  die "LAB_JOIN_CA_HASH must be sha256:<64 hex digits> (got '$LAB_JOIN_CA_HASH')" 2
[[ "$LAB_NODE_NAME" =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] ||
  die "LAB_NODE_NAME must be a lowercase RFC 1123 name (got '$LAB_NODE_NAME')" 2

# The token: first line of stdin, read with a builtin into a variable that is never exported. A
# terminal is refused rather than prompted (the typed token would be echoed); a short timeout keeps
# an open but silent stdin from hanging the run.
[[ ! -t 0 ]] || die "worker.sh reads the bootstrap token from stdin; pipe it in (lab:up does), it is not read from a terminal" 2
join_token=""
IFS= read -r -t 30 join_token || [[ -n "$join_token" ]] ||
  die "no bootstrap token on stdin (worker.sh expects it as the first line of its input)" 2
# Bootstrap token format [a-z0-9]{6}.[a-z0-9]{16}; the value itself is never shown.
[[ "$join_token" =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ ]] ||
  die "the first line of stdin is not a kubeadm bootstrap token (expected [a-z0-9]{6}.[a-z0-9]{16}; value not shown)" 2
require_root

CRI_SOCKET=unix:///run/containerd/containerd.sock
command -v kubeadm >/dev/null 2>&1 || die "kubeadm is not installed: run common.sh on $LAB_NODE_NAME first" 1
ensure_kubelet_node_ip

join_config=""
remove_join_config() { if [[ -n "$join_config" ]]; then rm -f "$join_config"; fi; }
# EXIT covers die and normal ends; the signals are turned into exits so that EXIT runs for them too.
trap remove_join_config EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -f "$LAB_ROOT/etc/kubernetes/kubelet.conf" ]]; then
  log join "$LAB_NODE_NAME already joined (/etc/kubernetes/kubelet.conf exists); skipping kubeadm join"
else
  # kubeadm.k8s.io/v1beta4 exists from kubeadm 1.31 (v1beta3 is deprecated there and goes away later);
  # the fields used here are the same in both.
  kubeadm_version="$(kubeadm version -o short)"
  [[ "$kubeadm_version" =~ ^v1\.([0-9]+)\. ]] || die "cannot read the kubeadm version (kubeadm version -o short printed '$kubeadm_version')" 1
  if ((BASH_REMATCH[1] >= 31)); then kubeadm_api=kubeadm.k8s.io/v1beta4; else kubeadm_api=kubeadm.k8s.io/v1beta3; fi
  # /run is a tmpfs: the token never reaches a disk. The file is created 0600 (umask 077, set in the
  # command substitution's subshell only: kubeadm must not inherit it for the files it writes).
  mkdir -p "$LAB_ROOT/run"
  join_config="$(umask 077 && mktemp "$LAB_ROOT/run/labkit-join.XXXXXX")"
  # printf is a builtin: the token is written without ever being an argument of a program.
  printf '%s\n' \
    "apiVersion: $kubeadm_api" \
    "kind: JoinConfiguration" \
    "discovery:" \
    "  bootstrapToken:" \
    "    apiServerEndpoint: \"$LAB_JOIN_ENDPOINT\"" \
    "    token: \"$join_token\"" \
    "    caCertHashes:" \
    "      - \"$LAB_JOIN_CA_HASH\"" \
    "nodeRegistration:" \
    "  name: \"$LAB_NODE_NAME\"" \
    "  criSocket: \"$CRI_SOCKET\"" >"$join_config"
  log join "kubeadm join $LAB_JOIN_ENDPOINT as $LAB_NODE_NAME (CA $LAB_JOIN_CA_HASH; token <redacted>, in a root-only JoinConfiguration $kubeadm_api)"
  kubeadm join --config "$join_config"
  [[ -f "$LAB_ROOT/etc/kubernetes/kubelet.conf" ]] || die "kubeadm join finished but /etc/kubernetes/kubelet.conf is missing" 1
fi
log worker "$LAB_NODE_NAME joined"
