/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uiox internals shared by the stub's parts: core (lifecycle, char device),
 * mmap (fault-time mappings and their revocation) and the bus glue (pci).
 *
 * Lock order:
 *   mm->mmap_lock  ->  uiox_device.memory_lock  ->  mapping->i_mmap_rwsem
 *
 * memory_lock guards @gone and the regions against faults and mmap(): a
 * fault inserts a page under the read side; remove() (and later reset) take
 * the write side, mark the state, and zap every user mapping.
 */
#ifndef UIOX_H
#define UIOX_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/rwsem.h>
#include <linux/types.h>

#include <uapi/uiox.h>

#include "compat.h"

#define UIOX_MAX_REGIONS	6	/* PCI BARs 0-5 */

/**
 * struct uiox_region - one region (BAR) of a device, as userspace sees it
 * @start:	bus/physical address of the first byte
 * @size:	length in bytes, 0 for an unused index
 * @flags:	UIOX_REGION_* bits
 */
struct uiox_region {
	resource_size_t start;
	resource_size_t size;
	u32 flags;
};

/**
 * struct uiox_device - one device bound to the stub
 * @dev:	class device /sys/class/uiox/<name>; its release frees this struct
 * @cdev:	the char device behind /dev/uiox/<name>; pins @dev while open
 * @inode:	private inode whose address_space holds every user mapping of
 *		the device's regions, whichever file they came from
 * @memory_lock:	see the lock order above
 * @gone:	set once by remove(); nothing touches the hardware afterwards
 * @info:	identity reported by UIOX_GET_DEVICE_INFO (argsz unused)
 * @num_regions:	number of valid entries in @regions
 * @regions:	region table, filled by the bus glue before registration
 */
struct uiox_device {
	struct device dev;
	struct cdev cdev;
	struct inode *inode;
	struct rw_semaphore memory_lock;
	bool gone;
	struct uiox_device_info info;
	unsigned int num_regions;
	struct uiox_region regions[UIOX_MAX_REGIONS];
};

/* core.c */
struct uiox_device *uiox_device_alloc(struct device *parent, const char *name);
int uiox_device_add(struct uiox_device *udev);
void uiox_device_remove(struct uiox_device *udev);
void uiox_device_put(struct uiox_device *udev);

/* mmap.c */
int uiox_mmap(struct file *filp, struct vm_area_struct *vma);
void uiox_revoke_mappings(struct uiox_device *udev);

/* pci.c */
int uiox_pci_init(void);
void uiox_pci_exit(void);

#endif /* UIOX_H */
