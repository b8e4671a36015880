/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the uiox selftests: finding devices, raw UAPI calls,
 * sysfs files, and asking the host (tools/rig/vmrun) for monitor commands.
 * They talk to the stub with raw syscalls only, never through libuio.
 * What every program shares beyond that (its start, its skip without its
 * device): uiox_ksft.h.
 */
#ifndef UIOX_TEST_H
#define UIOX_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uiox.h>

#include "uiox_ksft.h"
#include "../tools/examples/devices/e1000e.h"
#include "../tools/examples/devices/edu.h"
#include "../tools/examples/devices/ivshmem.h"
#include "../tools/examples/devices/virtio.h"

/*
 * The length of the tests' edu transfers: QEMU 7.2 refuses one that ends
 * at the end of edu's buffer.
 */
#define EDU_DMA_LEN	2048
/*
 * The address bits edu drives in the rig's guests: on arm64, where virt's
 * RAM starts at 1 GiB, 40 (ARCHES' device_props in tools/rig/machines.py).
 */
#ifdef __aarch64__
#define EDU_REACH_BITS	40
#else
#define EDU_REACH_BITS	EDU_DMA_BITS
#endif
#define VIRT_PL031_NAME	"9010000.pl031"	/* QEMU virt's PL031 */
#define VIRT_PL031_BASE	0x9010000UL

static inline int sysfs_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Lines of @path (a /proc listing) containing @what; -1 if unreadable. */
static inline int lines_naming(const char *path, const char *what)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, what) != NULL;
	fclose(f);
	return n;
}

/* Entries of directory @dir, "." and ".." aside; -1 if unreadable. */
static inline int dir_entries(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* A number in /sys/class/uiox/<name>/<attr>, or -1. */
static inline long uiox_attr_num(const char *name, const char *attr)
{
	char path[256], buf[32];

	snprintf(path, sizeof(path), "/sys/class/uiox/%s/%s", name, attr);
	return sysfs_read(path, buf, sizeof(buf)) ? -1 : strtol(buf, NULL, 0);
}

#define UNSAFE_PARAM	"/sys/module/uiox/parameters/allow_unsafe_dma"

#define PCI_COMMAND_MASTER	0x4
#define PCI_COMMAND_INTX_DISABLE	0x400

/* @len bytes of @bdf's config space at @off: 0, or -1. */
static inline int pci_config(const char *bdf, unsigned int off, void *buf,
			     size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* BAR @bar of @bdf from sysfs "resource": 0, or -1. */
static inline int pci_resource(const char *bdf, unsigned int bar,
			       unsigned long long *start, unsigned long long *end,
			       unsigned long long *flags)
{
	char path[256], line[256];
	unsigned int i = 0;
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f))
		if (i++ == bar && sscanf(line, "%llx %llx %llx", start, end, flags) == 3)
			found = 0;
	fclose(f);
	return found;
}

/* The PCI command register, read from config space; -1 on error. */
static inline int pci_command(const char *bdf)
{
	uint16_t cmd;

	return pci_config(bdf, 4, &cmd, sizeof(cmd)) ? -1 : cmd;
}

/* Open /dev/uiox/<name> with @flags (O_RDONLY, ...); -1 when not bound. */
static inline int uiox_open_as(const char *name, int flags)
{
	char node[160];

	snprintf(node, sizeof(node), "/dev/uiox/%s", name);
	return open(node, O_CLOEXEC | flags);
}

/* Open /dev/uiox/<bdf> for reading and writing; -1 when not bound. */
static inline int uiox_open(const char *bdf, int flags)
{
	return uiox_open_as(bdf, O_RDWR | flags);
}

/* Find the first function with these IDs (see pci_find) and open it. */
static inline int uiox_open_pci(unsigned int vendor, unsigned int device,
				int where, char *bdf, size_t len)
{
	if (pci_find(vendor, device, where, 0, bdf, len))
		return -1;
	return uiox_open(bdf, 0);
}

static inline void *uiox_map(int fd, unsigned int index, size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    UIOX_REGION_OFFSET(index));
}

static inline uint32_t rd32(volatile void *bar, size_t off)
{
	return *(volatile uint32_t *)((volatile char *)bar + off);
}

static inline void wr32(volatile void *bar, size_t off, uint32_t v)
{
	*(volatile uint32_t *)((volatile char *)bar + off) = v;
}

/* edu: raise its interrupt (status bit 0). */
static inline void edu_raise(volatile void *bar)
{
	wr32(bar, EDU_REG_IRQ_RAISE, 1);
}

/* edu: acknowledge whatever it has raised. */
static inline void edu_ack(volatile void *bar)
{
	wr32(bar, EDU_REG_IRQ_ACK, rd32(bar, EDU_REG_IRQ_STATUS));
}

static inline int uiox_set_irq_mode(int fd, uint32_t mode, uint32_t n)
{
	struct uiox_irq_mode m = {
		.argsz = sizeof(m), .mode = mode, .num_vectors = n,
	};

	return ioctl(fd, UIOX_SET_IRQ_MODE, &m);
}

static inline int uiox_bus_master(int fd, int enable)
{
	struct uiox_bus_master bm = { .argsz = sizeof(bm), .enable = enable };

	return ioctl(fd, UIOX_SET_BUS_MASTER, &bm);
}

static inline int uiox_dma_mask(int fd, uint32_t bits)
{
	struct uiox_dma_mask m = { .argsz = sizeof(m), .bits = bits };

	return ioctl(fd, UIOX_SET_DMA_MASK, &m);
}

static inline int uiox_dma_alloc(int fd, uint64_t size,
				 struct uiox_dma_alloc *a)
{
	memset(a, 0, sizeof(*a));
	a->argsz = sizeof(*a);
	a->size = size;
	return ioctl(fd, UIOX_DMA_ALLOC, a);
}

static inline int uiox_dma_free(int fd, uint32_t id)
{
	struct uiox_dma_free f = { .argsz = sizeof(f), .id = id };

	return ioctl(fd, UIOX_DMA_FREE, &f);
}

/*
 * One edu DMA transfer (dir: EDU_DMA_FROM_RAM or EDU_DMA_TO_RAM), waited
 * for; 0, or -1 when it did not finish within 5 s.  Keep the device side
 * inside [EDU_DMA_BUF, EDU_DMA_BUF + EDU_DMA_SIZE): QEMU aborts otherwise
 * (and, in 7.2, also for a transfer that ends exactly at its end).
 */
static inline void edu_dma_start(volatile void *bar, uint64_t src,
				 uint64_t dst, uint32_t count, uint32_t dir)
{
	wr32(bar, EDU_REG_DMA_SRC, (uint32_t)src);
	wr32(bar, EDU_REG_DMA_DST, (uint32_t)dst);
	wr32(bar, EDU_REG_DMA_COUNT, count);
	wr32(bar, EDU_REG_DMA_CMD, EDU_DMA_RUN | dir);
}

/* Wait up to 5 s for edu's DMA engine to be idle: 0, or -1. */
static inline int edu_dma_wait(volatile void *bar)
{
	int i;

	for (i = 0; i < 500 && (rd32(bar, EDU_REG_DMA_CMD) & EDU_DMA_RUN); i++)
		usleep(10000);
	return rd32(bar, EDU_REG_DMA_CMD) & EDU_DMA_RUN ? -1 : 0;
}

static inline int edu_dma(volatile void *bar, uint64_t src, uint64_t dst,
			  uint32_t count, uint32_t dir)
{
	edu_dma_start(bar, src, dst, count, dir);
	return edu_dma_wait(bar);
}

static inline int uiox_vector_fd(int fd, uint32_t vector, uint32_t flags)
{
	struct uiox_vector_fd v = {
		.argsz = sizeof(v), .vector = vector, .flags = flags,
	};

	return ioctl(fd, UIOX_GET_VECTOR_FD, &v);
}

/* 1 when fd is readable within ms, 0 when not, -1 on error. */
static inline int readable_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, ms);

	return n < 0 ? -1 : n > 0 && (p.revents & POLLIN);
}

/* UIO protocol: 4-byte count read, 4-byte 1/0 write. */
static inline int32_t uio_read_count(int fd)
{
	int32_t c;

	return read(fd, &c, sizeof(c)) == sizeof(c) ? c : -1;
}

static inline int uio_unmask(int fd, int32_t on)
{
	return write(fd, &on, sizeof(on)) == sizeof(on) ? 0 : -1;
}

/* Ask vmrun on the host for a monitor command (see tools/rig/vmrun). */
static inline int host_hmp(const char *cmd)
{
	FILE *con = fopen("/dev/console", "w");

	if (!con)
		return -1;
	fprintf(con, "uiox-host: hmp %s\n", cmd);
	return fclose(con);
}

/* Wait up to @seconds until @path exists (@want 1) or not (@want 0). */
static inline int wait_path(const char *path, int want, int seconds)
{
	int i;

	for (i = 0; i < seconds * 10; i++) {
		if ((access(path, F_OK) == 0) == want)
			return 0;
		usleep(100000);
	}
	return -1;
}

static inline int wait_gone(const char *path, int seconds)
{
	return wait_path(path, 0, seconds);
}

static inline int wait_exists(const char *path, int seconds)
{
	return wait_path(path, 1, seconds);
}

/*
 * Write device @name to /sys/bus/@bus/@file; 0 once /dev/uiox/@name is
 * there (within 5 s).
 */
static inline int uiox_bus_write_wait(const char *bus, const char *file,
				      const char *name)
{
	char path[192];

	snprintf(path, sizeof(path), "/sys/bus/%s/%s", bus, file);
	if (sysfs_write(path, name))
		return -1;
	snprintf(path, sizeof(path), "/dev/uiox/%s", name);
	return wait_exists(path, 5);
}

/*
 * Ask @bus ("pci", "platform") to find device @name a driver; 0 once
 * /dev/uiox/@name is there (uiox bound it).
 */
static inline int uiox_probe(const char *bus, const char *name)
{
	return uiox_bus_write_wait(bus, "drivers_probe", name);
}

/*
 * Hand device @name on @bus to uiox through its driver_override, as an
 * administrator would; 0 once /dev/uiox/@name is there.
 */
static inline int uiox_bind_override(const char *bus, const char *name)
{
	char path[192];

	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/driver_override",
		 bus, name);
	if (sysfs_write(path, "uiox"))
		return -1;
	return uiox_probe(bus, name);
}

/* Unbind device @name on @bus ("pci", "platform") from uiox: 0 or -1. */
static inline int uiox_unbind(const char *bus, const char *name)
{
	char path[192];

	snprintf(path, sizeof(path), "/sys/bus/%s/drivers/uiox/unbind", bus);
	return sysfs_write(path, name);
}

/*
 * Bind device @name on @bus to uiox through the driver's own "bind" file,
 * which, unlike drivers_probe, cannot hand it to another driver; 0 once
 * /dev/uiox/@name is there.
 */
static inline int uiox_driver_bind(const char *bus, const char *name)
{
	return uiox_bus_write_wait(bus, "drivers/uiox/bind", name);
}

/*
 * Unbind PCI device @bdf from uiox and bind it again: a fresh probe, which
 * reads the module parameters afresh; 0 once its node is back.
 */
static inline int uiox_rebind(const char *bdf)
{
	if (uiox_unbind("pci", bdf))
		return -1;
	return uiox_probe("pci", bdf);
}

/* Undo uiox_bind_override(): unbind, and clear the override. */
static inline void uiox_unbind_override(const char *bus, const char *name)
{
	char path[192];

	uiox_unbind(bus, name);
	snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/driver_override",
		 bus, name);
	sysfs_write(path, "\n");
}

/* The per-CPU counts of a /proc/interrupts row, added up ("IRQ: n n ..."). */
static inline long irq_row_total(const char *row)
{
	const char *p = strchr(row, ':');
	char *end;
	long total = 0, n;

	for (p = p ? p + 1 : row;; p = end) {
		n = strtol(p, &end, 10);
		if (end == p)
			return total;
		total += n;
	}
}

/*
 * Interrupts Linux has taken on the /proc/interrupts rows that name @name,
 * all CPUs together; -1 when no row does.
 */
static inline long irq_count(const char *name)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char row[1024];
	long total = -1;

	if (!f)
		return -1;
	while (fgets(row, sizeof(row), f))
		if (strchr(row, ':') && strstr(row, name))
			total = (total < 0 ? 0 : total) + irq_row_total(row);
	fclose(f);
	return total;
}

static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* mmap() and unmap again: 0, or the errno mmap() failed with. */
static inline int try_mmap(int fd, size_t len, int prot, int flags,
			   uint64_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, (off_t)off);

	if (p != MAP_FAILED) {
		munmap(p, len);
		return 0;
	}
	return errno;
}

/*
 * Lines of the kernel log holding both @a and @b, after the first line
 * holding @marker (NULL: the whole log); -1 if it cannot be read or the
 * marker is not there.
 */
static inline int kernel_log_count(const char *marker, const char *a,
				   const char *b)
{
	static char log[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, sizeof(log) - 1);
	char *p, *line, *save;
	int count = 0;

	if (n < 0)
		return -1;
	log[n] = '\0';
	p = marker ? strstr(log, marker) : log;
	if (!p)
		return -1;
	for (line = strtok_r(p, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		count += strstr(line, a) && strstr(line, b);
	return count;
}

/*
 * MSI isolated: a device's DMA write cannot raise an interrupt of its
 * choosing.  x86: interrupt remapping on (the kernel says so at boot);
 * arm64: MSI through a GICv3 ITS, which tells devices apart (its probe
 * logs the device table).
 */
static inline int msi_isolated(void)
{
#ifdef __aarch64__
	return kernel_log_count(NULL, "ITS@", "Devices") > 0;
#else
	return kernel_log_count(NULL, "Enabled IRQ remapping", "") > 0;
#endif
}

/* The length a region maps with: a sub-page region maps its page. */
static inline uint64_t region_map_size(const struct uiox_region_info *r)
{
	uint64_t page = sysconf(_SC_PAGESIZE);

	return r->size < page ? page : r->size;
}

/* UIOX_GET_REGION_INFO of region @index into @r: 0 or -1 (errno). */
static inline int region_info(int fd, unsigned int index,
			      struct uiox_region_info *r)
{
	memset(r, 0, sizeof(*r));
	r->argsz = sizeof(*r);
	r->index = index;
	return ioctl(fd, UIOX_GET_REGION_INFO, r);
}

/*
 * Region @index's line of /sys/class/uiox/<name>/regions: its start, size
 * and, unless @flags is NULL, its flags ("mem,mmap,...", 64 bytes).  0, or
 * -1 if there is none.
 */
static inline int region_addr(const char *name, unsigned int index,
			      unsigned long long *start,
			      unsigned long long *size, char *flags)
{
	char path[256], line[256], f64[64];
	unsigned int i;
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/uiox/%s/regions", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %llx %llx %63s", &i, start, size, f64) == 4 &&
		    i == index)
			found = 0;
	fclose(f);
	if (!found && flags)
		strcpy(flags, f64);
	return found;
}

#ifdef __x86_64__
#define PAT_LIST	"/sys/kernel/debug/x86/pat_memtype_list"

/*
 * The memory type x86's PAT list records for exactly [start, start+size),
 * into @type: 0, -1 if none, -2 if the list cannot be read (debugfs).
 */
static inline int pat_type(unsigned long long start, unsigned long long size,
			   char *type, size_t len)
{
	unsigned long long s, e;
	char line[256], t[64];
	int found = -1;
	FILE *f;

	f = fopen(PAT_LIST, "r");
	if (!f)
		return -2;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PAT: [mem 0x%llx-0x%llx] %63s", &s, &e, t) == 3 &&
		    s == start && e == start + size) {
			snprintf(type, len, "%s", t);
			found = 0;
		}
	fclose(f);
	return found;
}
#endif

/*
 * The VmFlags of the mapping that starts at @addr, from /proc/self/smaps,
 * as " rd sh ... " (each flag between spaces): 0, or -1 if none is found.
 */
static inline int vm_flags(volatile void *addr, char *flags, size_t len)
{
	char line[512], start[32];
	int found = 0, ret = -1;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	snprintf(start, sizeof(start), "%lx-", (unsigned long)addr);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, start, strlen(start)))
			found = 1;
		else if (found && !strncmp(line, "VmFlags:", 8)) {
			size_t n = strcspn(line + 8, "\n");

			n = n < len ? n : len - 1;
			memcpy(flags, line + 8, n);
			flags[n] = '\0';
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* Does vm_flags()'s @flags hold the two-letter @flag? */
static inline int has_flag(const char *flags, const char *flag)
{
	char f[8];

	snprintf(f, sizeof(f), " %s ", flag);
	return strstr(flags, f) != NULL;
}

/*
 * The region holding e1000e's MSI-X table (QEMU: BAR 3, table in its first
 * page, PBA in its third, nothing in the second); -1 if none says so.
 */
static inline int msix_region(int fd)
{
	struct uiox_region_info r;
	unsigned int i;

	for (i = 0; i < 6; i++)
		if (!region_info(fd, i, &r) && (r.flags & UIOX_REGION_MSIX))
			return (int)i;
	return -1;
}

/*
 * Wait up to @ms until the task @proc ("/proc/<pid>", or
 * "/proc/self/task/<tid>" for a thread) is asleep in system call @nr or
 * @nr2 (-1: none): its state S or D and /proc's "syscall" naming the call.
 * 0 once it is, -1 if not in time.  A test that wakes a sleeper calls this
 * first, so that it wakes one that really slept.
 */
static inline int wait_asleep_in(const char *proc, long nr, long nr2, int ms)
{
	char path[128], buf[512], *state;
	long start = now_ms(), cur;

	for (;;) {
		snprintf(path, sizeof(path), "%s/stat", proc);
		if (sysfs_read(path, buf, sizeof(buf)))
			return -1;
		state = strrchr(buf, ')');
		snprintf(path, sizeof(path), "%s/syscall", proc);
		if (state && state[1] == ' ' &&
		    (state[2] == 'S' || state[2] == 'D') &&
		    !sysfs_read(path, buf, sizeof(buf))) {
			cur = strtol(buf, NULL, 10);
			if (cur == nr || (nr2 >= 0 && cur == nr2))
				return 0;
		}
		if (now_ms() - start > ms)
			return -1;
		usleep(1000);
	}
}

#ifdef SYS_poll
#define SYS_POLL_ANY	SYS_poll	/* glibc's poll() is either */
#else
#define SYS_POLL_ANY	-1
#endif

/* A child process's /proc directory, for wait_asleep_in(). */
static inline const char *proc_of(pid_t pid, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/%d", (int)pid);
	return buf;
}

/* The same for a thread of this process, by its gettid(). */
static inline const char *thread_proc_of(pid_t tid, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/task/%d", (int)tid);
	return buf;
}

/* Exit codes of the children that spawn() runs. */
#define CHILD_OK		0
#define CHILD_SETUP_FAILED	10
#define CHILD_READ_STALE	11
#define CHILD_WRONG_RESULT	12

/* Fork a child running fn(fd, pipe); return once it says it is ready. */
static inline pid_t spawn(void (*fn)(int fd, int ready), int fd)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		fn(fd, p[1]);
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &c, 1) != 1)
		pid = -1;
	close(p[0]);
	return pid;
}

/* A child's exit code, or 128 + the signal that killed it. */
static inline int exit_code(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Fork a child that reads *p and exits with CHILD_READ_STALE if it can. */
static inline pid_t touch_in_child(volatile unsigned char *p)
{
	pid_t pid = fork();

	if (pid == 0) {
		(void)p[0];
		_exit(CHILD_READ_STALE);
	}
	return pid;
}

/* Child: block in read() on the device file; expect ENODEV. */
static inline void blocked_reader(int fd, int ready)
{
	int32_t c;

	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	if (read(fd, &c, sizeof(c)) == -1 && errno == ENODEV)
		_exit(CHILD_OK);
	_exit(CHILD_WRONG_RESULT);
}

#endif /* UIOX_TEST_H */
