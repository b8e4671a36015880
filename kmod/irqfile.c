// SPDX-License-Identifier: GPL-2.0
/*
 * uiox interrupts, the userspace side: what a process sees of the vectors
 * irq.c sets up.  The device file speaks the UIO protocol for vector 0 -
 * read() waits for an event and returns the count, write() masks and
 * unmasks, poll() - and follows mode changes; UIOX_GET_VECTOR_FD gives a
 * file with the same protocol for one vector of one set, which fails with
 * EBADFD once that set is replaced (ENODEV once the device is gone).
 * UIOX_IRQ_UNMASK_WAIT unmasks and waits in one call, on either file.  An
 * error the PCI core reports ends each file's next wait with EIO.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/jiffies.h>
#include <linux/nospec.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uiox.h"

/* Vector files: the UIO protocol for one vector of one set. */
struct uiox_vector_file {
	struct uiox_irqset *set;
	struct uiox_vector *vec;
	u32 seen;
	u32 errors_seen;
};

/* Has the PCI core reported an error this waiter has not seen? */
static bool uiox_error_unseen(struct uiox_device *udev, u32 *errors_seen)
{
	return atomic_read(&udev->errors) != READ_ONCE(*errors_seen);
}

/* Record the latest error as seen; true for the one waiter that did. */
static bool uiox_error_take(struct uiox_device *udev, u32 *errors_seen)
{
	u32 seen = READ_ONCE(*errors_seen);
	u32 now = atomic_read(&udev->errors);

	return now != seen && cmpxchg(errors_seen, seen, now) == seen;
}

static bool uiox_vector_ready(struct uiox_vector *vec, u32 *seen, u32 *errs)
{
	return atomic_read(&vec->count) != READ_ONCE(*seen) ||
	       READ_ONCE(vec->set->dead) ||
	       uiox_error_unseen(vec->set->udev, errs);
}

/*
 * Wait until the vector's count differs from *seen (then record and return
 * it in *count), the set dies, the PCI core reports an error not yet in
 * *errs (then record it and fail with EIO), a signal comes, or the timeout
 * runs out.
 */
static int uiox_vector_wait(struct uiox_vector *vec, wait_queue_head_t *wq,
			    u32 *seen, u32 *errs, bool nonblock, long timeout,
			    u32 *count)
{
	struct uiox_irqset *set = vec->set;
	u32 c;

	for (;;) {
		if (READ_ONCE(set->dead))
			return uiox_dead_errno(set);
		if (uiox_error_take(set->udev, errs))
			return -EIO;
		c = atomic_read(&vec->count);
		if (c != READ_ONCE(*seen)) {
			WRITE_ONCE(*seen, c);
			*count = c;
			return 0;
		}
		if (nonblock)
			return -EAGAIN;
		timeout = wait_event_interruptible_timeout(*wq,
							   uiox_vector_ready(vec, seen, errs),
							   timeout);
		if (timeout < 0)
			return timeout;
		if (!timeout)
			return -ETIMEDOUT;
	}
}

static int uiox_timeout_jiffies(s32 timeout_ms, long *timeout)
{
	if (timeout_ms < -1)
		return -EINVAL;
	*timeout = timeout_ms == -1 ? MAX_SCHEDULE_TIMEOUT :
		   (long)msecs_to_jiffies(timeout_ms);
	return 0;
}

/* The set behind the device file's UIO protocol: ENODEV gone, EIO none. */
static struct uiox_irqset *uiox_irqset_get_vec0(struct uiox_device *udev)
{
	struct uiox_irqset *set = uiox_irqset_get(udev);

	if (!set)
		return ERR_PTR(uiox_gone(udev) ? -ENODEV : -EIO);
	return set;
}

/* Device-file view of vector 0: a new set starts with everything unseen. */
static u32 *uiox_file_seen(struct uiox_file *uf, struct uiox_irqset *set)
{
	if (READ_ONCE(uf->seen_gen) != set->gen) {
		WRITE_ONCE(uf->seen, 0);
		WRITE_ONCE(uf->seen_gen, set->gen);
	}
	return &uf->seen;
}

static int uiox_read_count(u32 count, char __user *buf)
{
	return put_user(count, (u32 __user *)buf) ? -EFAULT : sizeof(s32);
}

static int uiox_get_mask_value(const char __user *buf, size_t count,
			       bool *mask)
{
	s32 v;

	if (count != sizeof(s32))
		return -EINVAL;
	if (get_user(v, (const s32 __user *)buf))
		return -EFAULT;
	if (v != 0 && v != 1)
		return -EINVAL;
	*mask = !v;
	return 0;
}

ssize_t uiox_irq_read(struct uiox_file *uf, char __user *buf, size_t count,
		      bool nonblock)
{
	struct uiox_device *udev = uf->udev;
	struct uiox_irqset *set;
	u32 c;
	int ret;

	if (count != sizeof(s32))
		return -EINVAL;
	/* The device file follows a mode change: wait on the new vector 0. */
	do {
		set = uiox_irqset_get_vec0(udev);
		if (IS_ERR(set))
			return PTR_ERR(set);
		ret = uiox_vector_wait(&set->vec[0], &udev->vec0_wait,
				       uiox_file_seen(uf, set), &uf->errors_seen,
				       nonblock, MAX_SCHEDULE_TIMEOUT, &c);
		uiox_irqset_put(set);
	} while (ret == -EBADFD);
	return ret ? ret : uiox_read_count(c, buf);
}

ssize_t uiox_irq_write(struct uiox_file *uf, const char __user *buf,
		       size_t count)
{
	struct uiox_device *udev = uf->udev;
	struct uiox_irqset *set;
	bool mask;
	int ret;

	ret = uiox_get_mask_value(buf, count, &mask);
	if (ret)
		return ret;
	set = uiox_irqset_get_vec0(udev);
	if (IS_ERR(set))
		return PTR_ERR(set);
	ret = uiox_vector_set_masked(&set->vec[0], mask);
	uiox_irqset_put(set);
	return ret ? ret : sizeof(s32);
}

__poll_t uiox_irq_poll(struct uiox_file *uf, struct file *filp,
		       poll_table *wait)
{
	struct uiox_device *udev = uf->udev;
	struct uiox_irqset *set;
	__poll_t mask = 0;

	poll_wait(filp, &udev->vec0_wait, wait);
	if (uiox_gone(udev))
		return EPOLLERR | EPOLLHUP;
	set = uiox_irqset_get(udev);
	if (!set || uiox_error_unseen(udev, &uf->errors_seen))
		mask = EPOLLERR;	/* read() fails */
	else if (atomic_read(&set->vec[0].count) != *uiox_file_seen(uf, set))
		mask = EPOLLIN | EPOLLRDNORM;
	if (set)
		uiox_irqset_put(set);
	return mask;
}

/*
 * UIOX_IRQ_UNMASK_WAIT on either file, once the argument is copied in:
 * unmask the vector, then wait like read() but for at most w->timeout_ms.
 * A signal ends the wait with EINTR, never a restart: a restarted call
 * would begin its timeout afresh, and a periodic signal would keep it from
 * ever timing out.
 */
static long uiox_unmask_wait(struct uiox_vector *vec, wait_queue_head_t *wq,
			     u32 *seen, u32 *errors_seen,
			     struct uiox_irq_wait *w, void __user *uarg)
{
	long timeout;
	int ret;

	ret = uiox_timeout_jiffies(w->timeout_ms, &timeout);
	if (ret)
		return ret;
	ret = uiox_vector_set_masked(vec, false);
	if (!ret)
		ret = uiox_vector_wait(vec, wq, seen, errors_seen, false,
				       timeout, &w->count);
	if (ret == -ERESTARTSYS)
		ret = -EINTR;
	return ret ? ret : uiox_copy_arg_out(uarg, w, sizeof(*w));
}

long uiox_ioctl_unmask_wait(struct uiox_file *uf, void __user *uarg)
{
	struct uiox_device *udev = uf->udev;
	struct uiox_irq_wait w;
	struct uiox_irqset *set;
	int ret;

	ret = uiox_copy_arg_in(&w, sizeof(w),
			       offsetofend(struct uiox_irq_wait, count), uarg);
	if (ret)
		return ret;
	if (w.vector != 0)
		return -EINVAL;		/* other vectors: use their files */

	set = uiox_irqset_get_vec0(udev);
	if (IS_ERR(set))
		return PTR_ERR(set);
	ret = uiox_unmask_wait(&set->vec[0], &udev->vec0_wait,
			       uiox_file_seen(uf, set), &uf->errors_seen, &w,
			       uarg);
	uiox_irqset_put(set);
	return ret;
}

static ssize_t uiox_vector_read(struct file *filp, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct uiox_vector_file *vf = filp->private_data;
	u32 c;
	int ret;

	if (count != sizeof(s32))
		return -EINVAL;
	ret = uiox_vector_wait(vf->vec, &vf->vec->wait, &vf->seen,
			       &vf->errors_seen, filp->f_flags & O_NONBLOCK,
			       MAX_SCHEDULE_TIMEOUT, &c);
	return ret ? ret : uiox_read_count(c, buf);
}

static ssize_t uiox_vector_write(struct file *filp, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct uiox_vector_file *vf = filp->private_data;
	bool mask;
	int ret;

	ret = uiox_get_mask_value(buf, count, &mask);
	if (!ret)
		ret = uiox_vector_set_masked(vf->vec, mask);
	return ret ? ret : sizeof(s32);
}

static __poll_t uiox_vector_poll(struct file *filp, poll_table *wait)
{
	struct uiox_vector_file *vf = filp->private_data;

	poll_wait(filp, &vf->vec->wait, wait);
	if (READ_ONCE(vf->set->dead))
		return EPOLLERR | EPOLLHUP;
	if (uiox_error_unseen(vf->set->udev, &vf->errors_seen))
		return EPOLLERR;	/* read() fails */
	if (atomic_read(&vf->vec->count) != READ_ONCE(vf->seen))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static long uiox_vector_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	struct uiox_vector_file *vf = filp->private_data;
	void __user *uarg = (void __user *)arg;
	struct uiox_irq_wait w;
	int ret;

	if (cmd != UIOX_IRQ_UNMASK_WAIT)
		return -ENOTTY;
	if (!(filp->f_mode & FMODE_WRITE))
		return -EBADF;		/* unmasking changes the device */
	ret = uiox_copy_arg_in(&w, sizeof(w),
			       offsetofend(struct uiox_irq_wait, count), uarg);
	if (ret)
		return ret;
	return uiox_unmask_wait(vf->vec, &vf->vec->wait, &vf->seen,
				&vf->errors_seen, &w, uarg);
}

static int uiox_vector_release(struct inode *inode, struct file *filp)
{
	struct uiox_vector_file *vf = filp->private_data;

	uiox_irqset_put(vf->set);
	kfree(vf);
	return 0;
}

static const struct file_operations uiox_vector_fops = {
	.owner = THIS_MODULE,
	.read = uiox_vector_read,
	.write = uiox_vector_write,
	.poll = uiox_vector_poll,
	.unlocked_ioctl = uiox_vector_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = uiox_vector_release,
	.llseek = noop_llseek,
};

void uiox_irq_file_init(struct uiox_file *uf)
{
	struct uiox_irqset *set = uiox_irqset_get(uf->udev);

	uf->errors_seen = atomic_read(&uf->udev->errors);
	if (!set)
		return;
	uf->seen = atomic_read(&set->vec[0].count);
	uf->seen_gen = set->gen;
	uiox_irqset_put(set);
}

/* The vector file is opened read-write, or read-only like its parent. */
long uiox_ioctl_vector_fd(struct uiox_device *udev, void __user *uarg,
			  bool writable)
{
	struct uiox_vector_file *vf;
	struct uiox_vector_fd req;
	struct uiox_irqset *set;
	int flags = writable ? O_RDWR : O_RDONLY;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_vector_fd, flags), uarg);
	if (ret)
		return ret;
	if (req.flags & ~(UIOX_FD_CLOEXEC | UIOX_FD_NONBLOCK))
		return -EINVAL;
	if (req.flags & UIOX_FD_CLOEXEC)
		flags |= O_CLOEXEC;
	if (req.flags & UIOX_FD_NONBLOCK)
		flags |= O_NONBLOCK;

	set = uiox_irqset_get(udev);
	if (!set)
		return uiox_gone(udev) ? -ENODEV : -EINVAL;
	if (req.vector >= set->num_vectors) {
		ret = -EINVAL;
		goto err_put;
	}
	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
	if (!vf) {
		ret = -ENOMEM;
		goto err_put;
	}
	vf->set = set;
	vf->vec = &set->vec[array_index_nospec(req.vector, set->num_vectors)];
	vf->seen = atomic_read(&vf->vec->count);
	vf->errors_seen = atomic_read(&udev->errors);

	/* On success the file owns vf and the set reference. */
	ret = anon_inode_getfd("uiox-vector", &uiox_vector_fops, vf, flags);
	if (ret < 0)
		goto err_free;
	return ret;

err_free:
	kfree(vf);
err_put:
	uiox_irqset_put(set);
	return ret;
}
