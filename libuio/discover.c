// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio discovery through libudev: the "uiox" class in sysfs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libudev.h>

#include <libuio/discover.h>

/* A hex sysfs attribute of the parent PCI device, 0 when absent. */
static uint16_t uio_parent_id(struct udev_device *dev, const char *attr)
{
	struct udev_device *pci;
	const char *val;

	pci = udev_device_get_parent_with_subsystem_devtype(dev, "pci", NULL);
	if (!pci)
		return 0;
	val = udev_device_get_sysattr_value(pci, attr);
	return val ? (uint16_t)strtoul(val, NULL, 16) : 0;
}

int uio_enumerate(uio_enum_cb cb, void *arg)
{
	struct udev_list_entry *entry;
	struct udev_enumerate *en;
	struct udev *udev;
	int count = 0, err = 0;

	udev = udev_new();
	if (!udev) {
		errno = ENOMEM;
		return -1;
	}
	en = udev_enumerate_new(udev);
	if (!en) {
		err = ENOMEM;
		goto out_udev;
	}
	/* scan_devices sorts by syspath, which orders devices by name. */
	if (udev_enumerate_add_match_subsystem(en, "uiox") < 0 ||
	    udev_enumerate_scan_devices(en) < 0) {
		err = errno ? errno : EIO;
		goto out_enum;
	}

	udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(en)) {
		const char *path = udev_list_entry_get_name(entry);
		struct udev_device *dev;
		struct uio_dev_desc desc;
		int stop;

		dev = udev_device_new_from_syspath(udev, path);
		if (!dev)
			continue;	/* unbound while we looked */
		desc.name = udev_device_get_sysname(dev);
		desc.devnode = udev_device_get_devnode(dev);
		desc.syspath = path;
		desc.vendor = uio_parent_id(dev, "vendor");
		desc.device = uio_parent_id(dev, "device");
		if (!desc.devnode)
			desc.devnode = "";
		count++;
		stop = cb ? cb(&desc, arg) : 0;
		udev_device_unref(dev);
		if (stop)
			break;
	}

out_enum:
	udev_enumerate_unref(en);
out_udev:
	udev_unref(udev);
	if (err) {
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
