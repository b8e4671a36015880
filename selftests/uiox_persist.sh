#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# uiox bind --persist across what a reboot does to a device: it goes away
# and is found again (PCI remove, rescan) with the uiox module not loaded,
# and udev (systemd-udevd, from the host's udev package: vmrun --add
# /lib/systemd/systemd-udevd --add /bin/udevadm) applies the rule that
# bind --persist wrote: the device comes back bound to uiox, the module
# loaded for it, when its own driver took it first and when that driver
# is loaded after; after uiox unbind it comes back without uiox.  Needs edu behind a PCIe root port
# (vmrun --dev edu-hotplug) and e1000e.
. "$(dirname "$0")/lib.sh"

rig_only
udevd=/extra/systemd-udevd
udevadm=/extra/udevadm
[ -x "$udevd" ] && [ -x "$udevadm" ] ||
	tap_skip_all "needs systemd-udevd and udevadm in /extra (vmrun --add)"
edu=
for d in $(pci_find 0x1234 0x11e8); do
	# the edu whose parent is a port: the one that can be removed and found
	parent=$(basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$d")")")
	case $parent in pci*) ;; *) edu=$d ;; esac
done
nic=$(pci_find 0x8086 0x10d3 | head -n1)
[ -n "$edu" ] && [ -n "$nic" ] ||
	tap_skip_all "needs an edu behind a root port (edu-hotplug) and e1000e"
tap_plan 5

driver_of() { basename "$(readlink "/sys/bus/pci/devices/$1/driver")"; }
# the module where modprobe finds it, as installed
m=/lib/modules/$(uname -r)
mkdir -p "$m/extra" /etc/udev/rules.d && cp "$UIOX_KO" "$m/extra/" && depmod || exit 1
[ -d /sys/bus/pci/drivers/e1000e ] || insmod /uiox/kmods/e1000e.ko || exit 1
"$udevd" --daemon 2>/dev/null || exit 1
uiox_unload

# reappear BDF: what a reboot does to the device: udev started afresh
# (reading the rules as they are now), the device gone and found again with
# uiox not loaded, and what udev does about it done
reappear() {
	"$udevadm" control --exit && "$udevd" --daemon 2>/dev/null && uiox_unload || return 1
	echo 1 >"/sys/bus/pci/devices/$1/remove" && wait_gone "/sys/bus/pci/devices/$1" &&
		echo 1 >/sys/bus/pci/rescan && [ -e "/sys/bus/pci/devices/$1" ] &&
		"$udevadm" settle -t 60
}

persisted_edu_comes_back() {
	expect 0 "$edu: bound to uiox at every boot (/etc/udev/rules.d/71-uiox-pci-$edu.rules)" \
		uiox bind --persist "$edu" && reappear "$edu" &&
		uiox_loaded && [ "$(driver_of "$edu")" = uiox ] && [ -c "/dev/uiox/$edu" ]
}
tap_check "a_persisted_device_is_bound_to_uiox_when_it_reappears" persisted_edu_comes_back
persisted_nic_comes_back() {
	[ "$(driver_of "$nic")" = e1000e ] || { echo "e1000e does not have $nic"; return 1; }
	uiox bind --persist "$nic" && reappear "$nic" &&
		[ "$(driver_of "$nic")" = uiox ] && [ -c "/dev/uiox/$nic" ]
}
tap_check "taken_from_its_own_driver_when_it_reappears" persisted_nic_comes_back
# the order of a boot: udev's rule runs before the device's own module is
# loaded for its modalias, which then finds it taken
own_driver_later() {
	rmmod e1000e && reappear "$nic" && [ "$(driver_of "$nic")" = uiox ] &&
		insmod /uiox/kmods/e1000e.ko && [ "$(driver_of "$nic")" = uiox ]
}
tap_check "its_own_driver_loaded_after_finds_it_taken" own_driver_later
forgotten() {
	[ -d /sys/bus/pci/drivers/e1000e ] || insmod /uiox/kmods/e1000e.ko
	uiox unbind "$edu" "$nic" && [ -z "$(ls /etc/udev/rules.d)" ] &&
		reappear "$edu" && reappear "$nic" &&
		[ -z "$(driver_of "$edu")" ] && [ "$(driver_of "$nic")" = e1000e ] ||
		{ echo "edu's driver: '$(driver_of "$edu")', e1000e's: '$(driver_of "$nic")'," \
			"rules: '$(ls -a /etc/udev/rules.d)', uiox loaded: $(uiox_loaded && echo yes)"
		  return 1; }
}
tap_check "after_unbind_it_reappears_without_uiox" forgotten
tap_check "udev_still_running" "$udevadm" control --ping

"$udevadm" control --exit
rm -f /etc/udev/rules.d/* "$m/extra/uiox.ko" && depmod
if [ -e /sys/module/e1000e/initstate ]; then rmmod e1000e; fi
uiox_unload
tap_done
