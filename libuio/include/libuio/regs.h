/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libuio register access: typed loads and stores on a mapped region.
 *
 * uio_readN() / uio_writeN() order device accesses against normal memory
 * the way the kernel's readl()/writel() do:
 *   - a write is not issued before earlier stores to normal memory (a DMA
 *     descriptor filled in just before ringing a doorbell) are visible;
 *   - a read completes before later loads from normal memory (the data a
 *     status register says is ready).
 * Each one is a single access of exactly its width (never split, merged,
 * or elided) plus the barrier the architecture needs: on x86-64, uncached
 * MMIO is already ordered, so only the compiler is fenced; on arm64, a
 * "dmb oshst" precedes each write and a "dmb oshld" follows each read.
 *
 * The _relaxed variants are the bare single access with no ordering
 * against normal memory; accesses to the same device stay in program order.
 *
 * @base is a pointer returned by uio_map_region(); @off is a byte offset,
 * which must be aligned to the access width.  All functions are inline,
 * never fail, and are safe from any thread.
 */
#ifndef LIBUIO_REGS_H
#define LIBUIO_REGS_H

/*
 * x86-64 and arm64 only: 32-bit targets split 64-bit accesses, and their
 * off_t cannot reach the stub's mmap offsets without large-file support.
 */
#if !defined(__x86_64__) && !defined(__aarch64__)
#error "libuio supports x86-64 and arm64 only"
#endif

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__x86_64__)
#define uio_io_wmb()	__asm__ __volatile__("" ::: "memory")
#define uio_io_rmb()	__asm__ __volatile__("" ::: "memory")
#elif defined(__aarch64__)
#define uio_io_wmb()	__asm__ __volatile__("dmb oshst" ::: "memory")
#define uio_io_rmb()	__asm__ __volatile__("dmb oshld" ::: "memory")
#endif

#define UIO_REG_PTR(type, base, off) \
	((volatile type *)((volatile uint8_t *)(base) + (off)))

#if defined(__aarch64__)
/*
 * Plain register-indirect ldr/str: one access of the exact width, and an
 * addressing mode that a hypervisor can emulate (no writeback, no pairs).
 */
#define UIO_DEFINE_RAW(bits, type, sfx, reg)				\
static inline type uio_read##bits##_relaxed(const void *base, size_t off) \
{									\
	type v;								\
	__asm__ __volatile__("ldr" sfx " %" reg "0, [%1]"		\
			     : "=r" (v)					\
			     : "r" (UIO_REG_PTR(type, base, off)));	\
	return v;							\
}									\
static inline void uio_write##bits##_relaxed(void *base, size_t off,	\
					     type v)			\
{									\
	__asm__ __volatile__("str" sfx " %" reg "0, [%1]"		\
			     : : "rZ" (v),				\
			       "r" (UIO_REG_PTR(type, base, off)));	\
}
UIO_DEFINE_RAW(8, uint8_t, "b", "w")
UIO_DEFINE_RAW(16, uint16_t, "h", "w")
UIO_DEFINE_RAW(32, uint32_t, "", "w")
UIO_DEFINE_RAW(64, uint64_t, "", "x")
#else
#define UIO_DEFINE_RAW(bits, type)					\
static inline type uio_read##bits##_relaxed(const void *base, size_t off) \
{									\
	return *UIO_REG_PTR(type, base, off);				\
}									\
static inline void uio_write##bits##_relaxed(void *base, size_t off,	\
					     type v)			\
{									\
	*UIO_REG_PTR(type, base, off) = v;				\
}
UIO_DEFINE_RAW(8, uint8_t)
UIO_DEFINE_RAW(16, uint16_t)
UIO_DEFINE_RAW(32, uint32_t)
UIO_DEFINE_RAW(64, uint64_t)
#endif
#undef UIO_DEFINE_RAW

#define UIO_DEFINE_ORDERED(bits, type)					\
static inline type uio_read##bits(const void *base, size_t off)		\
{									\
	type v = uio_read##bits##_relaxed(base, off);			\
	uio_io_rmb();							\
	return v;							\
}									\
static inline void uio_write##bits(void *base, size_t off, type v)	\
{									\
	uio_io_wmb();							\
	uio_write##bits##_relaxed(base, off, v);			\
}
UIO_DEFINE_ORDERED(8, uint8_t)
UIO_DEFINE_ORDERED(16, uint16_t)
UIO_DEFINE_ORDERED(32, uint32_t)
UIO_DEFINE_ORDERED(64, uint64_t)
#undef UIO_DEFINE_ORDERED

#ifdef __cplusplus
}
#endif

#endif /* LIBUIO_REGS_H */
