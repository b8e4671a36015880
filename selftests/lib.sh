#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the uiox shell selftests: TAP output and device binding.
# Source it; uses only busybox sh features.

UIOX_KO=${UIOX_KO:-/uiox/uiox.ko}
__tap_n=0
__tap_fail=0

tap_plan() { echo "TAP version 13"; echo "1..$1"; }
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
