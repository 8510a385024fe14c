#!/bin/sh
# Starts a container's process, in three stages (src/sim/runtime/container.ts passes every value as a
# positional argument; nothing here is evaluated as shell code):
#   outer EXITFILE NETNS LOWER UPPER WORK MERGED ETC HOSTNAME STDIN NCG CG... NENV ENV... ARGV...
#     on the host: enters the pod's netns and new mount and UTS namespaces, and becomes the parent of a
#     new PID namespace (unshare without --fork: util-linux 2.38's `unshare --fork` exits 1 instead of
#     passing on a signal that killed its child). It runs the inner stage as its child (PID 1) and writes
#     the exit status ($?: the code, or 128 + the signal) to EXITFILE. It outlives the simulator.
#   inner LOWER UPPER WORK MERGED ETC HOSTNAME STDIN NCG CG... NENV ENV... ARGV...
#     PID 1 of the new PID namespace: the overlay root, /proc, /dev, the pod's /etc files, the hostname,
#     stdin, the cgroups, then exec of ARGV chrooted with exactly the ENV given.
#   join NCG CG... ARGV...
#     joins the cgroups and execs ARGV (an exec into a running container).
set -eu
self=$0
stage=$1
shift

join_cgroups() { # NCG CG...; prints how many arguments it used
  n=$1
  shift
  i=0
  while [ "$i" -lt "$n" ]; do
    echo $$ >"$1/cgroup.procs"
    shift
    i=$((i + 1))
  done
}

case "$stage" in
outer)
  netns=$2
  exitfile=$1
  shift 2
  exec /usr/bin/nsenter "--net=$netns" /usr/bin/unshare --pid --mount --uts --propagation private \
    /bin/sh "$self" parent "$exitfile" "$@"
  ;;
parent)
  exitfile=$1
  shift
  set +e
  /bin/sh "$self" inner "$@"
  # Builtins only from here: once PID 1 is gone its namespace takes no new process ("Cannot fork").
  echo $? >"$exitfile"
  ;;
inner)
  lower=$1 upper=$2 work=$3 root=$4 etc=$5 name=$6 stdin=$7
  shift 7
  mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$root"
  mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
  mount -t tmpfs -o nosuid,mode=755,size=1024k tmpfs "$root/dev"
  for dev in null zero full random urandom tty; do
    : >"$root/dev/$dev"
    mount --bind "/dev/$dev" "$root/dev/$dev"
  done
  mkdir -p "$root/dev/pts" "$root/dev/shm"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  for file in hosts hostname resolv.conf; do
    mount --bind "$etc/$file" "$root/etc/$file"
  done
  hostname "$name"
  case "$stdin" in
  none) exec </dev/null ;;
  tty) ;; # the pty the outer stage was started on
  once:*) exec 0<"${stdin#once:}" ;; # read-only: EOF once the runtime closes its write end (stdinOnce)
  *) exec 0<>"$stdin" ;; # read-write: the fifo never reads EOF while nobody is attached
  esac
  join_cgroups "$@"
  shift $(($1 + 1))
  nenv=$1
  shift
  # ARGV after the environment: `env -i K=V... chroot ROOT ARGV...`, built in place in "$@".
  i=0
  while [ "$i" -lt "$nenv" ]; do
    set -- "$@" "$1"
    shift
    i=$((i + 1))
  done
  # Now "$@" is ARGV... ENV...; rotate ARGV behind the environment.
  nargv=$(($# - nenv))
  i=0
  set -- "$@" /usr/sbin/chroot "$root"
  while [ "$i" -lt "$nargv" ]; do
    set -- "$@" "$1"
    shift
    i=$((i + 1))
  done
  exec /usr/bin/env -i "$@"
  ;;
join)
  join_cgroups "$@"
  shift $(($1 + 1))
  exec "$@"
  ;;
*)
  echo "container-init.sh: unknown stage $stage" >&2
  exit 2
  ;;
esac
