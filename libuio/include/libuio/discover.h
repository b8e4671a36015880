/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libuio discovery: which devices are bound to uiox, through libudev.
 * Works without a running udev daemon (it reads sysfs).
 *
 * Thread-safety: safe to call from several threads at once.
 */
#ifndef LIBUIO_DISCOVER_H
#define LIBUIO_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct uio_dev_desc - one device bound to uiox
 * @name: name under /dev/uiox/ and /sys/class/uiox/
 * @devnode: path of the device node
 * @syspath: sysfs path of the class device
 * @vendor: PCI vendor ID (0 when not a PCI device)
 * @device: PCI device ID (0 when not a PCI device)
 */
struct uio_dev_desc {
	const char *name;
	const char *devnode;
	const char *syspath;
	uint16_t vendor;
	uint16_t device;
};

/**
 * typedef uio_enum_cb - called once per device by uio_enumerate()
 * @desc: the device; its strings are valid only during the call
 * @arg: the caller's argument
 *
 * Return: 0 to continue, non-zero to stop the enumeration.
 */
typedef int (*uio_enum_cb)(const struct uio_dev_desc *desc, void *arg);

/**
 * uio_enumerate() - visit every device bound to uiox, in name order
 * @cb: callback
 * @arg: passed to @cb
 *
 * Return: the number of devices visited (0 when the module is not loaded),
 * or -1 with errno (ENOMEM, or what libudev reported).
 */
int uio_enumerate(uio_enum_cb cb, void *arg);

/**
 * uio_find_pci() - name of the n-th device bound to uiox with these IDs
 * @vendor: PCI vendor ID
 * @device: PCI device ID
 * @nth: 0 for the first match, in name order
 * @name: receives the name
 * @len: size of @name
 *
 * Return: 0, or -1 with errno: ENOENT when there is no such device,
 * ENAMETOOLONG when @len is too small, or as uio_enumerate().
 */
int uio_find_pci(uint16_t vendor, uint16_t device, unsigned int nth,
		 char *name, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LIBUIO_DISCOVER_H */
