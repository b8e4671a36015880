// SPDX-License-Identifier: LGPL-2.1-or-later
/* libuio DMA buffers: see <libuio/dma.h>. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "uio_private.h"

int uio_dma_set_mask(struct uio_dev *dev, unsigned int bits)
{
	struct uiox_dma_mask req = { .argsz = sizeof(req), .bits = bits };

	return uio_ioctl(dev, UIOX_SET_DMA_MASK, &req);
}

/* Ask the kernel to take a buffer back; a gone device already did. */
static void uio_dma_release(struct uio_dev *dev, uint32_t id)
{
	struct uiox_dma_free req = { .argsz = sizeof(req), .id = id };
	int saved = errno;

	uio_ioctl(dev, UIOX_DMA_FREE, &req);
	errno = saved;
}

struct uio_dma *uio_dma_alloc(struct uio_dev *dev, size_t size)
{
	struct uiox_dma_alloc req = { .argsz = sizeof(req), .size = size };
	struct uio_dma *buf;
	void *addr;

	buf = calloc(1, sizeof(*buf));
	if (!buf)
		return NULL;
	if (uio_ioctl(dev, UIOX_DMA_ALLOC, &req))
		goto err_alloc;
	addr = mmap(NULL, req.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    dev->fd, (off_t)req.offset);
	if (addr == MAP_FAILED)
		goto err_map;

	libuio_track(addr, req.size, dev->fd);
	buf->vaddr = addr;
	buf->iova = req.iova;
	buf->size = req.size;
	buf->id = req.id;
	pthread_mutex_lock(&dev->lock);
	buf->next = dev->dmas;
	dev->dmas = buf;
	pthread_mutex_unlock(&dev->lock);
	return buf;

err_map:
	uio_dma_release(dev, req.id);
err_alloc:
	free(buf);
	return NULL;
}

int uio_dma_free(struct uio_dev *dev, struct uio_dma *buf)
{
	struct uio_dma **p;
	bool found;

	if (!buf)
		return 0;
	pthread_mutex_lock(&dev->lock);
	for (p = &dev->dmas; *p && *p != buf; p = &(*p)->next)
		;
	found = *p;
	if (found)
		*p = buf->next;
	pthread_mutex_unlock(&dev->lock);
	if (!found) {
		errno = EINVAL;
		return -1;
	}
	libuio_untrack(buf->vaddr);
	munmap(buf->vaddr, buf->size);
	uio_dma_release(dev, buf->id);
	free(buf);
	return 0;
}

void libuio_dma_unmap_all(struct uio_dev *dev)
{
	struct uio_dma *buf, *next;

	for (buf = dev->dmas; buf; buf = next) {
		next = buf->next;
		libuio_untrack(buf->vaddr);
		munmap(buf->vaddr, buf->size);
		free(buf);
	}
	dev->dmas = NULL;
}
