/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libuio discovery: which devices are bound to uiox, and which come and
 * go, through libudev.  Works without a running udev daemon (it reads
 * sysfs, and listens to the kernel's own events when no daemon relays them).
 *
 * Thread-safety: uio_enumerate() and uio_find_pci() are safe to call from
 * several threads at once; a monitor is used by one thread at a time.
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
 * @vendor: PCI vendor ID (0 unless uiox is bound to a PCI function: a
 *	platform device reports 0, even one below a PCI device)
 * @device: PCI device ID (0 likewise)
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
 * Name order is the byte order of the names (strcmp()): 0000:00:03.0
 * comes before 0000:01:00.0 whatever bridges either is behind, and
 * 0000:00:03.0 before 9010000.pl031.
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

/** Opaque handle of a hot-plug monitor. */
struct uio_monitor;

/**
 * enum uio_event_type - what happened to a device
 * @UIO_EVENT_ADD: bound to uiox (at bind, or when plugged in with ids=)
 * @UIO_EVENT_REMOVE: gone: unplugged or unbound; its open handles now fail
 *	with ENODEV and should be closed
 */
enum uio_event_type {
	UIO_EVENT_ADD = 1,
	UIO_EVENT_REMOVE = 2,
};

/**
 * struct uio_event - one event from uio_monitor_read()
 * @type: what happened
 * @name: the device's name under /dev/uiox/
 */
struct uio_event {
	enum uio_event_type type;
	char name[256];
};

/**
 * uio_monitor_open() - start listening for uiox devices coming and going
 *
 * Events that happen from now on are queued until read (libudev gives the
 * socket 128 MiB, or net.core.rmem_max without CAP_NET_ADMIN).  With a
 * udev daemon running, an add event comes once its rules have run (the
 * node has its final owner and mode); without one, the kernel's events
 * are read, and every uevent of the machine makes the descriptor
 * readable (only uiox's are returned).
 *
 * Return: a monitor, or NULL with errno (ENOMEM, or the error of opening
 * the netlink socket).
 */
struct uio_monitor *uio_monitor_open(void);

/**
 * uio_monitor_fd() - the monitor's descriptor, readable when an event waits
 * @mon: an open monitor
 *
 * Return: a non-blocking descriptor owned by @mon, for poll() or epoll.
 */
int uio_monitor_fd(const struct uio_monitor *mon);

/**
 * uio_monitor_read() - take the next event
 * @mon: an open monitor
 * @ev: filled on success
 *
 * Never blocks; wait on uio_monitor_fd() first.
 *
 * Return: 0, or -1 with errno: EAGAIN when no event is waiting, ENOBUFS
 * when events came faster than they were read and some were lost (call
 * uio_enumerate() to learn which devices are there now, then read on), or
 * the error libudev reported.
 */
int uio_monitor_read(struct uio_monitor *mon, struct uio_event *ev);

/**
 * uio_monitor_close() - stop listening
 * @mon: a monitor, or NULL (then nothing happens)
 */
void uio_monitor_close(struct uio_monitor *mon);

#ifdef __cplusplus
}
#endif

#endif /* LIBUIO_DISCOVER_H */
