/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every uiox ioctl, as uapi/uiox.h describes it: its struct's size, the
 * errors of its own, whether it needs a file opened for writing, and an
 * argument that does as little as the call can.  For the tests of the
 * ioctl rules (uiox_abi_test on the rig's devices, uiox_device_test on any
 * device) and the fuzzers (uiox_fuzz.h).  Include after uiox_test.h and
 * kselftest_harness.h.
 */
#ifndef UIOX_ABI_H
#define UIOX_ABI_H

/* Room for an argument of UIOX_ARGSZ_MAX bytes and a little more. */
#define ABI_BUF_SIZE	(UIOX_ARGSZ_MAX + 64)

/*
 * One ioctl.  @errnos: those of its own, besides the ones every ioctl has
 * (EFAULT, and EINVAL or E2BIG from argsz, flags and reserved fields);
 * @setup fills in the struct with the harmless argument.
 */
struct abi_call {
	const char *name;
	unsigned long cmd;
	size_t size;		/* sizeof(struct) as of ABI 1.0 */
	int errnos[6];
	int needs_write;	/* EBADF on a file opened O_RDONLY */
	int harmless;		/* with that argument, changes nothing anywhere */
	int e1000e;		/* (uiox_abi_test) made on the e1000e, not the edu */
	void (*setup)(void *arg);
};

static inline void abi_set_index0(void *arg)
{
	((struct uiox_region_info *)arg)->index = 0;
}

static inline void abi_set_intx(void *arg)
{
	struct uiox_irq_mode *m = arg;

	m->mode = UIOX_IRQ_INTX;
	m->num_vectors = 1;
}

static inline void abi_set_cloexec(void *arg)
{
	((struct uiox_vector_fd *)arg)->flags = UIOX_FD_CLOEXEC;
}

static inline void abi_set_port_io_bar(void *arg)
{
	struct uiox_port_io *p = arg;

	p->index = 2;		/* e1000e: IOADDR, read */
	p->width = 4;
}

static inline void abi_set_mask32(void *arg)
{
	((struct uiox_dma_mask *)arg)->bits = 32;
}

static inline void abi_set_page(void *arg)
{
	((struct uiox_dma_alloc *)arg)->size = 4096;
}

static inline void abi_set_no_such_buffer(void *arg)
{
	((struct uiox_dma_free *)arg)->id = 0xffff;
}

#define ABI_CALL(nm, st, ...) \
	{ .name = #nm, .cmd = UIOX_##nm, .size = sizeof(struct st), __VA_ARGS__ }

/* In ioctl number order. */
static const struct abi_call abi_calls[] = {
	ABI_CALL(GET_DEVICE_INFO, uiox_device_info, .harmless = 1),
	ABI_CALL(GET_REGION_INFO, uiox_region_info, .harmless = 1,
		 .setup = abi_set_index0),
	ABI_CALL(GET_IRQ_INFO, uiox_irq_info, .harmless = 1),
	ABI_CALL(SET_IRQ_MODE, uiox_irq_mode, .needs_write = 1,
		 .errnos = { EOPNOTSUPP, EBUSY, ENOSPC, ENOMEM }, .setup = abi_set_intx),
	ABI_CALL(SET_IRQ_MASK, uiox_irq_mask, .needs_write = 1),
	ABI_CALL(GET_VECTOR_FD, uiox_vector_fd, .errnos = { ENOMEM, EMFILE, ENFILE },
		 .setup = abi_set_cloexec),
	ABI_CALL(IRQ_UNMASK_WAIT, uiox_irq_wait, .needs_write = 1,
		 .errnos = { ETIMEDOUT, EINTR, EBADFD, EIO }),
	ABI_CALL(SET_BUS_MASTER, uiox_bus_master, .needs_write = 1,
		 .errnos = { EPERM, ENOTTY }),
	ABI_CALL(RESET, uiox_reset, .needs_write = 1, .errnos = { ENOTTY, EAGAIN }),
	ABI_CALL(PORT_IO, uiox_port_io, .errnos = { ENOTTY }, .e1000e = 1,
		 .setup = abi_set_port_io_bar),
	ABI_CALL(SET_DMA_MASK, uiox_dma_mask, .needs_write = 1, .errnos = { EIO, ENOTTY },
		 .setup = abi_set_mask32),
	ABI_CALL(DMA_ALLOC, uiox_dma_alloc, .needs_write = 1,
		 .errnos = { EPERM, ENOSPC, ENOMEM, EOPNOTSUPP, ENOTTY }, .setup = abi_set_page),
	ABI_CALL(DMA_FREE, uiox_dma_free, .needs_write = 1, .harmless = 1,
		 .errnos = { ENOENT, ENOTTY }, .setup = abi_set_no_such_buffer),
};

/* The entry of ioctl @cmd, or NULL for a number uiox does not know. */
static inline const struct abi_call *abi_lookup(unsigned long cmd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(abi_calls); i++)
		if (abi_calls[i].cmd == cmd)
			return &abi_calls[i];
	return NULL;
}

/*
 * Make @c on @fd with argsz @argsz and the bytes after the struct as @fill
 * left them (@buf: ABI_BUF_SIZE bytes); undo what a success did.  Returns
 * 0 or the errno.
 */
static inline int abi_make(int fd, unsigned char *buf, const struct abi_call *c,
			   uint32_t argsz,
			   void (*fill)(unsigned char *buf, size_t size))
{
	int ret, err;

	memset(buf, 0, ABI_BUF_SIZE);
	if (c->setup)
		c->setup(buf);
	if (fill)
		fill(buf, c->size);
	memcpy(buf, &argsz, sizeof(argsz));
	ret = ioctl(fd, c->cmd, buf);
	err = ret < 0 ? errno : 0;
	if (ret > 0 && c->cmd == UIOX_GET_VECTOR_FD)
		close(ret);
	if (ret == 0 && c->cmd == UIOX_DMA_ALLOC)
		uiox_dma_free(fd, ((struct uiox_dma_alloc *)buf)->id);
	return err;
}

/* A @fill for abi_make(): a byte past the struct set. */
static inline void abi_dirty_tail(unsigned char *buf, size_t size)
{
	buf[size + 7] = 1;
}

#endif /* UIOX_ABI_H */
