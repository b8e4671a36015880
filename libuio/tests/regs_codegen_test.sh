#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The register accessors must compile to one access of the right width and
# the architecture's barrier, nothing more: check the compiler's output.
# Usage: regs_codegen_test.sh [CC]   (TAP)
CC=${1:-${CC:-cc}}
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$top/libuio/include/libuio/regs.h" ] || top=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/t.c" <<'C'
#include <libuio/regs.h>
uint32_t r32(const void *b) { return uio_read32(b, 8); }
void w32(void *b, uint32_t v) { uio_write32(b, 16, v); }
uint64_t r64(const void *b) { return uio_read64(b, 0); }
uint8_t r8(const void *b) { return uio_read8(b, 3); }
void w16(void *b, uint16_t v) { uio_write16(b, 2, v); }
C
if ! $CC -O2 -S -fno-asynchronous-unwind-tables -fcf-protection=none \
	-I"$top/libuio/include" -o "$tmp/t.s" "$tmp/t.c" 2>"$tmp/err"; then
	echo "Bail out! cannot compile: $(cat "$tmp/err")"
	exit 1
fi

# body FUNC: the instructions of FUNC, one per line, without labels/directives
body() {
	awk -v f="$1" '$0 == f":" {on=1; next}
		on && /^[ \t]*(ret|ret[lq])$/ {print "ret"; exit}
		on && /^[ \t]*[a-z]/ && !/^[ \t]*\./ {sub(/^[ \t]+/, ""); print}' "$tmp/t.s"
}

n=0 fail=0 once=
# check NAME FUNC EXPECTED-REGEX-PER-LINE...; with $once set, exactly one
# line must match it as well (the lines before a store may come in either
# order, the barrier must be among them)
check() {
	name=$1 fn=$2
	shift 2
	got=$(body "$fn")
	want_lines=$#
	ok=1
	[ "$(echo "$got" | wc -l)" -eq "$want_lines" ] || ok=0
	[ -z "$once" ] || [ "$(echo "$got" | grep -Ec "$once")" -eq 1 ] || ok=0
	i=1
	for re in "$@"; do
		line=$(echo "$got" | sed -n "${i}p")
		echo "$line" | grep -Eq "$re" || ok=0
		i=$((i + 1))
	done
	n=$((n + 1))
	if [ $ok = 1 ]; then
		echo "ok $n $name"
	else
		fail=$((fail + 1))
		echo "not ok $n $name"
		echo "$got" | sed 's/^/# got: /'
	fi
}

echo "TAP version 13"
echo "1..6"
case $($CC -dumpmachine) in
x86_64*)
	check read32_is_one_load r32 '^movl[[:space:]]+8\(%rdi\), %eax$' '^ret$'
	check write32_is_one_store w32 '^movl[[:space:]]+%esi, 16\(%rdi\)$' '^ret$'
	check read64_is_one_load r64 '^movq[[:space:]]+\(%rdi\), %rax$' '^ret$'
	check read8_is_one_byte_load r8 '^movzbl[[:space:]]+3\(%rdi\), %eax$' '^ret$'
	check write16_is_one_word_store w16 '^movw[[:space:]]+%si, 2\(%rdi\)$' '^ret$'
	;;
aarch64*)
	check read32_load_then_dmb r32 '^add' '^ldr[[:space:]]+w0' '^dmb[[:space:]]+oshld$' '^ret$'
	once='^dmb[[:space:]]+oshst$'
	check write32_dmb_then_store w32 '^(add|dmb[[:space:]]+oshst$)' \
		'^(add|dmb[[:space:]]+oshst$)' '^str[[:space:]]+w1' '^ret$'
	once=
	check read64_load_then_dmb r64 '^ldr[[:space:]]+x0, \[x0\]$' '^dmb[[:space:]]+oshld$' '^ret$'
	check read8_load_then_dmb r8 '^add' '^ldrb[[:space:]]+w0' '^dmb[[:space:]]+oshld$' '^ret$'
	# the AAPCS64 leaves a uint16_t argument's upper bits undefined: the
	# caller's half of the work, not the accessor's, is the zero-extension
	once='^dmb[[:space:]]+oshst$'
	check write16_dmb_then_store w16 '^(and[[:space:]]+w1, w1, 65535|uxth[[:space:]]+w1, w1)$' \
		'^(add|dmb[[:space:]]+oshst$)' '^(add|dmb[[:space:]]+oshst$)' '^strh[[:space:]]+w1' '^ret$'
	once=
	;;
*)
	echo "Bail out! no expectations for $($CC -dumpmachine)"
	exit 1
	;;
esac
# Any other architecture (i386 included: split 64-bit accesses, a 32-bit
# off_t) is refused at compile time, with the reason.
n=$((n + 1))
if $CC -E -U__x86_64__ -U__aarch64__ -D__i386__ -I"$top/libuio/include" \
	-o /dev/null "$tmp/t.c" 2>"$tmp/err" ||
   ! grep -q "libuio supports x86-64 and arm64 only" "$tmp/err"; then
	fail=$((fail + 1))
	echo "not ok $n other_architectures_are_refused"
	sed 's/^/# /' "$tmp/err"
else
	echo "ok $n other_architectures_are_refused"
fi
[ $fail -eq 0 ]
