// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio device handles: open, identity, region info and mappings.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "uio_private.h"

#define UIO_DEV_DIR	"/dev/uiox/"

/* "/dev/uiox/<name>" for a bare name; the path itself when absolute. */
static char *uio_node_path(const char *name)
{
	char *path;

	if (!name || !*name) {
		errno = EINVAL;
		return NULL;
	}
	if (name[0] == '/')
		return strdup(name);
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		errno = EINVAL;
		return NULL;
	}
	if (asprintf(&path, UIO_DEV_DIR "%s", name) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	return path;
}

/*
 * Is @st a uiox node: a character device whose /sys/dev/char/<M:m> is in
 * the uiox class?  Its name there (the class device's) in @name.
 * Return: 0, or an errno: ENOTTY for anything else.
 */
static int uio_node_check(const struct stat *st, char *name, size_t len)
{
	char path[64], link[PATH_MAX];
	const char *base;
	ssize_t n;

	if (!S_ISCHR(st->st_mode))
		return ENOTTY;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/subsystem",
		 major(st->st_rdev), minor(st->st_rdev));
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errno == ENOENT ? ENOTTY : errno;
	link[n] = '\0';
	base = strrchr(link, '/');
	if (!base || strcmp(base + 1, "uiox"))
		return ENOTTY;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u",
		 major(st->st_rdev), minor(st->st_rdev));
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errno;
	link[n] = '\0';
	base = strrchr(link, '/');
	if (!base || strlen(base + 1) >= len)
		return ENOTTY;
	strcpy(name, base + 1);
	return 0;
}

struct uio_dev *uio_open(const char *name)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	char base[NAME_MAX + 1];
	struct stat st, fst;
	struct uio_dev *dev;
	char *path;
	int err;

	path = uio_node_path(name);
	if (!path)
		return NULL;
	/* Nothing but a uiox node is ever opened (a tty, a watchdog...). */
	if (stat(path, &st)) {
		err = errno;
		goto err_alloc;
	}
	err = uio_node_check(&st, base, sizeof(base));
	if (err)
		goto err_alloc;

	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		err = ENOMEM;
		goto err_alloc;
	}
	dev->name = strdup(base);
	if (!dev->name) {
		err = ENOMEM;
		goto err_name;
	}

	dev->fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (dev->fd < 0) {
		err = errno;
		goto err_open;
	}
	/* the same node that was checked, not one put there meanwhile */
	if (fstat(dev->fd, &fst) || !S_ISCHR(fst.st_mode) ||
	    fst.st_rdev != st.st_rdev) {
		err = ENOTTY;
		goto err_info;
	}
	if (ioctl(dev->fd, UIOX_GET_DEVICE_INFO, &info) < 0) {
		err = (errno == EINVAL) ? ENOTTY : errno;
		goto err_info;
	}
	if (info.api_version < UIOX_API_VERSION) {
		err = EPROTO;
		goto err_info;
	}
	dev->num_regions = info.num_regions < UIO_MAX_REGIONS ?
			   info.num_regions : UIO_MAX_REGIONS;
	pthread_mutex_init(&dev->lock, NULL);
	free(path);
	return dev;

err_info:
	close(dev->fd);
err_open:
	free(dev->name);
err_name:
	free(dev);
err_alloc:
	free(path);
	errno = err;
	return NULL;
}

void uio_close(struct uio_dev *dev)
{
	unsigned int i;
	int saved = errno;

	if (!dev)
		return;
	for (i = 0; i < UIO_MAX_REGIONS; i++)
		if (dev->maps[i].addr) {
			libuio_untrack(dev->maps[i].addr);
			munmap(dev->maps[i].addr, dev->maps[i].size);
		}
	libuio_dma_unmap_all(dev);
	libuio_irq_close_fds(dev);
	close(dev->fd);
	pthread_mutex_destroy(&dev->lock);
	free(dev->name);
	free(dev);
	errno = saved;
}

int uio_fd(const struct uio_dev *dev)
{
	return dev->fd;
}

const char *uio_name(const struct uio_dev *dev)
{
	return dev->name;
}

const char *uio_version(void)
{
	return LIBUIO_VERSION;
}

bool uio_gone(struct uio_dev *dev)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	int saved = errno;
	bool gone;

	gone = uio_ioctl(dev, UIOX_GET_DEVICE_INFO, &info) && errno == ENODEV;
	errno = saved;
	return gone;
}

int uio_device_info(struct uio_dev *dev, struct uiox_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return uio_ioctl(dev, UIOX_GET_DEVICE_INFO, info);
}

int uio_region_info(struct uio_dev *dev, unsigned int index,
		    struct uiox_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return uio_ioctl(dev, UIOX_GET_REGION_INFO, info);
}

int uio_bus_master(struct uio_dev *dev, bool enable)
{
	struct uiox_bus_master req = {
		.argsz = sizeof(req), .enable = enable,
	};

	return uio_ioctl(dev, UIOX_SET_BUS_MASTER, &req);
}

int uio_reset(struct uio_dev *dev)
{
	struct uiox_reset req = { .argsz = sizeof(req) };

	return uio_ioctl(dev, UIOX_RESET, &req);
}

static int uio_port_io(struct uio_dev *dev, unsigned int index,
		       uint64_t offset, unsigned int width, uint32_t flags,
		       uint32_t *value)
{
	struct uiox_port_io req = {
		.argsz = sizeof(req), .index = index, .flags = flags,
		.width = width, .offset = offset, .value = *value,
	};

	if (uio_ioctl(dev, UIOX_PORT_IO, &req))
		return -1;
	*value = req.value;
	return 0;
}

int uio_port_read(struct uio_dev *dev, unsigned int index, uint64_t offset,
		  unsigned int width, uint32_t *value)
{
	*value = 0;
	return uio_port_io(dev, index, offset, width, 0, value);
}

int uio_port_write(struct uio_dev *dev, unsigned int index, uint64_t offset,
		   unsigned int width, uint32_t value)
{
	return uio_port_io(dev, index, offset, width, UIOX_PORT_WRITE, &value);
}

void *uio_map_region(struct uio_dev *dev, unsigned int index, size_t *size)
{
	struct uiox_region_info info;
	struct uio_map *m;
	void *addr = NULL;
	int err = 0;

	if (index >= dev->num_regions) {
		errno = EINVAL;
		return NULL;
	}
	m = &dev->maps[index];

	pthread_mutex_lock(&dev->lock);
	if (m->addr) {
		addr = m->addr;
		goto out_unlock;
	}
	if (uio_region_info(dev, index, &info) < 0) {
		err = errno;
		goto out_unlock;
	}
	if (!info.size || !(info.flags & UIOX_REGION_MMAP) ||
	    info.size > SIZE_MAX) {
		err = EINVAL;
		goto out_unlock;
	}
	addr = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    dev->fd, (off_t)info.offset);
	if (addr == MAP_FAILED) {
		err = errno;
		addr = NULL;
		goto out_unlock;
	}
	m->addr = addr;
	m->size = info.size;
	libuio_track(addr, m->size, dev->fd);
out_unlock:
	if (addr && size)
		*size = m->size;
	pthread_mutex_unlock(&dev->lock);
	if (!addr)
		errno = err;
	return addr;
}

int uio_unmap_region(struct uio_dev *dev, unsigned int index)
{
	struct uio_map *m;
	int ret = 0;

	if (index >= dev->num_regions) {
		errno = EINVAL;
		return -1;
	}
	m = &dev->maps[index];

	pthread_mutex_lock(&dev->lock);
	if (!m->addr) {
		ret = -1;
	} else {
		libuio_untrack(m->addr);
		munmap(m->addr, m->size);
		m->addr = NULL;
		m->size = 0;
	}
	pthread_mutex_unlock(&dev->lock);
	if (ret)
		errno = EINVAL;
	return ret;
}
