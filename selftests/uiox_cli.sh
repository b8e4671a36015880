#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# uiox command-line selftest: status, list, bind, info, irq, unbind, and the
# messages and exit statuses for a missing module, a missing device, a
# refused bridge (with the kernel's reason, and a root port given back to
# pcieport), a device taken from its real driver (e1000e) and given back,
# devices in use (an interface up, a mounted disk, the boot display)
# refused unless --force, short and vendor:device names, --json,
# --persist, the module loaded by bind, and bad usage.  Needs edu
# (1234:11e8), e1000e, a pci-bridge, a PCIe root port, a VGA and a
# virtio-blk disk with a minix filesystem (tools/rig/vmrun --dev vga --dev
# virtio-blk); binds the platform device pcspkr as well.
. "$(dirname "$0")/lib.sh"

rig_only
edu=$(pci_find 0x1234 0x11e8 | head -n1)
bridge=$(pci_find 0x1b36 0x0001 | head -n1)
rootport=$(pci_find 0x1b36 0x000c | head -n1)
[ -n "$edu" ] && [ -n "$bridge" ] && [ -n "$rootport" ] ||
	tap_skip_all "needs an edu device, a pci-bridge and a root port"
tap_plan 36

uiox_unload
tap_check "no_module_is_reported" expect 1 "module is not loaded" uiox list
insmod "$UIOX_KO"
tap_check "list_empty" expect 0 "no devices bound" uiox list
tap_check "bind" expect 0 "bound to uiox: /dev/uiox/$edu" uiox bind "$edu"
tap_check "bind_again_is_harmless" expect 0 "already bound" uiox bind "$edu"
tap_check "list_shows_device" expect 0 "^$edu *1234:11e8  irq intx/1  open 0" uiox list
tap_check "info" sh -c "uiox info $edu | grep -q 'region 0: 1 MiB memory, mappable' &&
	uiox info $edu | grep -q 'interrupts: intx, 1 vector; device offers INTx (2.3 masking) MSI' &&
	uiox info $edu | grep -q 'DMA memory held: 0 B'"
tap_check "irq_set_mode" expect 0 "$edu: msi, events per vector: 0" uiox irq "$edu" msi
tap_check "irq_bad_mode" expect 1 "cannot set the interrupt mode" uiox irq "$edu" bogus
tap_check "missing_device" expect 1 "no PCI or platform device 0000:ff:1f.7" uiox bind 0000:ff:1f.7
tap_check "bridge_refused" expect 1 "uiox refused $bridge: not binding to a bridge$" uiox bind "$bridge"
# a refused bind leaves the device as it was: back with its driver
driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver")"; }
rootport_round_trip() {
	[ "$(driver_of "$rootport")" = pcieport ] || return 1
	expect 1 "not binding to a bridge; it is back with its driver" \
		uiox bind "$rootport" || return 1
	[ "$(driver_of "$rootport")" = pcieport ] &&
		[ "$(cat "/sys/bus/pci/devices/$rootport/driver_override")" = "(null)" ]
}
tap_check "refused_bind_gives_a_root_port_back" rootport_round_trip
# an unbind from its driver that fails leaves the override as it was: a
# read-only attribute mounted over pcieport's unbind makes the write fail
failed_unbind_keeps_override() {
	o=/sys/bus/pci/devices/$rootport/driver_override
	echo pcieport >"$o" &&
		mount -o bind "/sys/bus/pci/devices/$rootport/vendor" \
			/sys/bus/pci/drivers/pcieport/unbind || return 1
	expect 1 "cannot unbind $rootport from pcieport" uiox bind "$rootport"
	ret=$?
	umount /sys/bus/pci/drivers/pcieport/unbind || ret=1
	[ "$(cat "$o")" = pcieport ] && [ "$(driver_of "$rootport")" = pcieport ] || ret=1
	echo >"$o"
	return $ret
}
tap_check "failed_unbind_restores_the_override" failed_unbind_keeps_override
unbind_edu() { expect 0 "^$edu unbound from uiox\$" uiox unbind "$edu" && [ ! -e "/dev/uiox/$edu" ]; }
tap_check "unbind" unbind_edu
# a device a real driver has: bind takes it from e1000e, unbind gives it
# back (the kernel's own e1000e, built in or from /uiox/kmods)
nic=$(pci_find 0x8086 0x10d3 | head -n1)
from_real_driver_and_back() {
	[ -n "$nic" ] || { echo "no e1000e device"; return 1; }
	[ -d /sys/bus/pci/drivers/e1000e ] || insmod /uiox/kmods/e1000e.ko || return 1
	[ "$(driver_of "$nic")" = e1000e ] || { echo "e1000e did not take $nic"; return 1; }
	expect 0 "$nic: unbinding from e1000e" uiox bind "$nic" &&
		[ "$(driver_of "$nic")" = uiox ] && [ -c "/dev/uiox/$nic" ] &&
		expect 0 "unbound from uiox, now bound to e1000e" uiox unbind "$nic" &&
		[ "$(driver_of "$nic")" = e1000e ] &&
		[ "$(cat "/sys/bus/pci/devices/$nic/driver_override")" = "(null)" ]
	ret=$?
	if [ -e /sys/module/e1000e/initstate ]; then rmmod e1000e || ret=1; fi
	return $ret
}
tap_check "bind_takes_a_device_from_its_driver_and_unbind_gives_it_back" from_real_driver_and_back
tap_check "not_bound_is_reported" expect 1 "is not bound to uiox" uiox info "$edu"
tap_check "usage" expect 2 "^uiox: unknown command frobnicate (usage: uiox --help)$" uiox frobnicate
# --help: the usage on stdout, exit 0; --version: uiox's, libuio's and the
# loaded module's (MODULE_VERSION), one version
help_on_stdout() {
	uiox --help 2>/dev/null | grep -q '^usage: uiox \[--json\] status$' &&
		[ -z "$(uiox --help 2>&1 >/dev/null)" ]
}
tap_check "help" help_on_stdout
one_version() {
	v=$(cat /sys/module/uiox/version) && [ -n "$v" ] &&
		expect 0 "^uiox $v (libuio $v, module $v)\$" uiox --version
}
tap_check "version" one_version
# the platform driver's probe and remove on x86 too: pcspkr has no driver
# in the guest, no memory resources and no interrupt
platform_bind() {
	expect 0 "bound to uiox: /dev/uiox/pcspkr" uiox bind pcspkr &&
		uiox list | grep -q '^pcspkr  *platform   irq none/0' &&
		uiox info pcspkr | grep -q '^pcspkr: platform device'
}
tap_check "platform_bind" platform_bind
platform_unbind() { expect 0 "^pcspkr unbound from uiox" uiox unbind pcspkr && [ ! -e /dev/uiox/pcspkr ]; }
tap_check "platform_unbind" platform_unbind

# names: an address without its domain; vendor:device, every match;
# several devices at once.  Each case from here on starts and ends with
# nothing bound to uiox (free_all puts that back after a failure).
free_all() {
	for d in /sys/bus/pci/drivers/uiox/0000:*; do
		[ -e "$d" ] && echo "$(basename "$d")" >/sys/bus/pci/drivers/uiox/unbind
	done
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/driver_override")" != uiox ] || echo >"$d/driver_override"
	done
	rm -f /tmp/rules.d/* /etc/driverctl.d/* 2>/dev/null
	return 0
}
edus=$(pci_find 0x1234 0x11e8)
nedus=$(echo "$edus" | wc -l)
short_address() {
	expect 0 "^$edu bound to uiox" uiox bind "${edu#0000:}" &&
		expect 0 "^$edu: PCI 1234:11e8" uiox info "${edu#0000:}"
	ret=$?
	free_all
	return $ret
}
tap_check "short_address" short_address
every_match() {
	uiox bind 1234:11e8 &&
		[ "$(ls /dev/uiox | wc -l)" = "$nedus" ] && [ "$nedus" -gt 1 ] &&
		[ "$(uiox list | grep -c ' 1234:11e8 ')" = "$nedus" ] &&
		[ "$(uiox info $edus | grep -c ': PCI 1234:11e8')" = "$nedus" ] &&
		uiox unbind 1234:11e8 && [ -z "$(ls /dev/uiox 2>/dev/null)" ]
	ret=$?
	free_all
	return $ret
}
tap_check "vendor_device_names_every_match_and_several_at_once" every_match
bad_name_among_several() {
	expect 1 "^uiox: no PCI or platform device 0000:ff:1f.7\$" uiox bind "$edu" 0000:ff:1f.7 &&
		[ ! -e "/dev/uiox/$edu" ]
	ret=$?
	free_all
	return $ret
}
tap_check "a_bad_name_among_several_changes_nothing" bad_name_among_several
refused_among_several() {
	expect 1 "uiox refused $bridge: not binding to a bridge" uiox bind "$bridge" "$edu" &&
		[ -c "/dev/uiox/$edu" ] &&
		[ "$(cat "/sys/bus/pci/devices/$bridge/driver_override")" = "(null)" ]
	ret=$?
	free_all
	return $ret
}
tap_check "a_device_refused_among_several_leaves_the_others_bound" refused_among_several

# status: every PCI and platform device by driver, with its IOMMU group
# (none here); --json for status, list and info
vga=$(pci_find 0x1234 0x1111 | head -n1)
# section NAME: the lines of `uiox status` under the heading NAME
section() { uiox status | awk -v h="$1" '$0 == h {s = 1; next} /^[A-Z]/ {s = 0} s'; }
status_by_driver() {
	uiox bind "$edu" >/dev/null &&
		section "PCI devices bound to uiox:" | grep -x "  $edu  *1234:11e8 class 00ff00  *driver uiox  no iommu group" &&
		section "PCI devices bound to another driver:" | grep "^  $rootport .* driver pcieport " &&
		section "PCI devices without a driver:" | grep "^  $bridge  *1b36:0001 class 060400  *no iommu group$" &&
		uiox status | grep "^  $vga  *1234:1111 class 030000 .* no iommu group  \*in use\*$" &&
		section "Platform devices without a driver:" | grep "^  pcspkr  *platform "
	ret=$?
	free_all
	return $ret
}
tap_check "status_groups_devices_by_driver" status_by_driver
# balanced TEXT: as many { as }, [ as ] (busybox has no JSON parser)
balanced() {
	o=$(printf %s "$1" | tr -cd '{' | wc -c); c=$(printf %s "$1" | tr -cd '}' | wc -c)
	O=$(printf %s "$1" | tr -cd '[' | wc -c); C=$(printf %s "$1" | tr -cd ']' | wc -c)
	[ "$o" = "$c" ] && [ "$O" = "$C" ] && [ "$o" -gt 0 ]
}
json_out() {
	uiox bind "$edu" >/dev/null && l=$(uiox --json list) && s=$(uiox --json status) &&
		i=$(uiox --json info "$edu") || { free_all; return 1; }
	echo "$l"; echo "$i"
	balanced "$l" && balanced "$s" && balanced "$i" &&
		echo "$l" | grep -qF "{\"name\": \"$edu\", \"bus\": \"pci\", \"vendor\": \"1234\", \"device\": \"11e8\", \"irq_mode\": \"intx\", \"vectors\": 1, \"openers\": 0, \"node\": \"/dev/uiox/$edu\"}" &&
		echo "$i" | grep -qF "\"regions\": [{\"index\": 0, \"size\": 1048576, \"flags\": 1, \"offset\": 0}]" &&
		echo "$i" | grep -qF "\"dma_bytes\": 0" &&
		echo "$s" | grep -qF "{\"name\": \"$edu\", \"bus\": \"pci\", \"vendor\": \"1234\", \"device\": \"11e8\", \"driver\": \"uiox\", \"iommu_group\": \"\", \"in_use\": false}" &&
		echo "$s" | grep -q "\"name\": \"$vga\", \"bus\": \"pci\", \"vendor\": \"1234\", \"device\": \"1111\", \"driver\": \"[^\"]*\", \"iommu_group\": \"\", \"in_use\": true, \"in_use_because\": \"it is the boot display (boot_vga)\"}"
	ret=$?
	free_all
	return $ret
}
tap_check "json_for_list_status_and_info" json_out
tap_check "json_is_only_for_what_prints" expect 2 "^uiox: bind has no --json (usage: uiox --help)$" uiox --json bind "$edu"

# devices in use: refused with the reason, left as they were; --force
boot_display_is_refused() {
	[ -n "$vga" ] || { echo "no VGA device"; return 1; }
	was=$(driver_of "$vga")
	expect 1 "^uiox: $vga is in use: it is the boot display (boot_vga) (uiox bind --force takes it anyway)\$" uiox bind "$vga" &&
		[ "$(driver_of "$vga")" = "$was" ] &&
		[ "$(cat "/sys/bus/pci/devices/$vga/driver_override")" = "(null)" ]
}
tap_check "the_boot_display_is_refused" boot_display_is_refused
nic_up_is_refused() {
	[ -n "$nic" ] || { echo "no e1000e device"; return 1; }
	[ -d /sys/bus/pci/drivers/e1000e ] || insmod /uiox/kmods/e1000e.ko || return 1
	n=50; while [ ! -d "/sys/bus/pci/devices/$nic/net" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	ifc=$(ls "/sys/bus/pci/devices/$nic/net") && ip link set "$ifc" up &&
		expect 1 "$nic is in use: network interface $ifc is up (uiox bind --force" uiox bind "$nic" &&
		[ "$(driver_of "$nic")" = e1000e ] &&
		expect 0 "bound to uiox: /dev/uiox/$nic" uiox bind --force "$nic" &&
		expect 0 "now bound to e1000e" uiox unbind "$nic"
	ret=$?
	free_all
	if [ -e /sys/module/e1000e/initstate ]; then rmmod e1000e || ret=1; fi
	return $ret
}
tap_check "an_interface_that_is_up_is_refused_unless_forced" nic_up_is_refused
disk=$(pci_find 0x1af4 0x1042 | head -n1)
mounted_disk_is_refused() {
	[ -n "$disk" ] || { echo "no virtio-blk disk"; return 1; }
	loaded= ret=1
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
		 virtio_blk minix; do
		[ ! -e "/uiox/kmods/$m.ko" ] || [ -d "/sys/module/$m" ] ||
			{ insmod "/uiox/kmods/$m.ko" && loaded="$m $loaded"; } || break
	done
	n=50; while ! ls "/sys/bus/pci/devices/$disk"/virtio*/block >/dev/null 2>&1 && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
	if blk=$(ls "/sys/bus/pci/devices/$disk"/virtio*/block) && mkdir -p /mnt/disk &&
		mount -r -t minix "/dev/$blk" /mnt/disk; then
		expect 1 "$disk is in use: /dev/$blk is mounted on /mnt/disk (uiox bind --force" uiox bind "$disk" &&
			[ "$(driver_of "$disk")" = virtio-pci ]
		ret=$?
		umount /mnt/disk || ret=1
	fi
	free_all
	for m in $loaded; do rmmod "$m" || ret=1; done
	return $ret
}
tap_check "a_disk_with_a_mounted_filesystem_is_refused" mounted_disk_is_refused

# --persist: a udev rule of uiox's own (setting the override and running
# uiox bind when the device appears), or driverctl's saved override
rules=/tmp/rules.d
persist_with_a_udev_rule() {
	mkdir -p $rules
	r=$rules/71-uiox-pci-$edu.rules
	UIOX_UDEV_RULES_DIR=$rules expect 0 "$edu: bound to uiox at every boot ($r)" uiox bind --persist "$edu" &&
		[ -c "/dev/uiox/$edu" ] &&
		u=$(command -v uiox) &&
		grep -qxF "ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"$edu\", TEST==\"$u\", ATTR{driver_override}=\"uiox\", RUN+=\"$u bind $edu\"" "$r" &&
		UIOX_UDEV_RULES_DIR=$rules expect 0 "$edu: no longer bound to uiox at boot ($r removed)" uiox unbind "$edu" &&
		[ ! -e "$r" ] && [ ! -e "/dev/uiox/$edu" ]
	ret=$?
	free_all
	return $ret
}
tap_check "persist_with_a_udev_rule" persist_with_a_udev_rule
# as a boot where the rule set the override but its uiox bind failed (the
# module missing): unbind forgets the rule and frees the device
unpersist_unbound() {
	UIOX_UDEV_RULES_DIR=$rules uiox bind --persist "$edu" >/dev/null &&
		echo "$edu" >/sys/bus/pci/drivers/uiox/unbind &&
		[ "$(cat "/sys/bus/pci/devices/$edu/driver_override")" = uiox ] &&
		UIOX_UDEV_RULES_DIR=$rules expect 0 "^$edu no longer set aside for uiox\$" uiox unbind "$edu" &&
		[ ! -e "$rules/71-uiox-pci-$edu.rules" ] &&
		[ "$(cat "/sys/bus/pci/devices/$edu/driver_override")" = "(null)" ]
	ret=$?
	free_all
	return $ret
}
tap_check "unbind_forgets_a_persisted_device_no_longer_bound" unpersist_unbound
persist_nowhere() {
	UIOX_UDEV_RULES_DIR=/nonexistent expect 1 "cannot persist a binding: no driverctl, and /nonexistent" \
		uiox bind --persist "$edu" && [ ! -e "/dev/uiox/$edu" ]
	ret=$?
	free_all
	return $ret
}
tap_check "persist_with_nowhere_to_write_changes_nothing" persist_nowhere
# a stand-in for driverctl 0.111, as it behaves for these calls: its file
# saved in /etc/driverctl.d, the device unbound, the override set or
# cleared, and probed again unless --noprobe
fake_driverctl() {
	mkdir -p /tmp/fake && cat >/tmp/fake/driverctl <<-'EOF2' && chmod +x /tmp/fake/driverctl
	#!/bin/sh
	echo "$*" >>/tmp/driverctl.log
	[ "$1" = --help ] && exit 0
	bus=$2; shift 2; probe=1
	[ "$1" = --noprobe ] && { probe=0; shift; }
	cmd=$1 dev=$2 drv=$3; d=/sys/bus/$bus/devices/$dev
	case $cmd in
	set-override) mkdir -p /etc/driverctl.d && echo "$drv" >"/etc/driverctl.d/$bus-$dev" ;;
	unset-override) rm -f "/etc/driverctl.d/$bus-$dev"; drv= ;;
	*) exit 1 ;;
	esac
	[ -e "$d/driver" ] && echo "$dev" >"$d/driver/unbind"
	echo "$drv" >"$d/driver_override"
	[ $probe = 0 ] || echo "$dev" >"/sys/bus/$bus/drivers_probe"
	EOF2
}
persist_with_driverctl() {
	fake_driverctl && rm -f /tmp/driverctl.log || return 1
	PATH=/tmp/fake:$PATH expect 0 "$edu: bound to uiox at every boot (driverctl)" uiox bind --persist "$edu" &&
		grep -qx -- "-b pci set-override $edu uiox" /tmp/driverctl.log &&
		[ -c "/dev/uiox/$edu" ] && [ "$(cat "/etc/driverctl.d/pci-$edu")" = uiox ] &&
		PATH=/tmp/fake:$PATH expect 0 "$edu: no longer bound to uiox at boot (driverctl)" uiox unbind "$edu" &&
		grep -qx -- "-b pci --noprobe unset-override $edu" /tmp/driverctl.log &&
		[ ! -e "/etc/driverctl.d/pci-$edu" ] && [ ! -e "/dev/uiox/$edu" ] &&
		[ "$(cat "/sys/bus/pci/devices/$edu/driver_override")" = "(null)" ]
	ret=$?
	free_all
	return $ret
}
tap_check "persist_with_driverctl" persist_with_driverctl
persist_open_device() {
	fake_driverctl && uiox bind "$edu" >/dev/null && exec 3<"/dev/uiox/$edu" || { free_all; return 1; }
	PATH=/tmp/fake:$PATH expect 1 "$edu: driverctl would take it from the programs that have it open" \
		uiox bind --persist "$edu" && [ ! -e "/etc/driverctl.d/pci-$edu" ]
	ret=$?
	exec 3<&-
	free_all
	return $ret
}
tap_check "persist_through_driverctl_spares_an_open_device" persist_open_device

# bind loads the module (modprobe) when it is not loaded, and says so when
# it cannot, having changed nothing
bind_loads_the_module() {
	m=/lib/modules/$(uname -r)
	rmmod uiox && mkdir -p "$m/extra" && cp "$UIOX_KO" "$m/extra/" && depmod &&
		expect 0 "bound to uiox: /dev/uiox/$edu" uiox bind "$edu" && uiox_loaded
	ret=$?
	free_all
	rmmod uiox; rm -f "$m/extra/uiox.ko"; depmod || ret=1
	expect 1 "the uiox module is not loaded and modprobe uiox failed" uiox bind "$edu" &&
		[ ! -e "/sys/bus/pci/devices/$edu/driver" ] || ret=1
	uiox_load || ret=1
	return $ret
}
tap_check "bind_loads_the_module" bind_loads_the_module

rmmod uiox
tap_done
