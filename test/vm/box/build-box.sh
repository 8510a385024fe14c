#!/usr/bin/env bash
# Builds the VM lane's Vagrant box: Debian 12 for vagrant-libvirt under QEMU software emulation (TCG).
# usage: build-box.sh OUT_DIR          (root)
# output: OUT_DIR/box.tar (box.img + metadata.json + Vagrantfile), OUT_DIR/boot/{vmlinuz,initrd.img}
#
# Adapted from the measured reference recipe (../shared/vm-lane/build-box.sh). Why it looks like this:
# - No bootloader in the image: the box's own Vagrantfile (box-vagrantfile.rb) boots the kernel directly
#   with libvirt.kernel/initrd/cmd_line, so the project Vagrantfile stays generic.
# - The kernel and initrd stay on the host (OUT_DIR/boot): every parent folder must be readable by the
#   libvirt-qemu user, so OUT_DIR must not live under /root.
# - procps (sysctl), kmod (modprobe) and iputils-ping are in the box because labkit's base provisioning
#   phase and the lane's reachability checks use them; Debian/Ubuntu cloud boxes ship them too.
# - apt's sources point at a closed port on the guest's own loopback: the lane has no internet by design,
#   so a full provisioning run fails at its first download exactly like an unreachable repository would,
#   and no guest ever sends traffic off the machine.
set -euo pipefail
OUT=${1:?usage: build-box.sh OUT_DIR}
SIZE_G=${SIZE_G:-4}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KEY=$(find /usr/share/rubygems-integration/all/gems -path '*/vagrant-*/keys/vagrant.pub' 2>/dev/null | head -n 1 || true)
[[ -f "$KEY" ]] || { echo "build-box: Vagrant's insecure public key not found (is the vagrant package installed?)" >&2; exit 2; }
# The Debian mirror this host's apt already uses (first URIs line of its deb822 sources).
MIRROR=${MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

mkdir -p "$OUT"
cd "$OUT"
rm -rf rootfs box boot disk.raw
mkdir -p box boot
debootstrap --variant=minbase \
  --include=systemd-sysv,openssh-server,sudo,linux-image-amd64,ifupdown,isc-dhcp-client,iproute2,rsync,ca-certificates,procps,kmod,iputils-ping \
  bookworm rootfs "$MIRROR" >debootstrap.log 2>&1 || {
  echo "build-box: debootstrap failed; last lines of $OUT/debootstrap.log:" >&2
  tail -n 20 debootstrap.log >&2
  exit 1
}
R=$OUT/rootfs
chroot "$R" useradd -m -s /bin/bash -u 1000 vagrant
chroot "$R" usermod -p '*' vagrant # key only, but not '!'-locked (sshd refuses locked accounts)
echo 'vagrant ALL=(ALL) NOPASSWD:ALL' >"$R/etc/sudoers.d/vagrant"
chmod 440 "$R/etc/sudoers.d/vagrant"
install -d -m 700 -o 1000 -g 1000 "$R/home/vagrant/.ssh"
install -m 600 -o 1000 -g 1000 "$KEY" "$R/home/vagrant/.ssh/authorized_keys"
echo debian12 >"$R/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$R/etc/hosts"
echo '/dev/vda / ext4 defaults 0 1' >"$R/etc/fstab"
# eth0: vagrant-libvirt's management NIC (DHCP from libvirt's dnsmasq); eth1 is written by Vagrant (ifupdown).
printf 'auto lo\niface lo inet loopback\n\nallow-hotplug eth0\niface eth0 inet dhcp\n' >"$R/etc/network/interfaces"
echo 'UseDNS no' >"$R/etc/ssh/sshd_config.d/vagrant.conf"
# No internet in the lane: see the header.
rm -f "$R/etc/apt/sources.list.d/"*
echo 'deb http://127.0.0.1:9/debian bookworm main' >"$R/etc/apt/sources.list"
: >"$R/etc/machine-id" # regenerated per clone on first boot
rm -f "$R/var/lib/dbus/machine-id"
chroot "$R" apt-get clean
cp "$R"/boot/vmlinuz-* boot/vmlinuz
cp "$R"/boot/initrd.img-* boot/initrd.img
chmod 755 boot
chmod 644 boot/*
truncate -s "${SIZE_G}G" disk.raw
mkfs.ext4 -q -F -L root -d "$R" disk.raw # whole-disk ext4, no partition table
qemu-img convert -O qcow2 disk.raw box/box.img
rm -f disk.raw
rm -rf rootfs
printf '{"provider":"libvirt","format":"qcow2","virtual_size":%s}\n' "$SIZE_G" >box/metadata.json
sed "s|@BOOT_DIR@|$OUT/boot|" "$HERE/box-vagrantfile.rb" >box/Vagrantfile
tar -C box -cf box.tar metadata.json Vagrantfile box.img
rm -rf box
