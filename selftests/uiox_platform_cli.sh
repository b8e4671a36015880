#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# uiox command line on a device-tree platform device: the PL031 that
# dts/qemu-virt-pl031-uiox.dtso hands to uiox (tools/rig/vmrun --arch arm64).
# The stub binds it at load through its "uiox,generic" compatible, and the
# node's modalias loads the module (MODULE_DEVICE_TABLE, as udev would with
# modprobe); unbind and bind go through the platform bus's driver_override.
. "$(dirname "$0")/lib.sh"

rig_only
dev=9010000.pl031
[ -e "/sys/bus/platform/devices/$dev" ] ||
	tap_skip_all "no platform device $dev (vmrun --arch arm64)"
tap_plan 8

uiox_unload
# what udev does for the node: modprobe its modalias, found in the
# modules.alias depmod writes from the module's device table
autoloaded_by_modalias() {
	m=/lib/modules/$(uname -r)
	a=$(cat "/sys/bus/platform/devices/$dev/modalias") || return 1
	mkdir -p "$m/extra" && cp "$UIOX_KO" "$m/extra/" && depmod || return 1
	grep 'uiox,generic' "$m/modules.alias" || { echo "no alias for uiox,generic"; return 1; }
	modprobe "$a" && uiox_loaded && [ -c "/dev/uiox/$dev" ]
	ret=$?
	uiox_unload
	rm -f "$m/extra/uiox.ko" && depmod || ret=1
	return $ret
}
tap_check "module_loaded_by_the_node_s_modalias" autoloaded_by_modalias
uiox_unload
insmod "$UIOX_KO"
tap_check "bound_at_load_by_compatible" test -c "/dev/uiox/$dev"
tap_check "list_shows_platform_device" expect 0 "^$dev  *platform   irq intx/1  open 0" uiox list
tap_check "info" sh -c "uiox info $dev | grep -q '^$dev: platform device' &&
	uiox info $dev | grep -q 'region 0: 4 KiB memory, mappable, mmap offset 0x0' &&
	uiox info $dev | grep -q 'interrupts: intx, 1 vector; device offers INTx (MSI 0, MSI-X 0)'"
tap_check "unbind" sh -c "uiox unbind $dev | grep -q 'unbound from uiox' && [ ! -e /dev/uiox/$dev ]"
tap_check "bind_with_driver_override" sh -c "uiox bind $dev | grep -q 'bound to uiox: /dev/uiox/$dev' &&
	[ \"\$(cat /sys/bus/platform/devices/$dev/driver_override)\" = uiox ]"
tap_check "irq_counts" expect 0 "$dev: intx, events per vector: 0" uiox irq "$dev"
tap_check "msi_is_refused" expect 1 "cannot set the interrupt mode" uiox irq "$dev" msi
rmmod uiox
tap_done
