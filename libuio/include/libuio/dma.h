/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libuio DMA memory: buffers the device can read and write, mapped into
 * the process.
 *
 * The kernel allocates them (zeroed, physically contiguous, at most
 * UIOX_DMA_MAX_SIZE each, cache-coherent) and gives the address the device
 * must be programmed with; behind an IOMMU the device can reach these
 * buffers and nothing else.  Buffers left when the device is closed are
 * freed by the kernel after it switches bus mastering off.
 *
 * Thread-safety: every function here is safe to call concurrently on the
 * same handle; a buffer must not be freed twice, or used after its free.
 */
#ifndef LIBUIO_DMA_H
#define LIBUIO_DMA_H

#include <stddef.h>
#include <stdint.h>

#include <libuio/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct uio_dma - one DMA buffer
 * @vaddr: where the process sees it (read/write, cached)
 * @iova: where the device sees it: the address to program into the device
 * @size: its size in bytes, the requested size rounded up to pages
 *
 * The rest is private to libuio.
 */
struct uio_dma {
	void *vaddr;
	uint64_t iova;
	size_t size;
	/* private: */
	uint32_t id;
	struct uio_dma *next;
};

/**
 * uio_dma_set_mask() - tell the kernel how many address bits the device has
 * @dev: an open handle
 * @bits: 1..64; the default is 32
 *
 * Applies to buffers allocated afterwards.
 *
 * Return: 0, or -1 with errno: EINVAL for @bits out of range, EIO when the
 * machine cannot give memory under that limit, ENOTTY for a device that is
 * not PCI, ENODEV once gone.
 */
int uio_dma_set_mask(struct uio_dev *dev, unsigned int bits);

/**
 * uio_dma_alloc() - allocate and map a DMA buffer
 * @dev: an open handle
 * @size: bytes, 1..UIOX_DMA_MAX_SIZE
 *
 * Return: the buffer, until uio_dma_free() or uio_close(); or NULL with
 * errno: EINVAL for a bad @size, ENOSPC when the device's DMA memory would
 * pass the stub's dma_limit_mb, ENOMEM, EOPNOTSUPP for a device that is not
 * cache-coherent, EPERM when the device's DMA is not confined by an IOMMU
 * and unsafe DMA is not allowed (as uio_bus_master()), ENOTTY for a device
 * that is not PCI, ENODEV once gone.
 */
struct uio_dma *uio_dma_alloc(struct uio_dev *dev, size_t size);

/**
 * uio_dma_free() - unmap a buffer and give it back to the kernel
 * @dev: the handle it was allocated on
 * @buf: the buffer, or NULL (then nothing happens)
 *
 * The device must be done with it.  Once the device is gone the kernel has
 * already taken the memory back: the call then only unmaps and succeeds.
 *
 * Return: 0, or -1 with errno EINVAL when @buf is not a buffer of @dev (it
 * is then left alone).
 */
int uio_dma_free(struct uio_dev *dev, struct uio_dma *buf);

#ifdef __cplusplus
}
#endif

#endif /* LIBUIO_DMA_H */
