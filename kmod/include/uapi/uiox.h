/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uiox: userspace I/O with safe mappings - the user/kernel interface.
 *
 * One header, shared by the kernel stub (kmod/) and libuio.
 *
 * A bound device appears as /dev/uiox/<device name> (a PCI device uses its
 * PCI name, e.g. /dev/uiox/0000:01:00.0) and as /sys/class/uiox/<name>/.
 *
 * Regions.  Every region (a PCI BAR, or a platform device's memory
 * resource in device-tree "reg" order) has an index.  Its memory is reached by
 * mmap() of the device node at offset UIOX_REGION_OFFSET(index) + off, where
 * off is page aligned and off + length stays inside the region.
 *
 * A memory region of 512 GiB or more (UIOX_OFFSET_WC) cannot be mapped:
 * its offsets would not fit below the write-combining bit.
 *
 * I/O-port regions cannot be mapped; UIOX_PORT_IO reads or writes them, one
 * access of 1, 2 or 4 bytes per call.
 *
 * Write-combining.  On a prefetchable region, mmap() at
 * UIOX_REGION_OFFSET_WC(index) + off maps write-combined instead of uncached.
 * A region has one cache mode at a time: while it has mappings of one mode,
 * mmap() in the other fails with EBUSY.
 *
 * Mappings are MAP_SHARED, never executable (mprotect() cannot add
 * PROT_EXEC) and cannot grow (mremap()).  mmap() fails with EINVAL for
 * MAP_PRIVATE, an index past the last region, a region that is empty or
 * not mmap-able, a range not inside the region, or write-combining on a
 * region that is not prefetchable; EPERM for PROT_EXEC, or for pages of the
 * MSI-X table or PBA (see UIOX_REGION_MSIX); EBUSY as above; ENODEV once
 * the device is gone.  A mapping of a device that is gone, or of a DMA
 * buffer given back, raises SIGBUS when touched.
 *
 * Interrupts.  The device file speaks the UIO protocol for vector 0: read()
 * of exactly 4 bytes blocks until a new event and returns the cumulative
 * event count (__s32); write() of a 4-byte 1 unmasks, 0 masks; poll() is
 * readable on a new event; O_NONBLOCK gives EAGAIN.  UIOX_GET_VECTOR_FD
 * returns a file with the same semantics for any vector.  After the device
 * is removed, read() fails with ENODEV and poll() reports POLLERR|POLLHUP;
 * after the interrupt mode is changed, files of the old vectors fail with
 * EBADFD, while the device file follows the change: a read() blocked on it
 * goes on waiting for the new vector 0 (EIO if the new mode is none).  When
 * the PCI core reports an error on the device or below its port (AER, DPC),
 * each open file's next wait - read(), UIOX_IRQ_UNMASK_WAIT, or one already
 * blocked - fails once with EIO, and poll() reports POLLERR until then.  After a non-fatal
 * error the device carries on; for a fatal one the kernel resets the link,
 * which loses the device's configuration (remove and rescan it).
 *
 * Privileges.  Opening the node (a udev rule decides who may) gives
 * register access: info, mappings, interrupts.  A file opened O_RDONLY may
 * read info, wait for interrupts (read, poll) and map regions read-only;
 * every ioctl that changes the device fails on it with EBADF, and so does
 * a write through UIOX_PORT_IO.  Anything that lets the device write
 * memory - UIOX_SET_BUS_MASTER on, UIOX_DMA_ALLOC - also needs either
 *   - the device's DMA translated by an IOMMU (a paging domain, not
 *     identity/passthrough), its IOMMU group viable (every other device
 *     in the group unbound, bound to uiox, or bound to a driver that does
 *     no DMA of its own: pcieport, pci-stub, ...) and its MSI isolated
 *     (interrupt remapping), or
 *   - CAP_SYS_RAWIO and the module parameter allow_unsafe_dma=1, which
 *     taints the kernel and says so once per device in the kernel log;
 * otherwise it fails with EPERM, and the kernel log says why.  When a
 * driver that does DMA of its own binds to another device of the group
 * later, bus mastering goes off before that driver's probe runs (the
 * kernel log says so); turning it on again asks for permission again.
 * /sys/class/uiox/<name>/dma reads "iommu <domain type>", "unsafe: <why>"
 * or "denied: <why>" ("none" for a platform device).
 *
 * DMA memory.  UIOX_DMA_ALLOC gives a buffer of zeroed memory the device can
 * reach at the returned iova (through the IOMMU when there is one, which
 * then lets the device reach nothing else of the machine's memory).
 * mmap() it at the returned offset; it is mapped cached, as ordinary
 * memory.  UIOX_DMA_FREE by the file that allocated it gives it back:
 * mappings of it then raise SIGBUS.
 * Buffers still held when the file that allocated them is closed are
 * freed then, after bus mastering is switched off, so that the device
 * cannot write into memory given back to the kernel.  PCI devices only.
 *
 * The ioctl ABI (frozen at 1.0; it is only ever extended).
 *
 *   - Ioctl numbers are _IO(UIOX_MAGIC, nr): they never encode a struct
 *     size, so a program built against a later, larger struct calls the
 *     same number.  An unknown number fails with ENOTTY.
 *   - Every argument starts with __u32 argsz, which the caller sets to
 *     sizeof(struct) as it knows it.  The kernel reads it with the rules of
 *     the kernel's copy_struct_from_user():
 *       argsz below the struct's first (1.0) size      EINVAL
 *       argsz above what this kernel knows, extra bytes all zero
 *                                                      accepted
 *       argsz above what this kernel knows, a non-zero extra byte
 *                                                      E2BIG
 *       argsz above UIOX_ARGSZ_MAX                     E2BIG
 *     and writes back at most argsz bytes (never past what it knows).
 *     New fields are only ever appended, and zero means "as before".
 *   - Fields named __reserved, and flag bits not defined here, must be zero
 *     on input (EINVAL).  Zero the whole struct before filling it in: an
 *     out-only field a later version appends is part of the tail an older
 *     kernel requires to be zero.
 *   - An unreadable or unwritable argument fails with EFAULT; a removed
 *     device with ENODEV.  Each ioctl below lists its other errors.
 */
#ifndef _UAPI_UIOX_H
#define _UAPI_UIOX_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define UIOX_API_VERSION	1

/* Region mmap offsets: the region index lives above bit 40. */
#define UIOX_REGION_SHIFT	40
#define UIOX_REGION_OFFSET(index)	((__u64)(index) << UIOX_REGION_SHIFT)
#define UIOX_OFFSET_TO_INDEX(off)	((__u32)((__u64)(off) >> UIOX_REGION_SHIFT))
#define UIOX_OFFSET_MASK	((1ULL << UIOX_REGION_SHIFT) - 1)
#define UIOX_OFFSET_WC		0x0000008000000000ULL	/* bit 39: write-combine */
#define UIOX_REGION_OFFSET_WC(index)	(UIOX_REGION_OFFSET(index) | UIOX_OFFSET_WC)

#define UIOX_MAGIC		0xE7

/* Largest argsz any ioctl accepts (E2BIG above it). */
#define UIOX_ARGSZ_MAX		4096

/**
 * struct uiox_device_info - UIOX_GET_DEVICE_INFO
 * @argsz:	in: size of this struct as the caller knows it
 * @flags:	out: UIOX_DEVICE_* bits
 * @api_version:	out: UIOX_API_VERSION of the running stub
 * @num_regions:	out: number of region indexes (some may be empty)
 * @num_irqs:	out: number of interrupt vectors currently enabled
 * @vendor:	out: PCI vendor ID (0 for platform devices)
 * @device:	out: PCI device ID
 * @subsystem_vendor:	out: PCI subsystem vendor ID
 * @subsystem_device:	out: PCI subsystem device ID
 * @class_code:	out: PCI class code (24 bits)
 */
struct uiox_device_info {
	__u32 argsz;
	__u32 flags;
#define UIOX_DEVICE_PCI		0x00000001
#define UIOX_DEVICE_PLATFORM	0x00000002
	__u32 api_version;
	__u32 num_regions;
	__u32 num_irqs;
	__u16 vendor;
	__u16 device;
	__u16 subsystem_vendor;
	__u16 subsystem_device;
	__u32 class_code;
};

#define UIOX_GET_DEVICE_INFO	_IO(UIOX_MAGIC, 0x00)

/**
 * struct uiox_region_info - UIOX_GET_REGION_INFO
 * @argsz:	in: size of this struct as the caller knows it
 * @index:	in: region index, below uiox_device_info.num_regions
 * @flags:	out: UIOX_REGION_* bits; 0 with @size 0 for an unused index
 * @size:	out: region size in bytes
 * @__reserved:	in: must be 0; out: 0
 * @offset:	out: mmap offset of the region's first byte; 0 for an unused
 *		index
 */
struct uiox_region_info {
	__u32 argsz;
	__u32 index;
	__u32 flags;
#define UIOX_REGION_MMAP	0x00000001	/* memory, mmap-able */
#define UIOX_REGION_IO		0x00000002	/* I/O ports: UIOX_PORT_IO only */
#define UIOX_REGION_PREFETCH	0x00000004	/* prefetchable memory */
#define UIOX_REGION_MEM64	0x00000008	/* 64-bit memory BAR */
/*
 * Holds the MSI-X table or PBA.  Their pages cannot be mapped (EPERM)
 * unless the platform isolates MSI (interrupt remapping): writing the
 * table would aim the device's interrupts anywhere.
 */
#define UIOX_REGION_MSIX	0x00000010
	__u32 __reserved;
	__u64 size;
	__u64 offset;
};

#define UIOX_GET_REGION_INFO	_IO(UIOX_MAGIC, 0x01)

/* Interrupt modes */
#define UIOX_IRQ_NONE		0
/* INTX: the wired line, PCI INTx or a platform device's interrupt */
#define UIOX_IRQ_INTX		1
#define UIOX_IRQ_MSI		2
#define UIOX_IRQ_MSIX		3

/**
 * struct uiox_irq_info - UIOX_GET_IRQ_INFO
 * @argsz:	in: size of this struct as the caller knows it
 * @flags:	out: UIOX_IRQ_CAN_* bits, what the device supports
 * @mode:	out: current UIOX_IRQ_* mode
 * @num_vectors:	out: vectors enabled in the current mode
 * @max_msi:	out: most MSI vectors the device offers (0: no MSI)
 * @max_msix:	out: most MSI-X vectors the device offers (0: no MSI-X)
 */
struct uiox_irq_info {
	__u32 argsz;
	__u32 flags;
#define UIOX_IRQ_CAN_INTX	0x00000001
#define UIOX_IRQ_CAN_MSI	0x00000002
#define UIOX_IRQ_CAN_MSIX	0x00000004
#define UIOX_IRQ_INTX_MASKING	0x00000008	/* PCI 2.3 INTx masking in use */
	__u32 mode;
	__u32 num_vectors;
	__u32 max_msi;
	__u32 max_msix;
};

#define UIOX_GET_IRQ_INFO	_IO(UIOX_MAGIC, 0x02)

/**
 * struct uiox_irq_mode - UIOX_SET_IRQ_MODE
 * @argsz:	in: size of this struct as the caller knows it
 * @mode:	in: UIOX_IRQ_* mode
 * @num_vectors:	in: vectors wanted: 1 for INTx, 1..max for MSI/MSI-X,
 *		0 for UIOX_IRQ_NONE
 *
 * Frees the current vectors (their files then fail with EBADFD) and sets
 * up the new ones, unmasked.  MSI and MSI-X are memory writes by the
 * device: they arrive only with bus mastering on (UIOX_SET_BUS_MASTER).
 * The kernel memory the vectors take is charged to the caller's memory
 * cgroup and uncharged when they are freed.
 *
 * Fails with EINVAL for an unknown mode or a vector count it does not
 * allow, EOPNOTSUPP for a mode the device lacks (the current vectors
 * stay); when the kernel cannot set the vectors up, with its error - EBUSY
 * (an INTx line shared with a device that cannot mask INTx, or held by
 * another driver), ENOSPC, ENOMEM, EINVAL (MSI unavailable) - and the
 * device is left in UIOX_IRQ_NONE.
 */
struct uiox_irq_mode {
	__u32 argsz;
	__u32 mode;
	__u32 num_vectors;
};

#define UIOX_SET_IRQ_MODE	_IO(UIOX_MAGIC, 0x03)

/**
 * struct uiox_irq_mask - UIOX_SET_IRQ_MASK
 * @argsz:	in: size of this struct as the caller knows it
 * @vector:	in: vector index
 * @masked:	in: 1 to mask, 0 to unmask
 */
struct uiox_irq_mask {
	__u32 argsz;
	__u32 vector;
	__u32 masked;
};

#define UIOX_SET_IRQ_MASK	_IO(UIOX_MAGIC, 0x04)

/**
 * struct uiox_vector_fd - UIOX_GET_VECTOR_FD, returns a new file descriptor
 * @argsz:	in: size of this struct as the caller knows it
 * @vector:	in: vector index
 * @flags:	in: UIOX_FD_* bits
 *
 * Fails with EINVAL for a vector the current mode does not have, EMFILE
 * or ENFILE when no descriptor is free, ENOMEM.
 */
struct uiox_vector_fd {
	__u32 argsz;
	__u32 vector;
	__u32 flags;
#define UIOX_FD_CLOEXEC		0x00000001
#define UIOX_FD_NONBLOCK	0x00000002
};

#define UIOX_GET_VECTOR_FD	_IO(UIOX_MAGIC, 0x05)

/**
 * struct uiox_irq_wait - UIOX_IRQ_UNMASK_WAIT: unmask, then wait, in one call
 * @argsz:	in: size of this struct as the caller knows it
 * @vector:	in: vector index (ignored on a vector file: its own vector)
 * @timeout_ms:	in: longest wait in milliseconds, -1 for no limit, 0 to
 *		check without waiting (O_NONBLOCK does not apply here)
 * @count:	out: cumulative event count, as read() returns it
 *
 * Fails with ETIMEDOUT when no event came in time, EINTR when a signal
 * came first (never restarted, even with SA_RESTART: the caller decides how
 * much of its timeout is left), EINVAL for @timeout_ms below -1 or another
 * vector than 0 on the device file, and like read() otherwise (ENODEV,
 * EBADFD, EIO in UIOX_IRQ_NONE or for a PCI error).
 */
struct uiox_irq_wait {
	__u32 argsz;
	__u32 vector;
	__s32 timeout_ms;
	__u32 count;
};

#define UIOX_IRQ_UNMASK_WAIT	_IO(UIOX_MAGIC, 0x06)

/**
 * struct uiox_bus_master - UIOX_SET_BUS_MASTER
 * @argsz:	in: size of this struct as the caller knows it
 * @enable:	in: 1 to let the device master the bus (DMA, MSI), 0 to stop it
 *
 * Turning it on fails with EPERM unless the device's DMA is confined or
 * unsafe DMA is allowed (see Privileges); turning it off never does.
 */
struct uiox_bus_master {
	__u32 argsz;
	__u32 enable;
};

#define UIOX_SET_BUS_MASTER	_IO(UIOX_MAGIC, 0x07)

/**
 * struct uiox_reset - UIOX_RESET: reset the function
 * @argsz:	in: size of this struct as the caller knows it
 * @flags:	in: must be 0
 *
 * Mappings are zapped during the reset and fault back in afterwards; an
 * access meanwhile waits.  The same holds for the PCI core's own resets
 * (sysfs "reset", pci_reset_bus()), not for the link resets of error
 * recovery (AER, DPC).  Fails with ENOTTY when the device has no reset
 * method (or does not come back from it; or with the reset's own error),
 * EAGAIN when the device or its upstream bridge is busy (e.g. being bound
 * or unbound, or reset by someone else): it does not wait.
 */
struct uiox_reset {
	__u32 argsz;
	__u32 flags;
};

#define UIOX_RESET		_IO(UIOX_MAGIC, 0x08)

/**
 * struct uiox_port_io - UIOX_PORT_IO: one access to an I/O-port region
 * @argsz:	in: size of this struct as the caller knows it
 * @index:	in: region index; the region must have UIOX_REGION_IO
 * @flags:	in: UIOX_PORT_WRITE to write @value, else read into it
 * @width:	in: 1, 2 or 4 bytes
 * @offset:	in: byte offset in the region, aligned to @width
 * @value:	in: value to write; out: value read
 * @__reserved:	in: must be 0
 *
 * Fails with EINVAL for a region without UIOX_REGION_IO, a bad @width, a
 * @value to write wider than @width, or an @offset out of the region or
 * not aligned; EBADF for a write on a file opened O_RDONLY; ENOTTY for a
 * platform device.
 */
struct uiox_port_io {
	__u32 argsz;
	__u32 index;
	__u32 flags;
#define UIOX_PORT_WRITE		0x00000001
	__u32 width;
	__u64 offset;
	__u32 value;
	__u32 __reserved;
};

#define UIOX_PORT_IO		_IO(UIOX_MAGIC, 0x09)

/**
 * struct uiox_dma_mask - UIOX_SET_DMA_MASK: what the device can address
 * @argsz:	in: size of this struct as the caller knows it
 * @bits:	in: address bits the device drives, 1..64 (the default is 32)
 *
 * Fails with EIO when the platform cannot give memory that low.
 */
struct uiox_dma_mask {
	__u32 argsz;
	__u32 bits;
};

#define UIOX_SET_DMA_MASK	_IO(UIOX_MAGIC, 0x0a)

/* Largest buffer UIOX_DMA_ALLOC gives: one physically contiguous block. */
#define UIOX_DMA_MAX_SIZE	(4ULL << 20)

/**
 * struct uiox_dma_alloc - UIOX_DMA_ALLOC: allocate a DMA buffer
 * @argsz:	in: size of this struct as the caller knows it
 * @flags:	in: must be 0
 * @size:	in: bytes wanted, 1..UIOX_DMA_MAX_SIZE; out: rounded up to pages
 * @iova:	out: the buffer's address as the device sees it
 * @offset:	out: mmap() offset of the buffer
 * @id:		out: the buffer's handle for UIOX_DMA_FREE
 * @__reserved:	in: must be 0; out: 0
 *
 * Fails with EPERM (see Privileges), ENOSPC when the device's DMA memory
 * would pass the module parameter dma_limit_mb, ENOMEM when there is no
 * such memory below the DMA mask, EOPNOTSUPP for a device that is not
 * cache-coherent, ENOTTY for a platform device.
 */
struct uiox_dma_alloc {
	__u32 argsz;
	__u32 flags;
	__u64 size;
	__u64 iova;
	__u64 offset;
	__u32 id;
	__u32 __reserved;
};

#define UIOX_DMA_ALLOC		_IO(UIOX_MAGIC, 0x0b)

/**
 * struct uiox_dma_free - UIOX_DMA_FREE: give a DMA buffer back
 * @argsz:	in: size of this struct as the caller knows it
 * @id:		in: uiox_dma_alloc.id
 *
 * The device must no longer use the buffer.  Its mappings stay, but any
 * access to them then raises SIGBUS.  Only the open file description that
 * allocated a buffer (shared by dup() and fork()) frees it, or closing it
 * does: fails with ENOENT for an id that is unknown or another file's
 * (another file may still map it), ENOTTY for a platform device.
 */
struct uiox_dma_free {
	__u32 argsz;
	__u32 id;
};

#define UIOX_DMA_FREE		_IO(UIOX_MAGIC, 0x0c)

#endif /* _UAPI_UIOX_H */
