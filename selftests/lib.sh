#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the uiox shell selftests: TAP output and device binding,
# and the rig's preparation of the C tests (rig_prepare, see uiox_ksft.h).
# Source it; uses only busybox sh features.

UIOX_KO=${UIOX_KO:-/uiox/uiox.ko}
__tap_n=0
__tap_fail=0

# tap_plan N: the TAP header; the test's start and end in the kernel log,
# as a C test's (uiox_ksft.h)
tap_plan() {
	__tap_name=$(basename "$0")
	echo "uiox-selftest: start $__tap_name" 2>/dev/null >/dev/kmsg
	trap 'echo "uiox-selftest: end $__tap_name" 2>/dev/null >/dev/kmsg' EXIT
	echo "TAP version 13"
	echo "1..$1"
}
# tap_skip_all REASON: skip the whole test, as kselftest does (exit 4)
tap_skip_all() { echo "1..0 # SKIP $*"; exit 4; }
# rig_only: skip unless in the uiox rig's guests (UIOX_TEST_RIG=1), for a
# test that loads and unloads uiox and binds devices of its own choosing
rig_only() {
	[ -n "${UIOX_TEST_RIG:-}" ] ||
		tap_skip_all "loads, unloads and binds: only in the uiox rig (UIOX_TEST_RIG=1)"
}
tap_ok() { __tap_n=$((__tap_n + 1)); echo "ok $__tap_n $1"; }
tap_not_ok() {
	__tap_n=$((__tap_n + 1)); __tap_fail=$((__tap_fail + 1))
	echo "not ok $__tap_n $1"
	shift
	for l in "$@"; do echo "# $l"; done
}
# tap_check NAME CMD...: ok when CMD succeeds
tap_check() {
	name=$1; shift
	if "$@" >/tmp/tap.out 2>&1; then
		tap_ok "$name"
	else
		tap_not_ok "$name" "failed: $*" "$(cat /tmp/tap.out)"
	fi
}
tap_done() { [ "$__tap_fail" -eq 0 ]; }
# expect STATUS PATTERN CMD...: CMD exits with STATUS and prints PATTERN
# (its output goes to stdout, which tap_check shows on failure)
expect() {
	want=$1 pattern=$2
	shift 2
	out=$("$@" 2>&1)
	got=$?
	echo "$out"
	[ "$got" = "$want" ] && echo "$out" | grep -q -- "$pattern"
}

# PCI addresses of every function with the given vendor and device IDs
pci_find() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = "$1" ] && [ "$(cat "$d/device")" = "$2" ] &&
			basename "$d"
	done
}

uiox_loaded() { [ -d /sys/module/uiox ]; }
uiox_load() { uiox_loaded || insmod "$UIOX_KO" "$@"; }
uiox_unload() { ! uiox_loaded || rmmod uiox; }

# uiox_bind BDF: bind through driver_override, as an administrator would
uiox_bind() {
	d=/sys/bus/pci/devices/$1
	if [ -e "$d/driver" ]; then
		echo "$1" >"$d/driver/unbind" || return 1
	fi
	echo uiox >"$d/driver_override" &&
		echo "$1" >/sys/bus/pci/drivers_probe &&
		[ -c "/dev/uiox/$1" ]
}

# uiox_unbind BDF: release the device and clear the override
uiox_unbind() {
	echo "$1" >/sys/bus/pci/drivers/uiox/unbind &&
		echo >"/sys/bus/pci/devices/$1/driver_override"
}

# wait_gone PATH [TENTHS]: wait until PATH no longer exists
wait_gone() {
	n=${2:-100}
	while [ -e "$1" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ ! -e "$1" ]
}

# rig_prepare: the rig's C tests' start (uiox_ksft.h): uiox loaded and
# every edu, e1000e, ivshmem and virtio-rng bound.
# Unless an IOMMU translates the devices' DMA and MSI is isolated (not
# without one, nor with iommu=pt or interrupt remapping off), bus mastering
# and DMA need the unsafe opt-in (the tests run as root, with
# CAP_SYS_RAWIO); uiox_dma_test checks both ways.  MSI is isolated by
# interrupt remapping on x86, by a GICv3 ITS on arm64 (msi_isolated() in
# uiox_test.h reads the same log lines).
dma_translated() {
	grep -qx 'DMA\|DMA-FQ' /sys/kernel/iommu_groups/*/type 2>/dev/null &&
		dmesg | grep -q 'Enabled IRQ remapping\|ITS@.*Devices'
}

rig_prepare() {
	if dma_translated; then
		uiox_load || return 1
	else
		uiox_load allow_unsafe_dma=1 || return 1
	fi
	for bdf in $(pci_find 0x1234 0x11e8) $(pci_find 0x8086 0x10d3) \
		   $(pci_find 0x1af4 0x1110) $(pci_find 0x1af4 0x1044); do
		[ -c "/dev/uiox/$bdf" ] || uiox_bind "$bdf" || return 1
	done
}
