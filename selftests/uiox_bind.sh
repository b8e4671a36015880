#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# uiox binding selftest: load, bind by driver_override, ids= and new_id,
# node and sysfs layout, unbind, unload.  Needs an edu device (1234:11e8).
. "$(dirname "$0")/lib.sh"

rig_only
bdf=$(pci_find 0x1234 0x11e8 | head -n1)
[ -n "$bdf" ] || tap_skip_all "no edu device (1234:11e8)"
tap_plan 18
echo "# edu at $bdf"

uiox_unload
tap_check "insmod" insmod "$UIOX_KO"
tap_check "class_registered" test -d /sys/class/uiox
tap_check "no_id_table_binds_nothing" sh -c "[ ! -e /sys/bus/pci/drivers/uiox/$bdf ]"

tap_check "bind_driver_override" uiox_bind "$bdf"
tap_check "node_is_0600_char_device" sh -c \
	"[ -c /dev/uiox/$bdf ] && [ \"\$(stat -c %a /dev/uiox/$bdf)\" = 600 ]"
tap_check "sysfs_class_links_to_pci_device" sh -c \
	"[ \"\$(readlink -f /sys/class/uiox/$bdf/device)\" = \"\$(readlink -f /sys/bus/pci/devices/$bdf)\" ]"

uiox_unbind "$bdf"
tap_check "unbind_removes_node" sh -c "[ ! -e /dev/uiox/$bdf ] && [ ! -e /sys/class/uiox/$bdf ]"

tap_check "rmmod" rmmod uiox
tap_check "bind_ids_param" sh -c \
	"insmod $UIOX_KO ids=1234:11e8 && [ -c /dev/uiox/$bdf ] && rmmod uiox"
# ids= with the subsystem and class fields, from the device's own IDs
d=/sys/bus/pci/devices/$bdf
sv=$(sed 's/^0x//' "$d/subsystem_vendor")
sd=$(sed 's/^0x//' "$d/subsystem_device")
cls=$(sed 's/^0x//' "$d/class")
other_sd=$(printf '%x' $((0x$sd ^ 1)))
tap_check "bind_ids_with_subsystem_and_class" sh -c \
	"insmod $UIOX_KO ids=1234:11e8:$sv:$sd:$cls:ffffff && [ -c /dev/uiox/$bdf ] && rmmod uiox"
tap_check "ids_with_another_subsystem_binds_nothing" sh -c \
	"insmod $UIOX_KO ids=1234:11e8:$sv:$other_sd && [ ! -e /dev/uiox/$bdf ] && rmmod uiox"
tap_check "ids_with_another_class_binds_nothing" sh -c \
	"insmod $UIOX_KO ids=1234:11e8:ffffffff:ffffffff:$(printf '%06x' $((0x$cls ^ 0x010000))):ff0000 && [ ! -e /dev/uiox/$bdf ] && rmmod uiox"
tap_check "irq_mode_param_sets_the_mode_at_bind" sh -c \
	"insmod $UIOX_KO irq_mode=msi ids=1234:11e8 && [ \"\$(cat /sys/class/uiox/$bdf/irq_mode)\" = msi ] && rmmod uiox"
tap_check "bind_new_id" sh -c \
	"insmod $UIOX_KO && echo '1234 11e8' >/sys/bus/pci/drivers/uiox/new_id && [ -c /dev/uiox/$bdf ] && rmmod uiox"
tap_check "bad_ids_entry_is_refused_not_fatal" sh -c \
	"insmod $UIOX_KO ids=zz:1,1234 && dmesg | grep -q 'ids: cannot add \"zz:1\"' && [ ! -e /dev/uiox/$bdf ] && rmmod uiox"
# Module unload while a device file is open: refused, never unsafe.
insmod "$UIOX_KO" ids=1234:11e8
exec 3<>"/dev/uiox/$bdf"
tap_check "rmmod_refused_while_open" sh -c "! rmmod uiox 2>/dev/null && [ -d /sys/module/uiox ]"
exec 3>&-
tap_check "rmmod_after_close" rmmod uiox
tap_check "unload_leaves_no_node" sh -c "[ ! -d /sys/module/uiox ] && [ ! -e /dev/uiox/$bdf ]"

tap_done
