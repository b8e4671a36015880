// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio interrupts: thin wrappers over the stub's interrupt ioctls, and a
 * table of per-vector files, for the caller's poll/epoll loop and for
 * waiting on vectors other than 0.  dev->lock guards the table; a wait
 * holds its file (uio_vfd.users) without the lock.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "uio_private.h"

int uio_irq_info(struct uio_dev *dev, struct uiox_irq_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return uio_ioctl(dev, UIOX_GET_IRQ_INFO, info);
}

/* Close @e once it is out of the table and no call uses it. */
static void uio_vfd_put(struct uio_vfd *e)
{
	if (!e->cached && !e->users) {
		close(e->fd);
		free(e);
	}
}

/* Take @vector's file out of the table; closed unless a call uses it. */
static void uio_vfd_drop(struct uio_dev *dev, unsigned int vector)
{
	struct uio_vfd *e = dev->vfds[vector];

	dev->vfds[vector] = NULL;
	e->cached = false;
	uio_vfd_put(e);
}

/* Drop every vector file; caller holds dev->lock or owns dev. */
void libuio_irq_close_fds(struct uio_dev *dev)
{
	unsigned int i;

	for (i = 0; i < dev->num_vfds; i++)
		if (dev->vfds[i])
			uio_vfd_drop(dev, i);
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
	ret = uio_ioctl(dev, UIOX_SET_IRQ_MODE, &req);
	err = errno;
	libuio_irq_close_fds(dev);
	pthread_mutex_unlock(&dev->lock);
	errno = err;
	return ret;
}

/*
 * The table's file for @vector, asking the stub for one if there is none
 * (the stub checks the vector: the table grows only for a real one).
 * Caller holds dev->lock.  Return: the entry, or NULL with errno.
 */
static struct uio_vfd *uio_vfd_get(struct uio_dev *dev, unsigned int vector)
{
	struct uiox_vector_fd req = {
		.argsz = sizeof(req), .vector = vector,
		.flags = UIOX_FD_CLOEXEC | UIOX_FD_NONBLOCK,
	};
	struct uio_vfd **grown, *e;
	unsigned int i;
	int fd;

	if (vector < dev->num_vfds && dev->vfds[vector])
		return dev->vfds[vector];
	fd = ioctl(dev->fd, UIOX_GET_VECTOR_FD, &req);
	if (fd < 0)
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		goto err_nomem;
	if (vector >= dev->num_vfds) {
		grown = realloc(dev->vfds,
				((size_t)vector + 1) * sizeof(*grown));
		if (!grown)
			goto err_nomem;
		for (i = dev->num_vfds; i <= vector; i++)
			grown[i] = NULL;
		dev->vfds = grown;
		dev->num_vfds = vector + 1;
	}
	e->fd = fd;
	e->cached = true;
	dev->vfds[vector] = e;
	return e;

err_nomem:
	free(e);
	close(fd);
	errno = ENOMEM;
	return NULL;
}

/*
 * Is the table's file for @vector from an interrupt mode that is no more
 * (changed elsewhere: sysfs, the CLI, another handle)?  Such a file
 * reports POLLHUP, as does one of a gone device.  Caller holds dev->lock.
 */
static bool uio_vfd_stale(struct uio_dev *dev, unsigned int vector)
{
	struct pollfd p;

	if (vector >= dev->num_vfds || !dev->vfds[vector])
		return false;
	p.fd = dev->vfds[vector]->fd;
	p.events = POLLIN;
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLNVAL));
}

int uio_irq_fd(struct uio_dev *dev, unsigned int vector)
{
	struct uio_vfd *e;
	int fd = -1, err;

	pthread_mutex_lock(&dev->lock);
	/* a gone device's file stays: the caller may still poll it */
	if (uio_vfd_stale(dev, vector) && !uio_gone(dev))
		uio_vfd_drop(dev, vector);
	e = uio_vfd_get(dev, vector);
	if (e)
		fd = e->fd;
	err = errno;
	pthread_mutex_unlock(&dev->lock);
	errno = err;
	return fd;
}

static long uio_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

/*
 * Wait on vector @vector's file.  The file stays open while we use it,
 * whatever another thread does to the mode; if it turns out to be from a
 * mode changed since (EBADFD), it is dropped and the wait runs once more
 * on a file of the current mode, for what is left of the timeout.
 */
static int uio_vfd_wait(struct uio_dev *dev, unsigned int vector,
			struct uiox_irq_wait *req)
{
	long start = uio_now_ms(), left;
	struct uio_vfd *e;
	int ret, err, tries;

	for (tries = 0; ; tries++) {
		if (tries && req->timeout_ms > 0) {
			left = req->timeout_ms - (uio_now_ms() - start);
			req->timeout_ms = left > 0 ? (int)left : 0;
		}
		pthread_mutex_lock(&dev->lock);
		e = uio_vfd_get(dev, vector);
		if (!e) {
			err = errno;
			pthread_mutex_unlock(&dev->lock);
			errno = err;
			return -1;
		}
		e->users++;
		pthread_mutex_unlock(&dev->lock);

		ret = ioctl(e->fd, UIOX_IRQ_UNMASK_WAIT, req);
		err = errno;

		pthread_mutex_lock(&dev->lock);
		e->users--;
		if (ret < 0 && err == EBADFD && e->cached)
			uio_vfd_drop(dev, vector);
		else
			uio_vfd_put(e);
		pthread_mutex_unlock(&dev->lock);
		if (ret >= 0 || err != EBADFD || tries)
			break;
	}
	errno = err;
	return ret < 0 ? -1 : 0;
}

int uio_irq_wait(struct uio_dev *dev, unsigned int vector, int timeout_ms,
		 uint32_t *count)
{
	struct uiox_irq_wait req = {
		.argsz = sizeof(req), .timeout_ms = timeout_ms,
	};

	/* vector 0 through the device file, others through their own */
	if (vector ? uio_vfd_wait(dev, vector, &req) :
		     uio_ioctl(dev, UIOX_IRQ_UNMASK_WAIT, &req))
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
