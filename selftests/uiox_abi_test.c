// SPDX-License-Identifier: GPL-2.0
/*
 * uiox ABI selftest: the ioctl rules stated at the top of uapi/uiox.h,
 * checked for every ioctl on a real device (edu; e1000e for its I/O-port
 * BAR).  Each call is made once as documented (the baseline), then with
 * the argument grown and shrunk, and must then succeed or fail exactly
 * like the baseline, or with the errno the rules give.
 */
#include <grp.h>

#include "uiox_test.h"
#include "kselftest_harness.h"
#include "uiox_abi.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

TEST(ioctl_numbers_carry_no_size)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(abi_calls); i++) {
		EXPECT_EQ(0, _IOC_SIZE(abi_calls[i].cmd)) TH_LOG("%s", abi_calls[i].name);
		EXPECT_EQ(_IOC_NONE, _IOC_DIR(abi_calls[i].cmd));
		EXPECT_EQ(UIOX_MAGIC, _IOC_TYPE(abi_calls[i].cmd));
		EXPECT_EQ(i, _IOC_NR(abi_calls[i].cmd));
	}
}

FIXTURE(devices) {
	int fd[2];		/* edu, e1000e */
	unsigned char buf[ABI_BUF_SIZE];
};

FIXTURE_SETUP(devices)
{
	char bdf[64];

	self->fd[0] = uiox_open_pci(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, bdf,
				    sizeof(bdf));
	ASSERT_LE(0, self->fd[0]) TH_LOG("no edu bound to uiox");
	self->fd[1] = uiox_open_pci(E1000E_VENDOR, E1000E_DEVICE, ANY_BUS, bdf,
				    sizeof(bdf));
	ASSERT_LE(0, self->fd[1]) TH_LOG("no e1000e bound to uiox");
}

FIXTURE_TEARDOWN(devices)
{
	uiox_bus_master(self->fd[0], 0);
	uiox_set_irq_mode(self->fd[0], UIOX_IRQ_INTX, 1);
	close(self->fd[0]);
	close(self->fd[1]);
}

TEST_F(devices, every_ioctl_follows_the_argsz_rules)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(abi_calls); i++) {
		const struct abi_call *c = &abi_calls[i];
		int fd = self->fd[c->e1000e];
		int base = abi_make(fd, self->buf, c, c->size, NULL);

		TH_LOG("%s: baseline %s", c->name, base ? strerror(base) : "ok");
		EXPECT_NE(EINVAL, base);
		EXPECT_NE(E2BIG, base);
		/* smaller than 1.0 */
		EXPECT_EQ(EINVAL, abi_make(fd, self->buf, c, c->size - 1, NULL));
		EXPECT_EQ(EINVAL, abi_make(fd, self->buf, c, 0, NULL));
		/* larger, zero tail: as the baseline, up to the limit */
		EXPECT_EQ(base, abi_make(fd, self->buf, c, c->size + 16, NULL));
		EXPECT_EQ(base, abi_make(fd, self->buf, c, UIOX_ARGSZ_MAX, NULL));
		/* larger, a byte this kernel does not know is set */
		EXPECT_EQ(E2BIG, abi_make(fd, self->buf, c, c->size + 16, abi_dirty_tail));
		/* past the limit, however zero */
		EXPECT_EQ(E2BIG, abi_make(fd, self->buf, c, UIOX_ARGSZ_MAX + 1, NULL));
	}
}

/* A larger argsz gets back only what the kernel knows; the tail is kept. */
TEST_F(devices, write_back_stops_at_what_the_kernel_knows)
{
	struct uiox_device_info *info = (void *)self->buf;
	size_t i;

	memset(self->buf, 0, sizeof(self->buf));
	info->argsz = sizeof(*info) + 32;
	ASSERT_EQ(0, ioctl(self->fd[0], UIOX_GET_DEVICE_INFO, info));
	EXPECT_EQ(EDU_VENDOR, info->vendor);
	EXPECT_EQ(sizeof(*info) + 32, info->argsz);
	for (i = sizeof(*info); i < sizeof(*info) + 32; i++)
		EXPECT_EQ(0, self->buf[i]);
}

TEST_F(devices, reserved_fields_and_unknown_flags_must_be_zero)
{
	struct uiox_port_io p = { .argsz = sizeof(p), .index = 2, .width = 4 };
	struct uiox_vector_fd v = { .argsz = sizeof(v) };
	struct uiox_reset r = { .argsz = sizeof(r) };
	struct uiox_dma_alloc a = { .argsz = sizeof(a), .size = 4096 };
	struct uiox_region_info ri = { .argsz = sizeof(ri) };

	ASSERT_EQ(0, ioctl(self->fd[1], UIOX_PORT_IO, &p));
	p.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd[1], UIOX_PORT_IO, &p));
	EXPECT_EQ(EINVAL, errno);
	p.__reserved = 0;
	p.flags = 2;
	EXPECT_EQ(-1, ioctl(self->fd[1], UIOX_PORT_IO, &p));
	EXPECT_EQ(EINVAL, errno);

	v.flags = UIOX_FD_NONBLOCK << 1;
	EXPECT_EQ(-1, ioctl(self->fd[0], UIOX_GET_VECTOR_FD, &v));
	EXPECT_EQ(EINVAL, errno);
	r.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd[0], UIOX_RESET, &r));
	EXPECT_EQ(EINVAL, errno);
	a.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd[0], UIOX_DMA_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	a.flags = 0;
	a.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd[0], UIOX_DMA_ALLOC, &a));
	EXPECT_EQ(EINVAL, errno);
	ri.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd[0], UIOX_GET_REGION_INFO, &ri));
	EXPECT_EQ(EINVAL, errno);
	ri.__reserved = 0;
	EXPECT_EQ(0, ioctl(self->fd[0], UIOX_GET_REGION_INFO, &ri));
}

/*
 * A file opened O_RDONLY may ask, wait for interrupts and map regions
 * read-only; everything that changes the device needs a writable file.
 */
TEST_F(devices, read_only_file_asks_waits_and_maps_read_only)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	struct uiox_port_io p = { .argsz = sizeof(p), .index = 2, .width = 4 };
	struct uiox_irq_wait w = { .argsz = sizeof(w) };
	char bdf[64], buf[UIOX_ARGSZ_MAX];
	volatile uint32_t *bar;
	unsigned int i;
	int ro, vfd, e1000e;
	int32_t one = 1;

	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, 0, bdf,
			      sizeof(bdf)));
	ro = open(strcat(strcpy(buf, "/dev/uiox/"), bdf), O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, ro);
	EXPECT_EQ(0, ioctl(ro, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(-1, uio_read_count(ro));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, readable_within(ro, 0));
	EXPECT_EQ(-1, write(ro, &one, sizeof(one)));
	EXPECT_EQ(EBADF, errno);

	bar = mmap(NULL, 4096, PROT_READ, MAP_SHARED, ro, UIOX_REGION_OFFSET(0));
	ASSERT_NE(MAP_FAILED, bar);
	EXPECT_EQ(EDU_ID, bar[EDU_REG_ID / 4]);
	EXPECT_EQ(-1, mprotect((void *)bar, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	munmap((void *)bar, 4096);
	EXPECT_EQ(EACCES, try_mmap(ro, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
				   UIOX_REGION_OFFSET(0)));

	/* every ioctl that changes the device, with a valid argument */
	for (i = 0; i < ARRAY_SIZE(abi_calls); i++) {
		const struct abi_call *c = &abi_calls[i];
		int err;

		if (c->e1000e)
			continue;
		err = abi_make(ro, self->buf, c, c->size, NULL);
		if (c->needs_write) {
			EXPECT_EQ(EBADF, err) TH_LOG("%s", c->name);
		} else {
			EXPECT_NE(EBADF, err) TH_LOG("%s", c->name);
		}
	}

	/* its vector file is read-only too */
	vfd = uiox_vector_fd(ro, 0, UIOX_FD_CLOEXEC | UIOX_FD_NONBLOCK);
	ASSERT_LE(0, vfd);
	EXPECT_EQ(-1, uio_read_count(vfd));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, write(vfd, &one, sizeof(one)));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(vfd, UIOX_IRQ_UNMASK_WAIT, &w));
	EXPECT_EQ(EBADF, errno);
	close(vfd);
	close(ro);

	/* ports: read, not written */
	ASSERT_EQ(0, pci_find(E1000E_VENDOR, E1000E_DEVICE, ANY_BUS, 0, bdf,
			      sizeof(bdf)));
	e1000e = open(strcat(strcpy(buf, "/dev/uiox/"), bdf), O_RDONLY);
	ASSERT_LE(0, e1000e);
	EXPECT_EQ(0, ioctl(e1000e, UIOX_PORT_IO, &p));
	p.flags = UIOX_PORT_WRITE;
	EXPECT_EQ(-1, ioctl(e1000e, UIOX_PORT_IO, &p));
	EXPECT_EQ(EBADF, errno);
	close(e1000e);
}

/*
 * Root-only: the device's writable sysfs files, the module's parameters
 * and the node itself (0600).  Root opens each for writing (the control);
 * a child turned into nobody (uid and gid 65534, no groups) gets EACCES.
 */
TEST(non_root_cannot_write_sysfs_parameters_or_open_the_node)
{
	static const char * const params[] = {
		"irq_mode", "intx_masking", "dma_limit_mb", "allow_unsafe_dma",
	};
	char bdf[64], paths[8][128];
	int i, n = 0, fd;
	pid_t pid;

	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, ROOT_BUS, 0, bdf, sizeof(bdf)));
	snprintf(paths[n++], sizeof(paths[0]), "/sys/class/uiox/%s/irq_mode", bdf);
	for (i = 0; i < (int)ARRAY_SIZE(params); i++)
		snprintf(paths[n++], sizeof(paths[0]),
			 "/sys/module/uiox/parameters/%s", params[i]);
	snprintf(paths[n++], sizeof(paths[0]), "/dev/uiox/%s", bdf);
	for (i = 0; i < n; i++) {
		fd = open(paths[i], O_WRONLY);
		EXPECT_LE(0, fd) TH_LOG("root cannot open %s for writing", paths[i]);
		if (fd >= 0)
			close(fd);
	}

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(100);
		for (i = 0; i < n; i++) {
			fd = open(paths[i], O_WRONLY);
			if (fd >= 0 || errno != EACCES)
				_exit(1 + i);
		}
		fd = open(paths[n - 1], O_RDONLY);	/* the node: not even that */
		_exit(fd < 0 && errno == EACCES ? 0 : 1 + n);
	}
	i = exit_code(pid);
	EXPECT_EQ(0, i) {
		TH_LOG("as nobody: %s", i == 100 ? "cannot drop privileges" :
		       i >= 1 && i <= n ? paths[i - 1] : "the node opened read-only");
	}
}

TEST_HARNESS_MAIN
