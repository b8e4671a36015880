// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio discovery through libudev: the "uiox" class in sysfs, and its
 * uevents.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libudev.h>

#include <libuio/discover.h>

/*
 * A hex sysfs attribute of the device uiox is bound to, when that is a PCI
 * function; 0 otherwise (a platform device, whatever its ancestors are).
 */
static uint16_t uio_pci_id(struct udev_device *dev, const char *attr)
{
	struct udev_device *bound = udev_device_get_parent(dev);
	const char *subsystem, *val;

	subsystem = bound ? udev_device_get_subsystem(bound) : NULL;
	if (!subsystem || strcmp(subsystem, "pci"))
		return 0;
	val = udev_device_get_sysattr_value(bound, attr);
	return val ? (uint16_t)strtoul(val, NULL, 16) : 0;
}

static int uio_by_name(const void *a, const void *b)
{
	const char *x = *(const char * const *)a, *y = *(const char * const *)b;

	return strcmp(strrchr(x, '/') + 1, strrchr(y, '/') + 1);
}

/*
 * The class devices' syspaths, sorted by name: libudev sorts by syspath,
 * where a device behind a bridge sorts by the bridge's slot.  Return: how
 * many, or -1 with errno; *paths to free(), the strings inside it.
 */
static int uio_scan(struct udev *udev, char ***paths)
{
	struct udev_list_entry *entry;
	struct udev_enumerate *en;
	char **v = NULL, **grown;
	int n = 0, err;

	en = udev_enumerate_new(udev);
	if (!en) {
		errno = ENOMEM;
		return -1;
	}
	err = -udev_enumerate_add_match_subsystem(en, "uiox");
	if (!err)
		err = -udev_enumerate_scan_devices(en);
	udev_list_entry_foreach(entry, err ? NULL :
				udev_enumerate_get_list_entry(en)) {
		const char *path = udev_list_entry_get_name(entry);

		if (!strchr(path, '/'))
			continue;
		grown = realloc(v, (n + 1) * sizeof(*v));
		if (!grown) {
			err = ENOMEM;
			break;
		}
		v = grown;
		v[n] = strdup(path);
		if (!v[n]) {
			err = ENOMEM;
			break;
		}
		n++;
	}
	udev_enumerate_unref(en);
	if (err) {
		while (n)
			free(v[--n]);
		free(v);
		errno = err;
		return -1;
	}
	if (n)
		qsort(v, n, sizeof(*v), uio_by_name);
	*paths = v;
	return n;
}

int uio_enumerate(uio_enum_cb cb, void *arg)
{
	struct udev *udev;
	int i, n, count = 0, stop = 0, err;
	char **paths = NULL;

	udev = udev_new();
	if (!udev) {
		errno = ENOMEM;
		return -1;
	}
	n = uio_scan(udev, &paths);
	err = errno;
	for (i = 0; i < n; i++) {
		struct udev_device *dev;
		struct uio_dev_desc desc;

		dev = stop ? NULL : udev_device_new_from_syspath(udev, paths[i]);
		free(paths[i]);
		if (!dev)
			continue;	/* stopped, or unbound while we looked */
		desc.name = udev_device_get_sysname(dev);
		desc.devnode = udev_device_get_devnode(dev);
		desc.syspath = udev_device_get_syspath(dev);
		desc.vendor = uio_pci_id(dev, "vendor");
		desc.device = uio_pci_id(dev, "device");
		if (!desc.devnode)
			desc.devnode = "";
		count++;
		stop = cb ? cb(&desc, arg) : 0;
		udev_device_unref(dev);
	}
	free(paths);
	udev_unref(udev);
	if (n < 0) {
		errno = err;
		return -1;
	}
	return count;
}

struct uio_find_ctx {
	uint16_t vendor, device;
	unsigned int nth;
	char *name;
	size_t len;
	int err;
};

static int uio_find_cb(const struct uio_dev_desc *desc, void *arg)
{
	struct uio_find_ctx *ctx = arg;

	if (desc->vendor != ctx->vendor || desc->device != ctx->device)
		return 0;
	if (ctx->nth) {
		ctx->nth--;
		return 0;
	}
	if (strlen(desc->name) >= ctx->len) {
		ctx->err = ENAMETOOLONG;
	} else {
		strcpy(ctx->name, desc->name);
		ctx->err = 0;
	}
	return 1;
}

int uio_find_pci(uint16_t vendor, uint16_t device, unsigned int nth,
		 char *name, size_t len)
{
	struct uio_find_ctx ctx = {
		.vendor = vendor, .device = device, .nth = nth,
		.name = name, .len = len, .err = ENOENT,
	};

	if (!name || !len) {
		errno = EINVAL;
		return -1;
	}
	if (uio_enumerate(uio_find_cb, &ctx) < 0)
		return -1;
	if (ctx.err) {
		errno = ctx.err;
		return -1;
	}
	return 0;
}

struct uio_monitor {
	struct udev *udev;
	struct udev_monitor *mon;
};

struct uio_monitor *uio_monitor_open(void)
{
	struct uio_monitor *m;
	const char *source;
	int err = ENOMEM;

	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->udev = udev_new();
	if (!m->udev)
		goto err_udev;
	/* The daemon relays events after its rules; without it, the kernel's. */
	source = access("/run/udev/control", F_OK) == 0 ? "udev" : "kernel";
	errno = 0;
	m->mon = udev_monitor_new_from_netlink(m->udev, source);
	if (!m->mon) {
		err = errno ? errno : ENOMEM;
		goto err_monitor;
	}
	/*
	 * libudev sizes the socket itself (128 MiB, or net.core.rmem_max
	 * without CAP_NET_ADMIN), and filters by subsystem: in the kernel
	 * for the daemon's events, in userspace for the kernel's.
	 */
	err = -udev_monitor_filter_add_match_subsystem_devtype(m->mon, "uiox",
							       NULL);
	if (!err)
		err = -udev_monitor_enable_receiving(m->mon);
	if (err)
		goto err_enable;
	return m;

err_enable:
	udev_monitor_unref(m->mon);
err_monitor:
	udev_unref(m->udev);
err_udev:
	free(m);
	errno = err;
	return NULL;
}

int uio_monitor_fd(const struct uio_monitor *mon)
{
	return udev_monitor_get_fd(mon->mon);
}

int uio_monitor_read(struct uio_monitor *mon, struct uio_event *ev)
{
	struct udev_device *dev;

	/* Skip what is neither add nor remove (e.g. "change"). */
	errno = 0;
	while ((dev = udev_monitor_receive_device(mon->mon)) != NULL) {
		const char *action = udev_device_get_action(dev);
		const char *name = udev_device_get_sysname(dev);

		memset(ev, 0, sizeof(*ev));
		if (action && !strcmp(action, "add"))
			ev->type = UIO_EVENT_ADD;
		else if (action && !strcmp(action, "remove"))
			ev->type = UIO_EVENT_REMOVE;
		if (ev->type && name)
			snprintf(ev->name, sizeof(ev->name), "%s", name);
		udev_device_unref(dev);
		if (ev->type && ev->name[0])
			return 0;
		errno = 0;
	}
	/* ENOBUFS: the socket overran and events were lost */
	if (!errno || errno == EINTR)
		errno = EAGAIN;
	return -1;
}

void uio_monitor_close(struct uio_monitor *mon)
{
	if (!mon)
		return;
	udev_monitor_unref(mon->mon);
	udev_unref(mon->udev);
	free(mon);
}
