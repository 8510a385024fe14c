# The VM lane box's embedded Vagrantfile (build-box.sh fills in @BOOT_DIR@). The image has no bootloader,
# so vagrant-libvirt boots the host-side kernel directly. Settings that belong to this box and this host
# (TCG, kernel, interface names) live here, so the project's Vagrantfile stays generic.
Vagrant.configure('2') do |config|
  config.vm.provider :libvirt do |libvirt|
    boot_dir = ENV.fetch('LABKIT_VM_BOOT_DIR', '@BOOT_DIR@')
    libvirt.kernel = "#{boot_dir}/vmlinuz"
    libvirt.initrd = "#{boot_dir}/initrd.img"
    # net.ifnames=0: eth0 is the management NIC, eth1 the lab's private network (as the checks expect).
    libvirt.cmd_line = 'root=/dev/vda rw console=ttyS0 net.ifnames=0 biosdevname=0'
    libvirt.disk_bus = 'virtio'
  end
end
