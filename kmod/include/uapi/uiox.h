/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uiox: userspace I/O with safe mappings - the user/kernel interface.
 *
 * One header, shared by the kernel stub (kmod/) and libuio.
 *
 * A bound device appears as /dev/uiox/<device name> (a PCI device uses its
 * PCI name, e.g. /dev/uiox/0000:01:00.0) and as /sys/class/uiox/<name>/.
 *
 * Regions.  Every region (a PCI BAR) has an index.  Its memory is reached by
 * mmap() of the device node at offset UIOX_REGION_OFFSET(index) + off, where
 * off is page aligned and off + length stays inside the region.
 *
 * Extensible structures.  Every ioctl argument starts with __u32 argsz, which
 * the caller sets to sizeof(struct) as it knows it.  The kernel refuses an
 * argsz smaller than the first version of the struct (EINVAL), ignores the
 * tail of a larger one, and writes back at most argsz bytes.  New fields are
 * only ever appended.
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

#define UIOX_MAGIC		0xE7

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

#define UIOX_GET_DEVICE_INFO	_IOWR(UIOX_MAGIC, 0x00, struct uiox_device_info)

/**
 * struct uiox_region_info - UIOX_GET_REGION_INFO
 * @argsz:	in: size of this struct as the caller knows it
 * @index:	in: region index, below uiox_device_info.num_regions
 * @flags:	out: UIOX_REGION_* bits; 0 with @size 0 for an unused index
 * @size:	out: region size in bytes
 * @offset:	out: mmap offset of the region's first byte
 */
struct uiox_region_info {
	__u32 argsz;
	__u32 index;
	__u32 flags;
#define UIOX_REGION_MMAP	0x00000001	/* memory, mmap-able */
#define UIOX_REGION_IO		0x00000002	/* I/O ports, pread/pwrite only */
#define UIOX_REGION_PREFETCH	0x00000004	/* prefetchable memory */
#define UIOX_REGION_MEM64	0x00000008	/* 64-bit memory BAR */
	__u32 __reserved;
	__u64 size;
	__u64 offset;
};

#define UIOX_GET_REGION_INFO	_IOWR(UIOX_MAGIC, 0x01, struct uiox_region_info)

#endif /* _UAPI_UIOX_H */
