#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# uiox command-line selftest: list, bind, info, irq, unbind, and the
# messages and exit statuses for a missing module, a missing device, a
# refused bridge (with the kernel's reason, and a root port given back to
# pcieport), a device taken from its real driver (e1000e) and given back,
# and bad usage.  Needs edu (1234:11e8), e1000e, a pci-bridge and a PCIe
# root port; binds the platform device pcspkr as well.
. "$(dirname "$0")/lib.sh"

rig_only
edu=$(pci_find 0x1234 0x11e8 | head -n1)
bridge=$(pci_find 0x1b36 0x0001 | head -n1)
rootport=$(pci_find 0x1b36 0x000c | head -n1)
[ -n "$edu" ] && [ -n "$bridge" ] && [ -n "$rootport" ] ||
	tap_skip_all "needs an edu device, a pci-bridge and a root port"
tap_plan 20

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
tap_check "unbind" sh -c "uiox unbind $edu | grep -q 'unbound from uiox' && [ ! -e /dev/uiox/$edu ]"
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
tap_check "usage" expect 2 "usage:" uiox frobnicate
# --help: the usage on stdout, exit 0; --version: uiox's, libuio's and the
# loaded module's (MODULE_VERSION), one version
help_on_stdout() {
	uiox --help 2>/dev/null | grep -q '^usage: uiox list' && [ -z "$(uiox --help 2>&1 >/dev/null)" ]
}
tap_check "help" help_on_stdout
one_version() {
	v=$(cat /sys/module/uiox/version) && [ -n "$v" ] &&
		expect 0 "^uiox $v (libuio $v, module $v)\$" uiox --version
}
tap_check "version" one_version
# the platform driver's probe and remove on x86 too: pcspkr has no driver
# in the guest, no memory resources and no interrupt
tap_check "platform_bind" sh -c "uiox bind pcspkr | grep -q 'bound to uiox: /dev/uiox/pcspkr' &&
	uiox list | grep -q '^pcspkr  *platform   irq none/0' &&
	uiox info pcspkr | grep -q '^pcspkr: platform device'"
tap_check "platform_unbind" sh -c "uiox unbind pcspkr | grep -q 'unbound from uiox' && [ ! -e /dev/uiox/pcspkr ]"

rmmod uiox
tap_done
