#!/usr/bin/env bash
# labkit: install MetalLB in L2 mode with one address pool on the node network, so a Service of type
# LoadBalancer gets an EXTERNAL-IP that answers from the host. lab:up runs it as root on the control plane
# (phase metallb) after the workers joined and every node is Ready: MetalLB's controller has no
# control-plane toleration (it runs on a worker), and the pool can only be applied once the controller's
# validating webhook answers. Idempotent: the manifest is applied only when the controller does not run
# this release yet; the pool and its L2Advertisement are applied every time (unchanged when equal).
#
# kube-proxy runs in iptables mode (kubeadm's default), so MetalLB's strictARP preparation (IPVS only)
# does not apply (https://metallb.universe.tf/installation/#preparation).
#
# Environment (set by lab:up from lab.config.yaml's metallb key):
#   LAB_METALLB_VERSION         e.g. v0.16.1: config/manifests/metallb-native.yaml of that tag
#   LAB_METALLB_POOL            first-last or a CIDR, e.g. 192.168.56.240-192.168.56.250
#   LAB_METALLB_SHA256          optional (metallb.manifestSha256): the manifest's sha256, for a release
#                               this script has none on record for (or a mirror's own build)
#   LAB_METALLB_WAIT_SECONDS    optional (tests): how long to wait for the controller, speakers, webhook (300)
#   LAB_METALLB_POLL_SECONDS    optional (tests): seconds between pool apply tries (5)
#   LAB_ROOT                    (tests only) prefix for every file path
set -euo pipefail

# Shared helpers (scripts/provision/lib.sh). lab:up sends lib.sh + this script as one script, so the
# functions are already defined; run by hand from a checkout, it is sourced from beside this file.
if ! declare -F write_file >/dev/null; then
  # shellcheck source=lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi

require_vars LAB_METALLB_VERSION LAB_METALLB_POOL
[[ "$LAB_METALLB_VERSION" =~ ^v0\.[0-9]+\.[0-9]+$ ]] ||
  die "LAB_METALLB_VERSION must look like v0.16.1 (got '$LAB_METALLB_VERSION')" 2
# The same shapes as metallb.pool in src/config/schema.ts (which also checks it against the node network).
if [[ "$LAB_METALLB_POOL" == */* ]]; then
  valid_cidr "$LAB_METALLB_POOL" || die "LAB_METALLB_POOL must be first-last or a CIDR (got '$LAB_METALLB_POOL')" 2
elif ! [[ "$LAB_METALLB_POOL" == *-* ]] || ! valid_ipv4 "${LAB_METALLB_POOL%-*}" || ! valid_ipv4 "${LAB_METALLB_POOL#*-}"; then
  die "LAB_METALLB_POOL must be first-last or a CIDR (got '$LAB_METALLB_POOL')" 2
fi
[[ "${LAB_METALLB_SHA256:-}" =~ ^([0-9a-f]{64})?$ ]] ||
  die "LAB_METALLB_SHA256 must be 64 lowercase hex digits (got '$LAB_METALLB_SHA256')" 2
require_seconds LAB_METALLB_WAIT_SECONDS LAB_METALLB_POLL_SECONDS
require_root

ADMIN_CONF="$LAB_ROOT/etc/kubernetes/admin.conf"
WAIT_SECONDS="${LAB_METALLB_WAIT_SECONDS:-300}"
POLL_SECONDS="${LAB_METALLB_POLL_SECONDS:-5}"
MANIFEST_URL="https://raw.githubusercontent.com/metallb/metallb/${LAB_METALLB_VERSION}/config/manifests/metallb-native.yaml"
STATE_DIR=/var/lib/labkit
MANIFEST="$STATE_DIR/metallb-${LAB_METALLB_VERSION}-native.yaml"
POOL_FILE="$STATE_DIR/metallb-pool.yaml"
POOL_NAME=labkit-pool
CONTROLLER_IMAGE="quay.io/metallb/controller:${LAB_METALLB_VERSION}"

# sha256 of metallb-native.yaml per release, taken from the tag's blob in github.com/metallb/metallb
# (raw.githubusercontent.com serves that blob byte for byte). LAB_METALLB_SHA256 takes precedence; a release
# with neither is applied unverified, with a line saying so.
known_sha256() {
  case "$1" in
    v0.15.3) echo 84b4e102f2b65f5d69085f5816c29362b74641873d8ac3de996e5f86a8219176 ;;
    v0.16.1) echo bf25feebb7582ca7df845efd52ffbc2960d6cbf4cfc972f47fded9f788b67f0b ;;
    *) echo '' ;;
  esac
}

[[ -f "$ADMIN_CONF" ]] || die "/etc/kubernetes/admin.conf is missing: the control plane is not initialised (run npm run lab:up)" 1
kc() { kubectl --kubeconfig "$ADMIN_CONF" --request-timeout=30s "$@"; }

running_image="$(kc -n metallb-system get deployment controller -o 'jsonpath={.spec.template.spec.containers[0].image}' 2>/dev/null || true)"
if [[ "$running_image" == "$CONTROLLER_IMAGE" ]]; then
  log metallb "MetalLB $LAB_METALLB_VERSION already installed; skipping the manifest"
else
  if [[ ! -s "$LAB_ROOT$MANIFEST" ]]; then
    log metallb "downloading $MANIFEST_URL"
    mkdir -p "$LAB_ROOT$STATE_DIR"
    curl -fsSL --retry 5 -o "$LAB_ROOT$MANIFEST.part" "$MANIFEST_URL"
    want="${LAB_METALLB_SHA256:-$(known_sha256 "$LAB_METALLB_VERSION")}"
    if [[ -n "$want" ]]; then
      got="$(sha256sum "$LAB_ROOT$MANIFEST.part" | cut -d' ' -f1)"
      if [[ "$got" != "$want" ]]; then
        rm -f "$LAB_ROOT$MANIFEST.part"
        die "$MANIFEST_URL has sha256 $got, not MetalLB $LAB_METALLB_VERSION's $want: a proxy or mirror changed it. Nothing was applied." 1
      fi
      log metallb "manifest sha256 verified ($want)"
    else
      log metallb "no sha256 on record for MetalLB $LAB_METALLB_VERSION (set metallb.manifestSha256 to pin it): the manifest is applied unverified"
    fi
    mv -f "$LAB_ROOT$MANIFEST.part" "$LAB_ROOT$MANIFEST"
  fi
  log metallb "applying MetalLB $LAB_METALLB_VERSION (native mode)"
  # Server-side apply: the CRDs' schemas are too large for the last-applied annotation client-side apply keeps.
  kc apply --server-side --force-conflicts -f "$LAB_ROOT$MANIFEST"
fi

log metallb "waiting up to ${WAIT_SECONDS}s for the controller and the speakers"
kc -n metallb-system rollout status deployment/controller --timeout="${WAIT_SECONDS}s" ||
  die "MetalLB's controller did not become available within ${WAIT_SECONDS}s: see kubectl -n metallb-system get pods and kubectl -n metallb-system describe deployment controller" 1
kc -n metallb-system rollout status daemonset/speaker --timeout="${WAIT_SECONDS}s" ||
  die "MetalLB's speakers did not become ready within ${WAIT_SECONDS}s: see kubectl -n metallb-system get pods -o wide" 1

write_file "$POOL_FILE" 0644 <<EOF
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: $POOL_NAME
  namespace: metallb-system
spec:
  addresses:
    - $LAB_METALLB_POOL
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: labkit-l2
  namespace: metallb-system
spec:
  ipAddressPools:
    - $POOL_NAME
EOF

# The webhook's Service gets endpoints a moment after the controller is available: until then the API
# server answers "failed calling webhook ... connection refused". Retried until WAIT_SECONDS.
deadline=$((SECONDS + WAIT_SECONDS))
until out="$(kc apply -f "$LAB_ROOT$POOL_FILE" 2>&1)"; do
  if ((SECONDS >= deadline)); then
    die "the MetalLB pool could not be applied within ${WAIT_SECONDS}s: $out" 1
  fi
  log metallb "pool not accepted yet (${out##*$'\n'}); retrying in ${POLL_SECONDS}s"
  sleep "$POLL_SECONDS"
done
printf '%s\n' "$out"

have="$(kc -n metallb-system get ipaddresspools.metallb.io "$POOL_NAME" -o 'jsonpath={.spec.addresses[*]}')"
[[ "$have" == "$LAB_METALLB_POOL" ]] ||
  die "IPAddressPool $POOL_NAME holds '$have', not '$LAB_METALLB_POOL'" 1
log metallb "MetalLB $LAB_METALLB_VERSION ready: L2 pool $LAB_METALLB_POOL"
