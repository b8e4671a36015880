// SPDX-License-Identifier: GPL-2.0
/*
 * uiox - inspect and bind devices for the uiox stub.
 *
 *   uiox list                      devices bound to uiox
 *   uiox bind <device>             hand a PCI function or a platform
 *                                  device to uiox (driver_override)
 *   uiox unbind <device>           give it back to its own driver
 *   uiox info <name>               identity, regions, interrupts
 *   uiox irq <name> [<mode> [n]]   interrupt mode and event counts; set mode
 *   uiox --help | --version
 *
 * Exit status: 0 done, 1 failed (with a message saying why), 2 usage.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include <libuio.h>

#define UIOX_DRIVER	"/sys/bus/pci/drivers/uiox"
#define UIOX_CLASS	"/sys/class/uiox/"

/* The buses uiox binds on: a device name is looked up on each in turn. */
static const char *const buses[] = { "pci", "platform" };

static const char *const mode_names[] = { "none", "intx", "msi", "msix" };

/* Print "uiox: <message>[: <why>]" and return 1. */
__attribute__((format(printf, 2, 3)))
static int fail(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "uiox: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err == EACCES || err == EPERM)
		fprintf(stderr, ": permission denied (run as root)\n");
	else if (err)
		fprintf(stderr, ": %s\n", strerror(err));
	else
		fprintf(stderr, "\n");
	return 1;
}

static int module_loaded(void)
{
	return access(UIOX_DRIVER, F_OK) == 0;
}

static int need_module(void)
{
	if (module_loaded())
		return 0;
	return fail(0, "the uiox module is not loaded (insmod uiox.ko)");
}

static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int err;

	if (!f)
		return -1;
	fputs(s, f);
	err = fclose(f) ? errno : 0;	/* sysfs reports errors at flush */
	errno = err;
	return err ? -1 : 0;
}

static int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Basename of the symbolic link at path, "" when there is none. */
static void link_name(const char *path, char *name, size_t len)
{
	char target[PATH_MAX];
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	name[0] = '\0';
	if (n > 0) {
		target[n] = '\0';
		snprintf(name, len, "%s", strrchr(target, '/') + 1);
	}
}

/* The bus a device of that name is on, NULL when there is none. */
static const char *bus_of(const char *name)
{
	char path[PATH_MAX];
	unsigned int i;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return NULL;
	for (i = 0; i < sizeof(buses) / sizeof(buses[0]); i++) {
		snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s",
			 buses[i], name);
		if (access(path, F_OK) == 0)
			return buses[i];
	}
	return NULL;
}

/* Name of the driver bound to a device, "" when none. */
static void bound_driver(const char *bus, const char *name, char *drv,
			 size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/driver", bus, name);
	link_name(path, drv, len);
}

static int list_cb(const struct uio_dev_desc *d, void *arg)
{
	char path[PATH_MAX], mode[16] = "?", nvec[16] = "?", open[16] = "?";
	char ids[16], bus[16];

	snprintf(path, sizeof(path), "%s/irq_mode", d->syspath);
	read_file(path, mode, sizeof(mode));
	snprintf(path, sizeof(path), "%s/num_vectors", d->syspath);
	read_file(path, nvec, sizeof(nvec));
	snprintf(path, sizeof(path), "%s/openers", d->syspath);
	read_file(path, open, sizeof(open));
	snprintf(path, sizeof(path), "%s/device/subsystem", d->syspath);
	link_name(path, bus, sizeof(bus));
	if (!strcmp(bus, "pci"))
		snprintf(ids, sizeof(ids), "%04x:%04x", d->vendor, d->device);
	else
		snprintf(ids, sizeof(ids), "%s", bus[0] ? bus : "?");
	printf("%-14s %-9s  irq %s/%s  open %s  %s\n", d->name, ids, mode,
	       nvec, open, d->devnode);
	return 0;
}

static int cmd_list(void)
{
	int n;

	if (need_module())
		return 1;
	n = uio_enumerate(list_cb, NULL);
	if (n < 0)
		return fail(errno, "cannot list devices");
	if (n == 0)
		printf("no devices bound to uiox (uiox bind <device>)\n");
	return 0;
}

/* Write @s to /sys/bus/<bus>/<what> (printf-style path under the bus). */
__attribute__((format(printf, 3, 4)))
static int write_bus(const char *bus, const char *s, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int n;

	n = snprintf(path, sizeof(path), "/sys/bus/%s/", bus);
	va_start(ap, fmt);
	vsnprintf(path + n, sizeof(path) - n, fmt, ap);
	va_end(ap);
	return write_file(path, s);
}

/*
 * The newest kernel log line about @name from uiox ("uiox <name>: ..."),
 * if there are more than @seen of them; returns how many there are.
 */
static int uiox_log_line(const char *name, int seen, char *why, size_t len)
{
	static char log[1 << 20];
	char tag[128], *line, *save, *last = NULL;
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	int count = 0;

	if (n < 0)
		return -1;
	log[n] = '\0';
	snprintf(tag, sizeof(tag), "uiox %s: ", name);
	for (line = strtok_r(log, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, tag)) {
			count++;
			last = strstr(line, tag) + strlen(tag);
		}
	if (last && count > seen)
		snprintf(why, len, "%s", last);
	return count;
}

/*
 * Bind through driver_override, as an administrator would, and leave the
 * device as it was when uiox refuses it: the override restored and the
 * previous driver bound again.
 */
static int cmd_bind(const char *name)
{
	const char *bus = bus_of(name);
	char drv[64], now[64], old[64] = "", why[256] = "";
	char path[PATH_MAX];
	int seen;

	if (need_module())
		return 1;
	if (!bus)
		return fail(0, "no PCI or platform device %s", name);
	bound_driver(bus, name, drv, sizeof(drv));
	if (!strcmp(drv, "uiox")) {
		printf("%s is already bound to uiox\n", name);
		return 0;
	}
	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/driver_override",
		 bus, name);
	if (read_file(path, old, sizeof(old)) || !strcmp(old, "(null)"))
		old[0] = '\0';
	seen = uiox_log_line(name, INT_MAX, why, sizeof(why));
	if (write_file(path, "uiox"))
		return fail(errno, "cannot set driver_override of %s", name);
	if (drv[0]) {
		printf("%s: unbinding from %s\n", name, drv);
		if (write_bus(bus, name, "devices/%s/driver/unbind", name)) {
			int err = errno;

			write_file(path, old[0] ? old : "\n");
			return fail(err, "cannot unbind %s from %s", name, drv);
		}
	}
	/* probe errors do not come back through drivers_probe: check */
	write_bus(bus, name, "drivers_probe");
	bound_driver(bus, name, now, sizeof(now));
	if (!strcmp(now, "uiox")) {
		printf("%s bound to uiox: /dev/uiox/%s\n", name, name);
		return 0;
	}

	write_file(path, old[0] ? old : "\n");
	if (drv[0])
		write_bus(bus, name, "drivers/%s/bind", drv);
	bound_driver(bus, name, now, sizeof(now));
	uiox_log_line(name, seen, why, sizeof(why));
	if (!drv[0])
		return fail(0, "uiox refused %s: %s", name,
			    why[0] ? why : "see dmesg");
	return fail(0, "uiox refused %s: %s; %s", name,
		    why[0] ? why : "see dmesg",
		    strcmp(now, drv) ? "and it could not go back to its driver" :
				       "it is back with its driver");
}

static int cmd_unbind(const char *name)
{
	const char *bus = bus_of(name);
	char drv[64];

	if (!bus)
		return fail(0, "no PCI or platform device %s", name);
	bound_driver(bus, name, drv, sizeof(drv));
	if (strcmp(drv, "uiox"))
		return fail(0, "%s is not bound to uiox", name);
	if (write_bus(bus, name, "drivers/uiox/unbind"))
		return fail(errno, "cannot unbind %s", name);
	write_bus(bus, "\n", "devices/%s/driver_override", name);
	write_bus(bus, name, "drivers_probe");
	bound_driver(bus, name, drv, sizeof(drv));
	if (!strcmp(drv, "uiox")) {
		/* uiox is its own driver (ids=, "uiox,generic"): keep it free */
		write_bus(bus, "none", "devices/%s/driver_override", name);
		if (write_bus(bus, name, "drivers/uiox/unbind"))
			return fail(errno, "cannot unbind %s", name);
		printf("%s unbound from uiox, left without a driver (driver_override=none)\n",
		       name);
		return 0;
	}
	printf("%s unbound from uiox%s%s\n", name,
	       drv[0] ? ", now bound to " : "", drv);
	return 0;
}

/* Why a named device cannot be used. */
static int not_bound(const char *name, int err)
{
	if (err != ENOENT)
		return fail(err, "cannot open %s", name);
	if (!module_loaded())
		return fail(0, "%s: the uiox module is not loaded (insmod uiox.ko)",
			    name);
	return fail(0, "%s is not bound to uiox (uiox bind <device>)", name);
}

static struct uio_dev *open_named(const char *name)
{
	struct uio_dev *dev = uio_open(name);

	if (!dev)
		not_bound(name, errno);
	return dev;
}

static void print_size(unsigned long long size)
{
	if (size >= 1ULL << 20 && !(size & ((1ULL << 20) - 1)))
		printf("%llu MiB", size >> 20);
	else if (size >= 1024 && !(size & 1023))
		printf("%llu KiB", size >> 10);
	else
		printf("%llu B", size);
}

/* "  DMA: <verdict> (IOMMU group N, type T)", from sysfs */
static void print_dma(const char *name)
{
	char path[PATH_MAX], verdict[192], group[32], type[32] = "";

	snprintf(path, sizeof(path), UIOX_CLASS "%s/dma", name);
	if (read_file(path, verdict, sizeof(verdict)))
		return;
	snprintf(path, sizeof(path), UIOX_CLASS "%s/device/iommu_group", name);
	link_name(path, group, sizeof(group));
	if (!group[0]) {
		printf("  DMA: %s (no IOMMU group)\n", verdict);
		return;
	}
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/type", group);
	read_file(path, type, sizeof(type));
	printf("  DMA: %s (IOMMU group %s%s%s)\n", verdict, group,
	       type[0] ? ", type " : "", type);
}

static int cmd_info(const char *name)
{
	char path[PATH_MAX], buf[32];
	struct uiox_device_info info;
	struct uiox_region_info r;
	struct uiox_irq_info irq;
	struct uio_dev *dev;
	unsigned int i;

	dev = open_named(name);
	if (!dev)
		return 1;
	if (uio_device_info(dev, &info) || uio_irq_info(dev, &irq)) {
		fail(errno, "cannot query %s", name);
		uio_close(dev);
		return 1;
	}
	if (info.flags & UIOX_DEVICE_PCI)
		printf("%s: PCI %04x:%04x (subsystem %04x:%04x, class %06x), uiox API %u\n",
		       name, info.vendor, info.device, info.subsystem_vendor,
		       info.subsystem_device, info.class_code, info.api_version);
	else
		printf("%s: platform device, uiox API %u\n", name,
		       info.api_version);
	for (i = 0; i < info.num_regions; i++) {
		if (uio_region_info(dev, i, &r) || !r.size)
			continue;
		printf("  region %u: ", i);
		print_size(r.size);
		printf(" %s%s%s%s%s, mmap offset 0x%llx\n",
		       r.flags & UIOX_REGION_IO ? "I/O ports" : "memory",
		       r.flags & UIOX_REGION_MMAP ? ", mappable" : "",
		       r.flags & UIOX_REGION_PREFETCH ? ", prefetchable" : "",
		       r.flags & UIOX_REGION_MEM64 ? ", 64-bit" : "",
		       r.flags & UIOX_REGION_MSIX ? ", MSI-X table" : "",
		       (unsigned long long)r.offset);
	}
	printf("  interrupts: %s, %u vector%s; device offers%s%s%s%s (MSI %u, MSI-X %u)\n",
	       irq.mode < 4 ? mode_names[irq.mode] : "?", irq.num_vectors,
	       irq.num_vectors == 1 ? "" : "s",
	       irq.flags & UIOX_IRQ_CAN_INTX ? " INTx" : "",
	       irq.flags & UIOX_IRQ_INTX_MASKING ? " (2.3 masking)" : "",
	       irq.flags & UIOX_IRQ_CAN_MSI ? " MSI" : "",
	       irq.flags & UIOX_IRQ_CAN_MSIX ? " MSI-X" : "",
	       irq.max_msi, irq.max_msix);
	snprintf(path, sizeof(path), UIOX_CLASS "%s/dma_bytes", name);
	if (!read_file(path, buf, sizeof(buf))) {
		printf("  DMA memory held: ");
		print_size(strtoull(buf, NULL, 10));
		printf("\n");
	}
	print_dma(name);
	uio_close(dev);
	return 0;
}

static int cmd_irq(const char *name, int argc, char **argv)
{
	char path[PATH_MAX], buf[4096], mode[16];

	if (strchr(name, '/') || !*name)
		return fail(0, "bad device name %s", name);
	snprintf(path, sizeof(path), UIOX_CLASS "%s/irq_mode", name);
	if (access(path, F_OK))
		return not_bound(name, ENOENT);
	if (argc > 0) {
		snprintf(buf, sizeof(buf), "%s %s", argv[0], argc > 1 ? argv[1] : "");
		if (write_file(path, buf))
			return fail(errno, "cannot set the interrupt mode of %s", name);
	}
	if (read_file(path, mode, sizeof(mode)))
		return fail(errno, "cannot read %s", path);
	snprintf(path, sizeof(path), UIOX_CLASS "%s/irq_counts", name);
	if (read_file(path, buf, sizeof(buf)))
		return fail(errno, "cannot read %s", path);
	printf("%s: %s, events per vector: %s\n", name, mode,
	       buf[0] ? buf : "-");
	return 0;
}

/* The usage, on stdout for --help (exit 0), on stderr for a mistake (2). */
static int usage(FILE *out)
{
	fprintf(out,
		"usage: uiox list\n"
		"       uiox bind <device>         e.g. uiox bind 0000:01:00.0\n"
		"       uiox unbind <device>\n"
		"       uiox info <name>\n"
		"       uiox irq <name> [none|intx|msi|msix [vectors]]\n"
		"       uiox --help | --version\n"
		"(see uiox(8))\n");
	return out == stdout ? 0 : 2;
}

/* This program's version, the library's it runs with, the module's. */
static int version(void)
{
	char mod[64];

	if (read_file("/sys/module/uiox/version", mod, sizeof(mod)))
		snprintf(mod, sizeof(mod), "not loaded");
	printf("uiox %s (libuio %s, module %s)\n", LIBUIO_VERSION,
	       uio_version(), mod);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "list") && argc == 2)
		return cmd_list();
	if (!strcmp(cmd, "bind") && argc == 3)
		return cmd_bind(argv[2]);
	if (!strcmp(cmd, "unbind") && argc == 3)
		return cmd_unbind(argv[2]);
	if (!strcmp(cmd, "info") && argc == 3)
		return cmd_info(argv[2]);
	if (!strcmp(cmd, "irq") && argc >= 3 && argc <= 5)
		return cmd_irq(argv[2], argc - 3, argv + 3);
	if (!strcmp(cmd, "--help") && argc == 2)
		return usage(stdout);
	if (!strcmp(cmd, "--version") && argc == 2)
		return version();
	return usage(stderr);
}
