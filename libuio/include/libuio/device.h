/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libuio device handles: open a uiox device, ask what it is, map its
 * regions.
 *
 * Thread-safety: a struct uio_dev may be shared between threads; every
 * function here is safe to call concurrently on the same handle, except
 * uio_close(), which must be the last call on it.
 */
#ifndef LIBUIO_DEVICE_H
#define LIBUIO_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uiox.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque handle of one open uiox device. */
struct uio_dev;

/**
 * uio_open() - open a device bound to uiox
 * @name: device name as under /dev/uiox/ (e.g. "0000:01:00.0"), or an
 *	absolute path to a uiox device node
 *
 * Return: a handle, or NULL with errno set: EINVAL for a NULL or malformed
 * name (empty, containing '/' but not absolute, "." or ".."), ENOENT when no
 * such device is bound, EACCES without permission, ENOTTY when the node is
 * not a uiox device (a character device of the uiox class: nothing else is
 * ever opened), EPROTO when the stub speaks an older API, ENOMEM.
 */
struct uio_dev *uio_open(const char *name);

/**
 * uio_close() - unmap everything (regions, DMA buffers) and close the device
 * @dev: handle from uio_open(), or NULL (then nothing happens)
 *
 * Always succeeds, also when the device is already gone.
 */
void uio_close(struct uio_dev *dev);

/**
 * uio_fd() - the device's file descriptor, for poll/epoll and raw ioctls
 * @dev: an open handle
 *
 * Return: the descriptor, owned by @dev (do not close it).
 */
int uio_fd(const struct uio_dev *dev);

/**
 * uio_name() - the device's name under /dev/uiox/
 * @dev: an open handle
 *
 * Return: a string owned by @dev, valid until uio_close().
 */
const char *uio_name(const struct uio_dev *dev);

/**
 * uio_gone() - whether the device behind a handle has gone away
 * @dev: an open handle
 *
 * A device goes when it is unplugged or unbound from uiox.  From then on
 * every call on the handle fails with ENODEV, and an access through its
 * mappings raises SIGBUS: stop, uio_close() it, and wait for the device to
 * come back (see uio_monitor_open()).
 *
 * Return: true once the device is gone, false while it is there.  Keeps
 * errno.
 */
bool uio_gone(struct uio_dev *dev);

/**
 * uio_device_info() - identity of the device
 * @dev: an open handle
 * @info: filled on success
 *
 * Return: 0, or -1 with errno: ENODEV once the device is gone, EFAULT.
 */
int uio_device_info(struct uio_dev *dev, struct uiox_device_info *info);

/**
 * uio_region_info() - describe one region (PCI BAR)
 * @dev: an open handle
 * @index: region index
 * @info: filled on success; size 0 means the index is unused
 *
 * Return: 0, or -1 with errno: EINVAL for an index out of range, ENODEV
 * once the device is gone.
 */
int uio_region_info(struct uio_dev *dev, unsigned int index,
		    struct uiox_region_info *info);

/**
 * uio_map_region() - map a whole memory region, read/write, uncached
 * @dev: an open handle
 * @index: region index
 * @size: if not NULL, receives the region size
 *
 * The mapping is made once and shared by later calls; it lives until
 * uio_unmap_region() or uio_close().  After the device is unplugged, an
 * access through it raises SIGBUS.
 *
 * Return: the mapping, or NULL with errno: EINVAL for an index out of
 * range, an unused index or a region that cannot be mapped (I/O ports),
 * EPERM for a region holding the MSI-X table (UIOX_REGION_MSIX) where
 * interrupts are not remapped, EBUSY while the region is mapped
 * write-combining elsewhere (see <uiox.h>), ENODEV once the device is gone,
 * ENOMEM.
 */
void *uio_map_region(struct uio_dev *dev, unsigned int index, size_t *size);

/**
 * uio_unmap_region() - drop the mapping made by uio_map_region()
 * @dev: an open handle
 * @index: region index
 *
 * Return: 0, or -1 with errno EINVAL when @index is not mapped.
 */
int uio_unmap_region(struct uio_dev *dev, unsigned int index);

/**
 * uio_bus_master() - let the device master the bus (DMA, MSI), or stop it
 * @dev: an open handle
 * @enable: true to enable
 *
 * Enabling needs the device's DMA confined by an IOMMU, or the stub's
 * allow_unsafe_dma parameter and CAP_SYS_RAWIO (see the privilege model in
 * <uiox.h> and the README); turning it off is always allowed.
 *
 * Return: 0, or -1 with errno EPERM when enabling is not allowed, ENODEV
 * once gone, ENOTTY if not PCI.
 */
int uio_bus_master(struct uio_dev *dev, bool enable);

/**
 * uio_reset() - reset the function
 * @dev: an open handle
 *
 * Mappings stay valid: they are taken away during the reset and come back
 * on the next access.
 *
 * Return: 0, or -1 with errno ENOTTY when the device has no reset method,
 * EAGAIN when it is busy, ENODEV once gone.
 */
int uio_reset(struct uio_dev *dev);

/**
 * uio_port_read() - read an I/O-port region
 * @dev: an open handle
 * @index: region index (a region with UIOX_REGION_IO)
 * @offset: byte offset, aligned to @width
 * @width: 1, 2 or 4
 * @value: receives the value
 *
 * Return: 0, or -1 with errno EINVAL (not an I/O region, bad width,
 * offset or alignment) or ENODEV.
 */
int uio_port_read(struct uio_dev *dev, unsigned int index, uint64_t offset,
		  unsigned int width, uint32_t *value);

/**
 * uio_port_write() - write an I/O-port region
 * @dev: an open handle
 * @index: region index (a region with UIOX_REGION_IO)
 * @offset: byte offset, aligned to @width
 * @width: 1, 2 or 4
 * @value: value; must fit in @width bytes
 *
 * Return: 0, or -1 with errno as uio_port_read().
 */
int uio_port_write(struct uio_dev *dev, unsigned int index, uint64_t offset,
		   unsigned int width, uint32_t value);

#ifdef __cplusplus
}
#endif

#endif /* LIBUIO_DEVICE_H */
