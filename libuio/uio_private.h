/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libuio internals: the handle behind struct uio_dev. */
#ifndef LIBUIO_PRIVATE_H
#define LIBUIO_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ioctl.h>

#include <libuio.h>

#define UIO_MAX_REGIONS	6

struct uio_map {
	void *addr;
	size_t size;
};

/*
 * A vector file libuio holds.  In use by @users calls blocked on it; once
 * out of the table (the mode changed, or it went stale), the last of them
 * closes it, so its number is never reused while a call may still use it.
 */
struct uio_vfd {
	int fd;
	unsigned int users;
	bool cached;
};

struct uio_dev {
	int fd;
	char *name;
	pthread_mutex_t lock;		/* guards maps[], vfds[], dmas */
	unsigned int num_regions;
	struct uio_map maps[UIO_MAX_REGIONS];
	struct uio_vfd **vfds;		/* per vector, or NULL (lock) */
	unsigned int num_vfds;
	struct uio_dma *dmas;		/* buffers from uio_dma_alloc() */
};

/* Run an extensible-struct ioctl; returns 0 or -1 with errno. */
static inline int uio_ioctl(struct uio_dev *dev, unsigned long cmd, void *arg)
{
	return ioctl(dev->fd, cmd, arg) < 0 ? -1 : 0;
}

void libuio_irq_close_fds(struct uio_dev *dev);
void libuio_dma_unmap_all(struct uio_dev *dev);

/*
 * Mappings the SIGBUS handler of uio_survive_unplug() may replace, with the
 * device file they map (asked whether the device is gone).
 */
void libuio_track(void *addr, size_t len, int fd);
void libuio_untrack(void *addr);

#endif /* LIBUIO_PRIVATE_H */
