// SPDX-License-Identifier: GPL-2.0
/*
 * uiox - bind devices to the uiox stub and inspect them (uiox(8)).
 *
 *   uiox [--json] status             every PCI and platform device, by driver
 *   uiox [--json] list               the devices bound to uiox
 *   uiox bind [--force] [--persist] <device>...
 *                                    hand devices to uiox (driver_override)
 *   uiox unbind <device>...          give them back to their own drivers
 *   uiox [--json] info <device>...   identity, regions, interrupts, DMA
 *   uiox irq <device> [<mode> [n]]   interrupt mode and event counts; set mode
 *   uiox --help | --version
 *
 * A <device> is a PCI address (0000:01:00.0, or 01:00.0 in domain 0),
 * vendor:device IDs in hex (8086:10d3: every such function), or the name
 * of a platform device (9010000.pl031).
 *
 * Exit status: 0 done, 1 failed (one line on stderr for each failure),
 * 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libuio.h>

#define UIOX_CLASS	"/sys/class/uiox/"
#define NAME_LEN	256	/* a directory entry's name */
#define MAX_REGIONS	16	/* what info shows: 6 BARs, or a platform device's */

/* The buses uiox binds on: a device name is looked up on each in turn. */
static const char *const buses[] = { "pci", "platform" };

static const char *const mode_names[] = { "none", "intx", "msi", "msix" };

/* Where bind --persist writes a udev rule when driverctl is not there. */
static const char *udev_rules_dir = "/etc/udev/rules.d";

static struct {
	bool json;	/* --json: list, status, info */
	bool force;	/* --force: bind a device in use */
	bool persist;	/* --persist: bind again at every boot */
} opt;

/* A device named on the command line, resolved. */
struct dev {
	const char *bus;
	char name[NAME_LEN];
};

extern char **environ;

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

/* ---- sysfs ------------------------------------------------------------ */

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

/* Read /sys/bus/<bus>/devices/<name>/<attr> into buf ("" when absent). */
static void dev_attr(const struct dev *d, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/%s", d->bus,
		 d->name, attr);
	if (read_file(path, buf, len))
		buf[0] = '\0';
}

/* Basename of the symbolic link at path, "" when there is none. */
static void link_name(const char *path, char *name, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(path, target, sizeof(target) - 1);
	name[0] = '\0';
	if (n > 0) {
		target[n] = '\0';
		base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		if (strlen(base) < len)
			memcpy(name, base, strlen(base) + 1);
	}
}

/* Name of the driver bound to a device, "" when none. */
static void bound_driver(const struct dev *d, char *drv, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/driver", d->bus,
		 d->name);
	link_name(path, drv, len);
}

static void iommu_group(const struct dev *d, char *group, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/iommu_group",
		 d->bus, d->name);
	link_name(path, group, len);
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

static int module_loaded(void)
{
	return access("/sys/bus/pci/drivers/uiox", F_OK) == 0;
}

static int need_module(void)
{
	if (module_loaded())
		return 0;
	return fail(0, "the uiox module is not loaded (modprobe uiox, or insmod uiox.ko)");
}

/*
 * Run a program quietly: found in PATH, else in /usr/sbin or /sbin (udev
 * runs `uiox bind` from a rule with a PATH that may lack them); its exit
 * status, or -1.
 */
static int run_quiet(char *const argv[])
{
	static const char *const dirs[] = { "", "/usr/sbin/", "/sbin/" };
	posix_spawn_file_actions_t fa;
	char path[PATH_MAX];
	int status = -1, err = ENOENT;
	unsigned int i;
	pid_t pid;

	if (posix_spawn_file_actions_init(&fa))
		return -1;
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && err == ENOENT; i++) {
		snprintf(path, sizeof(path), "%s%s", dirs[i], argv[0]);
		err = posix_spawnp(&pid, path, &fa, NULL, argv, environ);
	}
	if (!err && waitpid(pid, &status, 0) == pid)
		status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	else
		status = -1;
	posix_spawn_file_actions_destroy(&fa);
	return status;
}

/* bind loads the module when it is not there yet. */
static int load_module(void)
{
	char *const argv[] = { "modprobe", "uiox", NULL };

	if (module_loaded())
		return 0;
	if (geteuid())
		return fail(EPERM, "the uiox module is not loaded, and loading it");
	if (run_quiet(argv) || !module_loaded())
		return fail(0, "the uiox module is not loaded and modprobe uiox failed (insmod uiox.ko, or make install-dkms)");
	return 0;
}

/* ---- persisted bindings ------------------------------------------------ */

/* The udev rule bind --persist writes for a device without driverctl. */
static void rule_name(const struct dev *d, char *name, size_t len)
{
	snprintf(name, len, "71-uiox-%s-%s.rules", d->bus, d->name);
}

static void rule_path(const struct dev *d, char *path, size_t len)
{
	char name[NAME_LEN + 32];

	rule_name(d, name, sizeof(name));
	snprintf(path, len, "%s/%s", udev_rules_dir, name);
}

/* The file of driverctl's saved override of the device. */
static void driverctl_path(const struct dev *d, char *path, size_t len)
{
	snprintf(path, len, "/etc/driverctl.d/%s-%s", d->bus, d->name);
}

/* driverctl's saved override of the device (its file), if it says uiox. */
static bool driverctl_saved(const struct dev *d)
{
	char path[PATH_MAX], saved[NAME_LEN];

	driverctl_path(d, path, sizeof(path));
	return !read_file(path, saved, sizeof(saved)) && !strcmp(saved, "uiox");
}

/* Whether bind --persist left a udev rule for the device. */
static bool rule_exists(const struct dev *d)
{
	char path[PATH_MAX];

	rule_path(d, path, sizeof(path));
	return access(path, F_OK) == 0;
}

/*
 * Whether the device is uiox's: bound to it, or meant for it (persisted,
 * or its override says uiox).  unbind, info and irq name these.
 */
static bool claimed(const struct dev *d, bool bound_only)
{
	char drv[NAME_LEN], over[NAME_LEN];

	bound_driver(d, drv, sizeof(drv));
	if (!strcmp(drv, "uiox"))
		return true;
	if (bound_only)
		return false;
	dev_attr(d, "driver_override", over, sizeof(over));
	return !strcmp(over, "uiox") || rule_exists(d) || driverctl_saved(d);
}

/* ---- naming devices ---------------------------------------------------- */

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

/* "dddd:bb:ss.f" or "bb:ss.f": a PCI address, lower case, with domain. */
static bool pci_address(const char *s, char *out, size_t len)
{
	const char *t = s;
	size_t i;

	if (strlen(s) == 12 && all_hex(s, 4) && s[4] == ':')
		t = s + 5;
	else if (strlen(s) != 7)
		return false;
	if (!all_hex(t, 2) || t[2] != ':' || !all_hex(t + 3, 2) || t[5] != '.' ||
	    t[6] < '0' || t[6] > '7')
		return false;
	snprintf(out, len, "%s%s", t == s ? "0000:" : "", s);
	for (i = 0; out[i]; i++)
		if (out[i] >= 'A' && out[i] <= 'F')
			out[i] += 'a' - 'A';
	return true;
}

/* "vvvv:dddd": PCI vendor and device IDs. */
static bool pci_ids(const char *s, unsigned int *vendor, unsigned int *device)
{
	if (strlen(s) != 9 || !all_hex(s, 4) || s[4] != ':' || !all_hex(s + 5, 4))
		return false;
	return sscanf(s, "%4x:%4x", vendor, device) == 2;
}

static bool dev_exists(const struct dev *d)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s", d->bus, d->name);
	return access(path, F_OK) == 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The devices on a bus in name order; call free_devs() on the result. */
static int scan_bus(const char *bus, struct dirent ***ents)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/bus/%s/devices", bus);
	return scandir(path, ents, NULL, by_name);
}

static void free_ents(struct dirent **ents, int n)
{
	while (n > 0)
		free(ents[--n]);
	free(ents);
}

/* Add a device to the list, once however often it is named. */
static int add_dev(struct dev **devs, size_t *n, const char *bus, const char *name)
{
	struct dev *d;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*devs)[i].bus == bus && !strcmp((*devs)[i].name, name))
			return 0;
	d = realloc(*devs, (*n + 1) * sizeof(**devs));

	if (!d)
		return fail(errno, "out of memory");
	*devs = d;
	d[*n].bus = bus;
	snprintf(d[*n].name, sizeof(d[*n].name), "%s", name);
	(*n)++;
	return 0;
}

/* Which devices vendor:device IDs name: any, bound to uiox, claimed(). */
enum pick { ANY, BOUND, CLAIMED };

/*
 * The devices @arg names, appended to @devs: one for an address or a
 * name, every match of @which for vendor:device IDs.  Prints why and
 * returns 1 when it names none.
 */
static int resolve(const char *arg, enum pick which, struct dev **devs, size_t *n)
{
	unsigned int vendor, device, v, dv;
	struct dirent **ents;
	char buf[16];
	struct dev d = { 0 };
	size_t found = 0;
	unsigned int i;
	int k, ret = 0;

	if (pci_ids(arg, &vendor, &device)) {
		k = scan_bus("pci", &ents);
		for (i = 0; (int)i < k && !ret; i++) {
			d.bus = "pci";
			snprintf(d.name, sizeof(d.name), "%s", ents[i]->d_name);
			dev_attr(&d, "vendor", buf, sizeof(buf));
			if (sscanf(buf, "%x", &v) != 1 || v != vendor)
				continue;
			dev_attr(&d, "device", buf, sizeof(buf));
			if (sscanf(buf, "%x", &dv) != 1 || dv != device)
				continue;
			if (which != ANY && !claimed(&d, which == BOUND))
				continue;
			ret = add_dev(devs, n, "pci", d.name);
			found++;
		}
		if (k >= 0)
			free_ents(ents, k);
		if (!ret && !found)
			ret = fail(0, "no PCI device %s%s", arg,
				   which == ANY ? "" : " is bound to uiox");
		return ret;
	}
	if (!pci_address(arg, d.name, sizeof(d.name)))
		snprintf(d.name, sizeof(d.name), "%s", arg);
	if (*arg && !strchr(arg, '/') && strcmp(arg, ".") && strcmp(arg, "..") &&
	    strlen(arg) < NAME_LEN)
		for (i = 0; i < sizeof(buses) / sizeof(buses[0]); i++) {
			d.bus = buses[i];
			if (dev_exists(&d))
				return add_dev(devs, n, d.bus, d.name);
		}
	return fail(0, "no PCI or platform device %s", arg);
}

/* Every device the arguments name, in their order; NULL after a failure. */
static struct dev *resolve_all(int argc, char *const *argv, enum pick which,
			       size_t *n)
{
	struct dev *devs = NULL;
	int i, bad = 0;

	*n = 0;
	for (i = 0; i < argc; i++)
		bad |= resolve(argv[i], which, &devs, n);
	if (bad) {
		free(devs);
		return NULL;
	}
	return devs;
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_str(const char *key, const char *s, bool comma)
{
	printf("\"%s\": \"", key);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x80)
			printf("\\u%04x", (unsigned char)*s);	/* (bytes, as Latin-1) */
		else
			putchar(*s);
	}
	printf("\"%s", comma ? ", " : "");
}

static void json_num(const char *key, unsigned long long v, bool comma)
{
	printf("\"%s\": %llu%s", key, v, comma ? ", " : "");
}

/* ---- in use ------------------------------------------------------------ */

/* Whether the sysfs entry at @path is below the device at @devpath. */
static bool under(const char *path, const char *devpath)
{
	char real[PATH_MAX];
	size_t n = strlen(devpath);

	return realpath(path, real) && !strncmp(real, devpath, n) && real[n] == '/';
}

/* Whether the sysfs entry at @path is the device at @devpath. */
static bool same_path(const char *path, const char *devpath)
{
	char real[PATH_MAX];

	return realpath(path, real) && !strcmp(real, devpath);
}

/*
 * Whether block device @blk is the device's: below it in sysfs, or an NVMe
 * multipath head (under nvme-subsystem) with a path below it.
 */
static bool block_of(const char *blk, const char *devpath)
{
	char path[PATH_MAX];
	struct dirent **ents;
	bool mine = false;
	int k, i;

	snprintf(path, sizeof(path), "/sys/class/block/%s", blk);
	if (under(path, devpath))
		return true;
	snprintf(path, sizeof(path), "/sys/class/block/%s/multipath", blk);
	k = scandir(path, &ents, NULL, by_name);
	for (i = 0; i < k && !mine; i++) {
		snprintf(path, sizeof(path), "/sys/class/block/%s/multipath/%s", blk,
			 ents[i]->d_name);
		mine = ents[i]->d_name[0] != '.' && under(path, devpath);
	}
	if (k >= 0)
		free_ents(ents, k);
	return mine;
}

/* Where the block device with number @majmin is mounted, if it is. */
static bool mounted(const char *majmin, char *where, size_t len)
{
	char line[4096], dev[32], mnt[1024];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %31s %*s %1023s", dev, mnt) == 2 &&
		    !strcmp(dev, majmin)) {
			snprintf(where, len, "%s", mnt);
			found = true;
		}
	fclose(f);
	return found;
}

/* Whether /dev/<blk> is an active swap area. */
static bool swapping(const char *blk)
{
	char line[4096], want[NAME_LEN + 8];
	FILE *f = fopen("/proc/swaps", "r");
	bool found = false;

	if (!f)
		return false;
	snprintf(want, sizeof(want), "/dev/%s ", blk);
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, want, strlen(want));
	fclose(f);
	return found;
}

/* Whether block device @blk is used: mounted, swap, or held (dm, md). */
static bool block_used(const char *blk, char *why, size_t len)
{
	char path[PATH_MAX], majmin[32], where[1024];
	struct dirent **hold;
	int h, i, fd;

	snprintf(path, sizeof(path), "/sys/class/block/%s/dev", blk);
	if (!read_file(path, majmin, sizeof(majmin)) &&
	    mounted(majmin, where, sizeof(where))) {
		snprintf(why, len, "/dev/%s is mounted on %s", blk, where);
		return true;
	}
	if (swapping(blk)) {
		snprintf(why, len, "/dev/%s is a swap area in use", blk);
		return true;
	}
	snprintf(path, sizeof(path), "/sys/class/block/%s/holders", blk);
	h = scandir(path, &hold, NULL, by_name);
	for (i = 0; i < h; i++)
		if (hold[i]->d_name[0] != '.') {
			snprintf(why, len, "/dev/%s is held by %s", blk, hold[i]->d_name);
			break;
		}
	if (h >= 0)
		free_ents(hold, h);
	if (h >= 0 && i < h)
		return true;
	/*
	 * What the above cannot see (btrfs and ZFS mounts have no block
	 * device number in mountinfo): the kernel refuses an exclusive open
	 * of a block device a filesystem, swap or RAID holds.
	 */
	snprintf(path, sizeof(path), "/dev/%s", blk);
	fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	if (errno != EBUSY)
		return false;
	snprintf(why, len, "/dev/%s is in use (a filesystem, swap or RAID holds it)", blk);
	return true;
}

/* Whether a network interface of the device's is up. */
static bool net_up(const char *devpath, char *why, size_t len)
{
	char path[PATH_MAX], flags[32];
	struct dirent **ents;
	unsigned long f;
	bool up = false;
	int k, i;

	k = scandir("/sys/class/net", &ents, NULL, by_name);
	for (i = 0; i < k && !up; i++) {
		const char *ifc = ents[i]->d_name;

		snprintf(path, sizeof(path), "/sys/class/net/%s/device", ifc);
		if (ifc[0] == '.' || (!under(path, devpath) && !same_path(path, devpath)))
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/flags", ifc);
		if (!read_file(path, flags, sizeof(flags)) &&
		    sscanf(flags, "%lx", &f) == 1 && (f & 1 /* IFF_UP */)) {
			snprintf(why, len, "network interface %s is up", ifc);
			up = true;
		}
	}
	if (k >= 0)
		free_ents(ents, k);
	return up;
}

/*
 * Whether taking the device from its driver would pull the rug from under
 * the system: it is the boot display, it has SR-IOV virtual functions
 * enabled, a network interface of it is up, or a block device of it is
 * mounted (or swap, or held by device-mapper or RAID).
 */
static bool in_use(const struct dev *d, char *why, size_t len)
{
	char path[PATH_MAX], devpath[PATH_MAX], vga[16];
	struct dirent **ents;
	bool used = false;
	int k, i;

	dev_attr(d, "boot_vga", vga, sizeof(vga));
	if (!strcmp(vga, "1")) {
		snprintf(why, len, "it is the boot display (boot_vga)");
		return true;
	}
	dev_attr(d, "sriov_numvfs", vga, sizeof(vga));
	if (vga[0] && strcmp(vga, "0")) {
		snprintf(why, len, "%s virtual functions of it are enabled (sriov_numvfs)", vga);
		return true;
	}
	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s", d->bus, d->name);
	if (!realpath(path, devpath))
		return false;
	if (net_up(devpath, why, len))
		return true;
	k = scandir("/sys/class/block", &ents, NULL, by_name);
	for (i = 0; i < k && !used; i++)
		used = ents[i]->d_name[0] != '.' && block_of(ents[i]->d_name, devpath) &&
		       block_used(ents[i]->d_name, why, len);
	if (k >= 0)
		free_ents(ents, k);
	return used;
}

/* ---- status and list ------------------------------------------------------ */

/* "vvvv:dddd class cccccc" of a PCI device, the bus name of another. */
static void identity(const struct dev *d, char *ids, size_t len)
{
	char v[16], dv[16], cls[16];

	if (strcmp(d->bus, "pci")) {
		snprintf(ids, len, "%s", d->bus);
		return;
	}
	dev_attr(d, "vendor", v, sizeof(v));
	dev_attr(d, "device", dv, sizeof(dv));
	dev_attr(d, "class", cls, sizeof(cls));
	snprintf(ids, len, "%s:%s class %s", v[0] ? v + 2 : "?",
		 dv[0] ? dv + 2 : "?", cls[0] ? cls + 2 : "?");
}

/* Which of status's groups a driver falls in. */
enum group { G_UIOX, G_OTHER, G_NONE };

static enum group group_of(const char *drv)
{
	return !strcmp(drv, "uiox") ? G_UIOX : drv[0] ? G_OTHER : G_NONE;
}

static void status_line(const struct dev *d, const char *drv, bool *first)
{
	char ids[64], group[16], why[PATH_MAX + 64] = "", v[16] = "", dv[16] = "";
	bool used = in_use(d, why, sizeof(why));

	iommu_group(d, group, sizeof(group));
	if (!opt.json) {
		identity(d, ids, sizeof(ids));
		printf("  %-14s %-27s %s%s%s%s%s%s\n", d->name, ids,
		       drv[0] ? "driver " : "", drv, drv[0] ? "  " : "",
		       group[0] ? "iommu group " : "no iommu group", group,
		       used ? "  *in use*" : "");
		return;
	}
	if (!strcmp(d->bus, "pci")) {
		dev_attr(d, "vendor", v, sizeof(v));
		dev_attr(d, "device", dv, sizeof(dv));
	}
	printf("%s\n    {", *first ? "" : ",");
	*first = false;
	json_str("name", d->name, true);
	json_str("bus", d->bus, true);
	if (v[0]) {
		json_str("vendor", v + 2, true);
		json_str("device", dv + 2, true);
	}
	json_str("driver", drv, true);
	json_str("iommu_group", group, true);
	printf("\"in_use\": %s", used ? "true" : "false");
	if (used) {
		printf(", ");
		json_str("in_use_because", why, false);
	}
	printf("}");
}

static int cmd_status(int argc, char **argv)
{
	static const char *const titles[] = {
		"bound to uiox", "bound to another driver", "without a driver"
	};
	static const char *const keys[] = { "uiox", "other", "none" };
	char drv[NAME_LEN];
	struct dirent **ents;
	unsigned int b, g;
	int k, i;

	if (opt.json)
		printf("{");
	for (g = G_UIOX; g <= G_NONE; g++) {
		bool first = true;

		if (opt.json)
			printf("%s\n  \"%s\": [", g ? "," : "", keys[g]);
		for (b = 0; b < sizeof(buses) / sizeof(buses[0]); b++) {
			bool title = false;

			k = scan_bus(buses[b], &ents);
			for (i = 0; i < k; i++) {
				struct dev d = { .bus = buses[b] };

				if (ents[i]->d_name[0] == '.')
					continue;
				snprintf(d.name, sizeof(d.name), "%s", ents[i]->d_name);
				bound_driver(&d, drv, sizeof(drv));
				if (group_of(drv) != g)
					continue;
				if (!title && !opt.json)
					printf("%s devices %s:\n",
					       b ? "Platform" : "PCI", titles[g]);
				title = true;
				status_line(&d, drv, &first);
			}
			if (k >= 0)
				free_ents(ents, k);
		}
		if (opt.json)
			printf("%s]", first ? "" : "\n  ");
	}
	if (opt.json)
		printf("\n}\n");
	if (!module_loaded())
		fprintf(opt.json ? stderr : stdout,
			"%sthe uiox module is not loaded\n", opt.json ? "uiox: " : "");
	return 0;
}

static int list_cb(const struct uio_dev_desc *desc, void *arg)
{
	char path[PATH_MAX], mode[16] = "?", nvec[16] = "?", open[16] = "?";
	char ids[16], bus[16];
	bool *first = arg;

	snprintf(path, sizeof(path), "%s/irq_mode", desc->syspath);
	read_file(path, mode, sizeof(mode));
	snprintf(path, sizeof(path), "%s/num_vectors", desc->syspath);
	read_file(path, nvec, sizeof(nvec));
	snprintf(path, sizeof(path), "%s/openers", desc->syspath);
	read_file(path, open, sizeof(open));
	snprintf(path, sizeof(path), "%s/device/subsystem", desc->syspath);
	link_name(path, bus, sizeof(bus));
	if (opt.json) {
		printf("%s\n  {", *first ? "" : ",");
		*first = false;
		json_str("name", desc->name, true);
		json_str("bus", bus, true);
		if (!strcmp(bus, "pci")) {
			snprintf(ids, sizeof(ids), "%04x", desc->vendor);
			json_str("vendor", ids, true);
			snprintf(ids, sizeof(ids), "%04x", desc->device);
			json_str("device", ids, true);
		}
		json_str("irq_mode", mode, true);
		json_num("vectors", strtoul(nvec, NULL, 10), true);
		json_num("openers", strtoul(open, NULL, 10), true);
		json_str("node", desc->devnode, false);
		printf("}");
		return 0;
	}
	if (!strcmp(bus, "pci"))
		snprintf(ids, sizeof(ids), "%04x:%04x", desc->vendor, desc->device);
	else
		snprintf(ids, sizeof(ids), "%s", bus[0] ? bus : "?");
	printf("%-14s %-9s  irq %s/%s  open %s  %s\n", desc->name, ids, mode,
	       nvec, open, desc->devnode);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	bool first = true;
	int n;

	if (need_module())
		return 1;
	if (opt.json)
		printf("[");
	n = uio_enumerate(list_cb, &first);
	if (n < 0) {
		int err = errno;

		if (opt.json)	/* what was printed stays valid JSON */
			printf("%s]\n", first ? "" : "\n");
		return fail(err, "cannot list devices");
	}
	if (opt.json)
		printf("%s]\n", first ? "" : "\n");
	else if (n == 0)
		printf("no devices bound to uiox (uiox bind <device>)\n");
	return 0;
}

/* ---- bind and unbind ----------------------------------------------------- */

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

/* Whether driverctl is installed (asked once: it runs a program). */
static bool have_driverctl(void)
{
	char *const argv[] = { "driverctl", "--help", NULL };
	static int have = -1;

	if (have < 0)
		have = run_quiet(argv) == 0;
	return have;
}

/* Whether the device's files are open (userspace is driving it). */
static bool opened(const struct dev *d)
{
	char path[PATH_MAX], n[16];

	snprintf(path, sizeof(path), UIOX_CLASS "%s/openers", d->name);
	return !read_file(path, n, sizeof(n)) && strcmp(n, "0");
}

/* Write a file whole or not at all: a temporary one, then renamed. */
static int write_atomic(const char *dir, const char *name, const char *text)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int err;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (write_file(tmp, text))
		return -1;
	if (rename(tmp, path)) {
		err = errno;
		unlink(tmp);
		errno = err;
		return -1;
	}
	return 0;
}

/*
 * Make the binding survive a reboot.  Where driverctl is installed, its
 * saved override (set-override unbinds the device and probes it again,
 * which gives it back to uiox: not while a program has it open); else a
 * udev rule of our own that, when the device appears and this program is
 * still there, sets the override so its own driver cannot take it and
 * runs `uiox bind`, which loads the module and takes it from a driver
 * that was there first.
 */
static int persist(const struct dev *d)
{
	char *argv[] = { "driverctl", "-b", (char *)d->bus, "set-override",
			 (char *)d->name, "uiox", NULL };
	char name[NAME_LEN + 32], self[PATH_MAX], drv[NAME_LEN];
	char rule[2 * PATH_MAX + 4 * NAME_LEN + 160];
	ssize_t n;

	if (have_driverctl()) {
		if (opened(d) && !opt.force)
			return fail(0, "%s: driverctl would take it from the programs that have it open (uiox bind --persist --force)",
				    d->name);
		if (!run_quiet(argv))
			bound_driver(d, drv, sizeof(drv));
		else
			drv[0] = '\0';
		if (strcmp(drv, "uiox"))
			return fail(0, "%s: driverctl set-override failed", d->name);
		printf("%s: bound to uiox at every boot (driverctl)\n", d->name);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return fail(errno, "%s: cannot find this program's path", d->name);
	self[n] = '\0';
	if (strpbrk(self, "%$\"\\ ") || access(self, X_OK))
		return fail(0, "%s: a udev rule cannot run this program (%s)", d->name, self);
	rule_name(d, name, sizeof(name));
	snprintf(rule, sizeof(rule),
		 "# uiox bind --persist %s (uiox unbind removes it)\n"
		 "ACTION==\"add\", SUBSYSTEM==\"%s\", KERNEL==\"%s\", TEST==\"%s\", "
		 "ATTR{driver_override}=\"uiox\", RUN+=\"%s bind %s\"\n",
		 d->name, d->bus, d->name, self, self, d->name);
	if (write_atomic(udev_rules_dir, name, rule))
		return fail(errno, "%s: cannot write %s/%s", d->name, udev_rules_dir, name);
	printf("%s: bound to uiox at every boot (%s/%s)\n", d->name, udev_rules_dir, name);
	return 0;
}

/*
 * Bind through driver_override, as an administrator would, and leave the
 * device as it was when uiox refuses it: the override restored (but not
 * to uiox: a persisted binding's rule may have set it) and the previous
 * driver bound again.
 */
static int bind_one(const struct dev *d)
{
	char drv[NAME_LEN], now[NAME_LEN], old[NAME_LEN] = "", why[256] = "";
	char path[PATH_MAX];
	int seen;

	bound_driver(d, drv, sizeof(drv));
	if (!strcmp(drv, "uiox")) {
		printf("%s is already bound to uiox\n", d->name);
		return opt.persist ? persist(d) : 0;
	}
	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/driver_override",
		 d->bus, d->name);
	if (read_file(path, old, sizeof(old)) || !strcmp(old, "(null)") ||
	    !strcmp(old, "uiox"))
		old[0] = '\0';
	seen = uiox_log_line(d->name, INT_MAX, why, sizeof(why));
	if (write_file(path, "uiox"))
		return fail(errno, "cannot set driver_override of %s", d->name);
	if (drv[0]) {
		printf("%s: unbinding from %s\n", d->name, drv);
		if (write_bus(d->bus, d->name, "devices/%s/driver/unbind", d->name)) {
			int err = errno;

			write_file(path, old[0] ? old : "\n");
			return fail(err, "cannot unbind %s from %s", d->name, drv);
		}
	}
	/* probe errors do not come back through drivers_probe: check */
	write_bus(d->bus, d->name, "drivers_probe");
	bound_driver(d, now, sizeof(now));
	if (!strcmp(now, "uiox")) {
		printf("%s bound to uiox: /dev/uiox/%s\n", d->name, d->name);
		return opt.persist ? persist(d) : 0;
	}

	write_file(path, old[0] ? old : "\n");
	if (drv[0])
		write_bus(d->bus, d->name, "drivers/%s/bind", drv);
	bound_driver(d, now, sizeof(now));
	uiox_log_line(d->name, seen, why, sizeof(why));
	if (!drv[0])
		return fail(0, "uiox refused %s: %s", d->name,
			    why[0] ? why : "see dmesg");
	return fail(0, "uiox refused %s: %s; %s", d->name,
		    why[0] ? why : "see dmesg",
		    strcmp(now, drv) ? "and it could not go back to its driver" :
				       "it is back with its driver");
}

/*
 * Every device is checked first (it exists, it is not in use unless
 * --force, a binding can be persisted), and nothing changes unless all
 * pass; then each is bound on its own: one that uiox refuses goes back as
 * it was, and the others are bound all the same.
 */
static int cmd_bind(int argc, char **argv)
{
	char why[PATH_MAX + 64];
	struct dev *devs;
	size_t n, i;
	int ret = 0;

	devs = resolve_all(argc, argv, ANY, &n);
	if (!devs)
		return 1;
	for (i = 0; i < n && !opt.force; i++)
		if (in_use(&devs[i], why, sizeof(why)))
			ret = fail(0, "%s is in use: %s (uiox bind --force takes it anyway)",
				   devs[i].name, why);
	if (!ret && opt.persist && !have_driverctl() && access(udev_rules_dir, W_OK))
		ret = fail(errno, "cannot persist a binding: no driverctl, and %s",
			   udev_rules_dir);
	if (!ret)
		ret = load_module();
	if (!ret)
		for (i = 0; i < n; i++)
			ret |= bind_one(&devs[i]);
	free(devs);
	return ret;
}

/*
 * Give a device uiox has, or is meant to have, back: forget a persisted
 * binding (driverctl's unset-override unbinds the device, --noprobe; its
 * file goes directly when driverctl is gone), unbind it, clear the
 * override and let its own driver probe.  A failed unbind puts the
 * persisted rule back.
 */
static int unbind_one(const struct dev *d)
{
	char *argv[] = { "driverctl", "-b", (char *)d->bus, "--noprobe",
			 "unset-override", (char *)d->name, NULL };
	char drv[NAME_LEN], over[NAME_LEN], path[PATH_MAX], rule[4096] = "";
	char name[NAME_LEN + 32];
	bool had = false, bound;
	FILE *f;

	rule_name(d, name, sizeof(name));
	rule_path(d, path, sizeof(path));
	f = fopen(path, "r");
	if (f) {
		rule[fread(rule, 1, sizeof(rule) - 1, f)] = '\0';
		fclose(f);
		if (unlink(path))
			return fail(errno, "%s: cannot remove %s", d->name, path);
		printf("%s: no longer bound to uiox at boot (%s removed)\n", d->name, path);
		had = true;
	}
	if (driverctl_saved(d)) {
		driverctl_path(d, path, sizeof(path));
		if (have_driverctl() ? run_quiet(argv) || driverctl_saved(d) : unlink(path))
			return fail(0, "%s: cannot forget driverctl's override", d->name);
		printf("%s: no longer bound to uiox at boot (driverctl)\n", d->name);
		had = true;
	}
	bound_driver(d, drv, sizeof(drv));
	bound = !strcmp(drv, "uiox");
	dev_attr(d, "driver_override", over, sizeof(over));
	if (!bound && strcmp(over, "uiox"))
		return had ? 0 : fail(0, "%s is not bound to uiox", d->name);
	if (bound && write_bus(d->bus, d->name, "drivers/uiox/unbind")) {
		int err = errno;

		if (rule[0])
			write_atomic(udev_rules_dir, name, rule);
		return fail(err, "cannot unbind %s", d->name);
	}
	write_bus(d->bus, "\n", "devices/%s/driver_override", d->name);
	write_bus(d->bus, d->name, "drivers_probe");
	bound_driver(d, drv, sizeof(drv));
	if (!strcmp(drv, "uiox")) {
		/* uiox is its own driver (ids=, "uiox,generic"): keep it free */
		write_bus(d->bus, "none", "devices/%s/driver_override", d->name);
		if (write_bus(d->bus, d->name, "drivers/uiox/unbind"))
			return fail(errno, "cannot unbind %s", d->name);
		printf("%s unbound from uiox, left without a driver (driver_override=none)\n",
		       d->name);
		return 0;
	}
	printf("%s %s%s%s\n", d->name,
	       bound ? "unbound from uiox" : "no longer set aside for uiox",
	       drv[0] ? ", now bound to " : "", drv);
	return 0;
}

/* unbind names devices bound to uiox, and persisted ones that are not. */
static int cmd_unbind(int argc, char **argv)
{
	struct dev *devs;
	size_t n, i;
	int ret = 0;

	devs = resolve_all(argc, argv, CLAIMED, &n);
	if (!devs)
		return 1;
	for (i = 0; i < n; i++)
		ret |= unbind_one(&devs[i]);
	free(devs);
	return ret;
}

/* ---- info and irq ---------------------------------------------------------- */

/* Why a named device cannot be used. */
static int not_bound(const char *name, int err)
{
	if (err != ENOENT)
		return fail(err, "cannot open %s", name);
	if (!module_loaded())
		return fail(0, "%s: the uiox module is not loaded (modprobe uiox, or insmod uiox.ko)",
			    name);
	return fail(0, "%s is not bound to uiox (uiox bind <device>)", name);
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

/* The DMA verdict, the IOMMU group and its type, from sysfs. */
static void dma_state(const char *name, char *verdict, size_t vlen,
		      char *group, size_t glen, char *type, size_t tlen)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), UIOX_CLASS "%s/dma", name);
	if (read_file(path, verdict, vlen))
		verdict[0] = '\0';
	snprintf(path, sizeof(path), UIOX_CLASS "%s/device/iommu_group", name);
	link_name(path, group, glen);
	type[0] = '\0';
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/type", group);
	if (group[0])
		read_file(path, type, tlen);
}

static void info_text(const char *name, const struct uiox_device_info *info,
		      const struct uiox_region_info *r, const struct uiox_irq_info *irq,
		      unsigned long long held)
{
	char verdict[192], group[32], type[32];
	unsigned int i;

	if (info->flags & UIOX_DEVICE_PCI)
		printf("%s: PCI %04x:%04x (subsystem %04x:%04x, class %06x), uiox API %u\n",
		       name, info->vendor, info->device, info->subsystem_vendor,
		       info->subsystem_device, info->class_code, info->api_version);
	else
		printf("%s: platform device, uiox API %u\n", name,
		       info->api_version);
	for (i = 0; i < info->num_regions && i < MAX_REGIONS; i++) {
		if (!r[i].size)
			continue;
		printf("  region %u: ", i);
		print_size(r[i].size);
		printf(" %s%s%s%s%s, mmap offset 0x%llx\n",
		       r[i].flags & UIOX_REGION_IO ? "I/O ports" : "memory",
		       r[i].flags & UIOX_REGION_MMAP ? ", mappable" : "",
		       r[i].flags & UIOX_REGION_PREFETCH ? ", prefetchable" : "",
		       r[i].flags & UIOX_REGION_MEM64 ? ", 64-bit" : "",
		       r[i].flags & UIOX_REGION_MSIX ? ", MSI-X table" : "",
		       (unsigned long long)r[i].offset);
	}
	printf("  interrupts: %s, %u vector%s; device offers%s%s%s%s (MSI %u, MSI-X %u)\n",
	       irq->mode < 4 ? mode_names[irq->mode] : "?", irq->num_vectors,
	       irq->num_vectors == 1 ? "" : "s",
	       irq->flags & UIOX_IRQ_CAN_INTX ? " INTx" : "",
	       irq->flags & UIOX_IRQ_INTX_MASKING ? " (2.3 masking)" : "",
	       irq->flags & UIOX_IRQ_CAN_MSI ? " MSI" : "",
	       irq->flags & UIOX_IRQ_CAN_MSIX ? " MSI-X" : "",
	       irq->max_msi, irq->max_msix);
	printf("  DMA memory held: ");
	print_size(held);
	printf("\n");
	dma_state(name, verdict, sizeof(verdict), group, sizeof(group), type,
		  sizeof(type));
	if (!verdict[0])
		return;
	if (!group[0])
		printf("  DMA: %s (no IOMMU group)\n", verdict);
	else
		printf("  DMA: %s (IOMMU group %s%s%s)\n", verdict, group,
		       type[0] ? ", type " : "", type);
}

static void info_json(const char *name, const struct uiox_device_info *info,
		      const struct uiox_region_info *r, const struct uiox_irq_info *irq,
		      unsigned long long held)
{
	char verdict[192], group[32], type[32], hex[16];
	bool first = true;
	unsigned int i;

	printf("{");
	json_str("name", name, true);
	json_str("bus", info->flags & UIOX_DEVICE_PCI ? "pci" : "platform", true);
	if (info->flags & UIOX_DEVICE_PCI) {
		snprintf(hex, sizeof(hex), "%04x", info->vendor);
		json_str("vendor", hex, true);
		snprintf(hex, sizeof(hex), "%04x", info->device);
		json_str("device", hex, true);
		snprintf(hex, sizeof(hex), "%06x", info->class_code);
		json_str("class", hex, true);
	}
	json_num("api_version", info->api_version, true);
	printf("\"regions\": [");
	for (i = 0; i < info->num_regions && i < MAX_REGIONS; i++) {
		if (!r[i].size)
			continue;
		printf("%s{", first ? "" : ", ");
		first = false;
		json_num("index", i, true);
		json_num("size", r[i].size, true);
		json_num("flags", r[i].flags, true);
		json_num("offset", r[i].offset, false);
		printf("}");
	}
	printf("], ");
	json_str("irq_mode", irq->mode < 4 ? mode_names[irq->mode] : "?", true);
	json_num("vectors", irq->num_vectors, true);
	json_num("irq_flags", irq->flags, true);
	json_num("max_msi", irq->max_msi, true);
	json_num("max_msix", irq->max_msix, true);
	json_num("dma_bytes", held, true);
	dma_state(name, verdict, sizeof(verdict), group, sizeof(group), type,
		  sizeof(type));
	json_str("dma", verdict, true);
	json_str("iommu_group", group, true);
	json_str("iommu_type", type, false);
	printf("}");
}

static int info_one(const char *name, bool first)
{
	struct uiox_region_info r[MAX_REGIONS] = { { 0 } };
	struct uiox_device_info info;
	struct uiox_irq_info irq;
	char path[PATH_MAX], buf[32];
	struct uio_dev *dev;
	unsigned int i;

	dev = uio_open(name);
	if (!dev)
		return not_bound(name, errno);
	if (uio_device_info(dev, &info) || uio_irq_info(dev, &irq)) {
		fail(errno, "cannot query %s", name);
		uio_close(dev);
		return 1;
	}
	for (i = 0; i < info.num_regions && i < MAX_REGIONS; i++)
		if (uio_region_info(dev, i, &r[i]))
			r[i].size = 0;
	uio_close(dev);
	snprintf(path, sizeof(path), UIOX_CLASS "%s/dma_bytes", name);
	if (read_file(path, buf, sizeof(buf)))
		buf[0] = '\0';
	if (opt.json) {
		printf("%s\n  ", first ? "" : ",");
		info_json(name, &info, r, &irq, strtoull(buf, NULL, 10));
	} else {
		info_text(name, &info, r, &irq, strtoull(buf, NULL, 10));
	}
	return 0;
}

static int cmd_info(int argc, char **argv)
{
	struct dev *devs;
	size_t n, i;
	int ret = 0, shown = 0;

	devs = resolve_all(argc, argv, BOUND, &n);
	if (!devs)
		return 1;
	if (opt.json)
		printf("[");
	for (i = 0; i < n; i++) {
		int bad = info_one(devs[i].name, !shown);

		shown += !bad;
		ret |= bad;
	}
	if (opt.json)
		printf("%s]\n", shown ? "\n" : "");
	free(devs);
	return ret;
}

static int cmd_irq(int argc, char **argv)
{
	char path[PATH_MAX], buf[4096], mode[16];
	const char *arg = argv[0];
	struct dev *devs;
	size_t n;

	devs = resolve_all(1, argv, BOUND, &n);
	argc--;
	argv++;
	if (!devs)
		return 1;
	if (n != 1) {
		free(devs);
		return fail(0, "%s names %zu devices: name one", arg, n);
	}
	snprintf(path, sizeof(path), UIOX_CLASS "%s/irq_mode", devs[0].name);
	if (access(path, F_OK)) {
		free(devs);
		return not_bound(arg, ENOENT);
	}
	if (argc > 0) {
		snprintf(buf, sizeof(buf), "%s %s", argv[0], argc > 1 ? argv[1] : "");
		if (write_file(path, buf)) {
			free(devs);
			return fail(errno, "cannot set the interrupt mode of %s", arg);
		}
	}
	if (read_file(path, mode, sizeof(mode))) {
		free(devs);
		return fail(errno, "cannot read %s", path);
	}
	snprintf(path, sizeof(path), UIOX_CLASS "%s/irq_counts", devs[0].name);
	if (read_file(path, buf, sizeof(buf))) {
		free(devs);
		return fail(errno, "cannot read %s", path);
	}
	printf("%s: %s, events per vector: %s\n", devs[0].name, mode,
	       buf[0] ? buf : "-");
	free(devs);
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

/* --help: the usage, on stdout. */
static int usage(void)
{
	printf("usage: uiox [--json] status\n"
	       "       uiox [--json] list\n"
	       "       uiox bind [--force] [--persist] <device>...\n"
	       "       uiox unbind <device>...\n"
	       "       uiox [--json] info <device>...\n"
	       "       uiox irq <device> [none|intx|msi|msix [vectors]]\n"
	       "       uiox --help | --version\n"
	       "A <device>: 0000:01:00.0 or 01:00.0, vendor:device (8086:10d3: each such\n"
	       "function), or a platform device's name (see uiox(8)).\n");
	return 0;
}

/* A mistake on the command line: one line, exit status 2. */
__attribute__((format(printf, 1, 2)))
static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "uiox: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (usage: uiox --help)\n");
	return 2;
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

/* A command's status, or 1 when its output was lost (a full disk, a pipe). */
static int flushed(int ret)
{
	if (fflush(stdout) || ferror(stdout))
		return fail(errno, "cannot write the output");
	return ret;
}

/*
 * The commands: name, what runs it (with the arguments after the name),
 * least and most of those, and which options it takes.
 */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	int min, max;
	bool json, bind;
} commands[] = {
	{ "status", cmd_status, 0, 0, true, false },
	{ "list", cmd_list, 0, 0, true, false },
	{ "bind", cmd_bind, 1, 64, false, true },
	{ "unbind", cmd_unbind, 1, 64, false, false },
	{ "info", cmd_info, 1, 64, true, false },
	{ "irq", cmd_irq, 1, 3, false, false },
};

int main(int argc, char **argv)
{
	char *args[65];
	unsigned int c;
	int i, n = 0;

	if (getenv("UIOX_UDEV_RULES_DIR"))
		udev_rules_dir = getenv("UIOX_UDEV_RULES_DIR");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			opt.json = true;
		else if (!strcmp(argv[i], "--force"))
			opt.force = true;
		else if (!strcmp(argv[i], "--persist"))
			opt.persist = true;
		else if (!strcmp(argv[i], "--help"))
			return flushed(usage());
		else if (!strcmp(argv[i], "--version"))
			return flushed(version());
		else if (argv[i][0] == '-')
			return bad_usage("unknown option %s", argv[i]);
		else if (n == (int)(sizeof(args) / sizeof(args[0])))
			return bad_usage("too many arguments");
		else
			args[n++] = argv[i];
	}
	if (!n)
		return bad_usage("no command");
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(args[0], commands[c].name))
			break;
	if (c == sizeof(commands) / sizeof(commands[0]))
		return bad_usage("unknown command %s", args[0]);
	if (n - 1 < commands[c].min)
		return bad_usage("%s: which device?", args[0]);
	if (n - 1 > commands[c].max)
		return bad_usage("%s: too many arguments", args[0]);
	if (opt.json && !commands[c].json)
		return bad_usage("%s has no --json", args[0]);
	if ((opt.force || opt.persist) && !commands[c].bind)
		return bad_usage("--force and --persist are for bind");
	return flushed(commands[c].run(n - 1, args + 1));
}
