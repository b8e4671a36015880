// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio interrupts: thin wrappers over the stub's interrupt ioctls, and a
 * cache of per-vector descriptors for the caller's poll/epoll loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uio_private.h"

int uio_irq_info(struct uio_dev *dev, struct uiox_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return uio_ioctl(dev, UIOX_GET_IRQ_INFO, info);
}

/* Close the cached vector descriptors; caller holds dev->lock or owns dev. */
void libuio_irq_close_fds(struct uio_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_vfds; i++)
		if (dev->vfds[i] >= 0)
			close(dev->vfds[i]);
	free(dev->vfds);
	dev->vfds = NULL;
	dev->num_vfds = 0;
}

int uio_irq_set_mode(struct uio_dev *dev, uint32_t mode,
		     unsigned int num_vectors)
{
	struct uiox_irq_mode req = {
		.argsz = sizeof(req), .mode = mode, .num_vectors = num_vectors,
	};
	int ret, err;

	pthread_mutex_lock(&dev->lock);
	libuio_irq_close_fds(dev);
	ret = uio_ioctl(dev, UIOX_SET_IRQ_MODE, &req);
	err = errno;
	pthread_mutex_unlock(&dev->lock);
	errno = err;
	return ret;
}

int uio_irq_fd(struct uio_dev *dev, unsigned int vector)
{
	struct uiox_vector_fd req = {
		.argsz = sizeof(req), .vector = vector,
		.flags = UIOX_FD_CLOEXEC | UIOX_FD_NONBLOCK,
	};
	int fd = -1, err = 0;
	unsigned int i;
	int *grown;

	pthread_mutex_lock(&dev->lock);
	if (vector < dev->num_vfds && dev->vfds[vector] >= 0) {
		fd = dev->vfds[vector];
		goto out_unlock;
	}
	/* The stub checks the vector: the array grows only for a real one. */
	fd = ioctl(dev->fd, UIOX_GET_VECTOR_FD, &req);
	if (fd < 0) {
		err = errno;
		goto out_unlock;
	}
	if (vector >= dev->num_vfds) {
		grown = realloc(dev->vfds, ((size_t)vector + 1) * sizeof(*grown));
		if (!grown) {
			close(fd);
			fd = -1;
			err = ENOMEM;
			goto out_unlock;
		}
		for (i = dev->num_vfds; i <= vector; i++)
			grown[i] = -1;
		dev->vfds = grown;
		dev->num_vfds = vector + 1;
	}
	dev->vfds[vector] = fd;
out_unlock:
	pthread_mutex_unlock(&dev->lock);
	if (fd < 0)
		errno = err;
	return fd;
}

int uio_irq_wait(struct uio_dev *dev, unsigned int vector, int timeout_ms,
		 uint32_t *count)
{
	struct uiox_irq_wait req = {
		.argsz = sizeof(req), .timeout_ms = timeout_ms,
	};
	int fd = dev->fd;

	/* vector 0 through the device file, others through their own */
	if (vector) {
		fd = uio_irq_fd(dev, vector);
		if (fd < 0)
			return -1;
	}
	if (ioctl(fd, UIOX_IRQ_UNMASK_WAIT, &req) < 0)
		return -1;
	if (count)
		*count = req.count;
	return 0;
}

int uio_irq_mask(struct uio_dev *dev, unsigned int vector, bool masked)
{
	struct uiox_irq_mask req = {
		.argsz = sizeof(req), .vector = vector, .masked = masked,
	};

	return uio_ioctl(dev, UIOX_SET_IRQ_MASK, &req);
}
