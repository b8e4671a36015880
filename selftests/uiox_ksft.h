/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every uiox selftest program shares, the UIO-compatibility test
 * included (it uses no uiox header): sysfs reading, finding PCI functions,
 * and the start of the program.
 *
 * The start, before the harness runs its first case:
 * - "uiox-selftest: start NAME" in the kernel log ("uiox-selftest: end
 *   NAME" at exit), so that a kernel report can be placed in the test that
 *   provoked it;
 * - in the uiox rig's guests (UIOX_TEST_RIG=1, set by
 *   tools/rig/guest/rig-selftests: throwaway machines where a test may
 *   load uiox and bind devices), uiox loaded and each of the rig's devices
 *   bound (lib.sh's rig_prepare).  Anywhere else nothing is loaded or
 *   bound: the tests use what the user has bound;
 * - a program for a device only the rig's QEMU guests have declares it
 *   (UIOX_TEST_NEEDS_PCI, UIOX_TEST_NEEDS_PLATFORM): without the device
 *   the program is skipped, as a kselftest without its hardware is ("1..0
 *   # SKIP", exit 4), and the rig counts that as a failure.
 */
#ifndef UIOX_KSFT_H
#define UIOX_KSFT_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The whole of a (small) file, NUL-terminated: 0, or -1 (errno). */
static inline int file_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The first line of a sysfs file, without its newline: 0, or -1. */
static inline int sysfs_read(const char *path, char *buf, size_t len)
{
	if (file_read(path, buf, len))
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static inline unsigned long pci_attr(const char *bdf, const char *attr)
{
	char path[512], buf[64];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	if (sysfs_read(path, buf, sizeof(buf)))
		return ~0UL;
	return strtoul(buf, NULL, 0);
}

/*
 * PCI name of the nth function with these IDs, in name order, optionally
 * only on the root bus (bus 00) or only off it.
 */
enum { ANY_BUS, ROOT_BUS, BEHIND_BRIDGE };

static inline int pci_find(unsigned int vendor, unsigned int device,
			   int where, int nth, char *bdf, size_t len)
{
	struct dirent **names;
	int i, n, found = -1;

	n = scandir("/sys/bus/pci/devices", &names, NULL, alphasort);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		int root = strncmp(d + 5, "00:", 3) == 0;

		if (found == 0 || d[0] == '.')
			continue;
		if (pci_attr(d, "vendor") != vendor ||
		    pci_attr(d, "device") != device)
			continue;
		if ((where == ROOT_BUS && !root) ||
		    (where == BEHIND_BRIDGE && root))
			continue;
		if (nth-- == 0 && strlen(d) < len) {
			memcpy(bdf, d, strlen(d) + 1);
			found = 0;
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return found;
}

static pid_t uiox_ksft_pid;

static inline void uiox_ksft_kmsg(const char *what)
{
	FILE *kmsg = fopen("/dev/kmsg", "w");

	if (kmsg) {
		fprintf(kmsg, "uiox-selftest: %s %s\n", what,
			program_invocation_short_name);
		fclose(kmsg);
	}
}

static inline void uiox_ksft_end(void)
{
	if (getpid() == uiox_ksft_pid)	/* not a child calling exit() */
		uiox_ksft_kmsg("end");
}

/* lib.sh's rig_prepare, from the directory this program is in: 0 or -1. */
static inline int uiox_ksft_rig_prepare(void)
{
	char dir[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	int status;
	pid_t pid;

	if (n <= 0)
		return -1;
	dir[n] = '\0';
	*strrchr(dir, '/') = '\0';
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", ". \"$0\"/lib.sh && rig_prepare",
		      dir, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void __attribute__((constructor(101))) uiox_ksft_start(void)
{
	uiox_ksft_pid = getpid();
	uiox_ksft_kmsg("start");
	atexit(uiox_ksft_end);
	if (getenv("UIOX_TEST_RIG") && uiox_ksft_rig_prepare())
		fprintf(stderr, "# uiox: could not prepare the rig's devices\n");
}

/* Skip this program (see above) unless a PCI function has these IDs. */
#define UIOX_TEST_NEEDS_PCI(vendor, device, what)			\
static void __attribute__((constructor(102))) uiox_ksft_needs(void)	\
{									\
	char bdf[32];							\
									\
	if (pci_find(vendor, device, ANY_BUS, 0, bdf, sizeof(bdf)))	\
		ksft_exit_skip("needs %s (PCI %04x:%04x), which the "	\
			       "uiox rig's QEMU guests have\n", what,	\
			       vendor, device);				\
}

/* Skip this program (see above) unless platform device @name exists. */
#define UIOX_TEST_NEEDS_PLATFORM(name, what)				\
static void __attribute__((constructor(102))) uiox_ksft_needs(void)	\
{									\
	if (access("/sys/bus/platform/devices/" name, F_OK))		\
		ksft_exit_skip("needs %s (platform device %s), which "	\
			       "the uiox rig's QEMU guests have\n",	\
			       what, name);				\
}

#endif /* UIOX_KSFT_H */
