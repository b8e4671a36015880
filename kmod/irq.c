// SPDX-License-Identifier: GPL-2.0
/*
 * uiox interrupts: the kernel acks and masks, userspace does the rest.
 *
 * A device is in one mode at a time (none, INTx, MSI, MSI-X) with a set of
 * vectors.  Each vector counts its events and wakes its waiters.  INTx is
 * level-triggered, so its handler masks it (PCI 2.3 INTx masking when the
 * device has it, disable_irq_nosync() otherwise) and userspace unmasks it
 * once it has serviced the device.  A platform device's interrupt is its
 * wired line, and is handled as INTx without 2.3 masking (mode "intx").
 * MSI and MSI-X are edge-triggered: the handler only counts; userspace may
 * still mask a vector.
 *
 * The device file speaks the UIO protocol for vector 0; UIOX_GET_VECTOR_FD
 * gives a file with the same protocol for any vector.  A set is replaced
 * whole on a mode change and killed on remove(); files of a dead set fail
 * with EBADFD, or ENODEV once the device is gone.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/moduleparam.h>
#include <linux/nospec.h>
#include <linux/pci.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uiox.h"

static const char * const uiox_irq_mode_names[] = {
	[UIOX_IRQ_NONE] = "none",
	[UIOX_IRQ_INTX] = "intx",
	[UIOX_IRQ_MSI] = "msi",
	[UIOX_IRQ_MSIX] = "msix",
};

const char *uiox_irq_mode_name(u32 mode)
{
	return mode < ARRAY_SIZE(uiox_irq_mode_names) ?
	       uiox_irq_mode_names[mode] : "?";
}

int uiox_irq_mode_parse(const char *s, u32 *mode)
{
	int i = sysfs_match_string(uiox_irq_mode_names, s);

	if (i < 0)
		return -EINVAL;
	*mode = i;
	return 0;
}

/* Module parameter: the mode a device gets at bind. */
static u32 uiox_default_mode = UIOX_IRQ_INTX;

static int uiox_param_mode_set(const char *val, const struct kernel_param *kp)
{
	u32 mode;
	int ret = uiox_irq_mode_parse(val, &mode);

	if (ret)
		return ret;
	WRITE_ONCE(uiox_default_mode, mode);
	return 0;
}

static int uiox_param_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  uiox_irq_mode_name(READ_ONCE(uiox_default_mode)));
}

static const struct kernel_param_ops uiox_param_mode_ops = {
	.set = uiox_param_mode_set,
	.get = uiox_param_mode_get,
};

module_param_cb(irq_mode, &uiox_param_mode_ops, NULL, 0644);
MODULE_PARM_DESC(irq_mode, "Interrupt mode at bind: none, intx (default), msi (1 vector) or msix (all vectors)");

static void uiox_irqset_release(struct kref *ref)
{
	struct uiox_irqset *set = container_of(ref, struct uiox_irqset, ref);

	put_device(&set->udev->dev);
	kvfree(set);
}

static void uiox_irqset_put(struct uiox_irqset *set)
{
	kref_put(&set->ref, uiox_irqset_release);
}

/* The current set, with a reference; NULL in UIOX_IRQ_NONE. */
static struct uiox_irqset *uiox_irqset_get(struct uiox_device *udev)
{
	struct uiox_irqset *set;

	mutex_lock(&udev->irq_lock);
	set = udev->irqset;
	if (set)
		kref_get(&set->ref);
	mutex_unlock(&udev->irq_lock);
	return set;
}

/* The set behind the device file's UIO protocol: ENODEV gone, EIO none. */
static struct uiox_irqset *uiox_irqset_get_vec0(struct uiox_device *udev)
{
	struct uiox_irqset *set = uiox_irqset_get(udev);

	if (!set)
		return ERR_PTR(uiox_gone(udev) ? -ENODEV : -EIO);
	return set;
}

/* The current UIOX_IRQ_* mode, and its vector count if @num_vectors. */
u32 uiox_irq_current(struct uiox_device *udev, u32 *num_vectors)
{
	u32 mode = UIOX_IRQ_NONE, n = 0;

	mutex_lock(&udev->irq_lock);
	if (udev->irqset) {
		mode = udev->irqset->mode;
		n = udev->irqset->num_vectors;
	}
	mutex_unlock(&udev->irq_lock);
	if (num_vectors)
		*num_vectors = n;
	return mode;
}

/* Vectors a mode gets unless asked: all for MSI-X, else one (none: 0). */
u32 uiox_irq_default_vectors(struct uiox_device *udev, u32 mode)
{
	return mode == UIOX_IRQ_MSIX ? udev->max_msix : mode != UIOX_IRQ_NONE;
}

/**
 * uiox_pci_command_set() - set or clear one bit of a PCI device's command
 * register
 * @udev:	a PCI device; caller holds irq_lock
 * @bit:	PCI_COMMAND_MASTER or PCI_COMMAND_INTX_DISABLE
 * @on:		set it, or clear it
 *
 * Every change uiox makes to the register goes through here (or happens
 * under irq_lock with no INTx handler installed: MSI enable and disable,
 * reset), so no read-modify-write loses another's bit - not even the
 * handler's, which masks INTx under mask_lock.
 */
void uiox_pci_command_set(struct uiox_device *udev, u16 bit, bool on)
{
	struct pci_dev *pdev = udev->pdev;
	unsigned long flags;

	lockdep_assert_held(&udev->irq_lock);
	spin_lock_irqsave(&udev->mask_lock, flags);
	if (bit == PCI_COMMAND_MASTER && on)
		pci_set_master(pdev);
	else if (bit == PCI_COMMAND_MASTER)
		pci_clear_master(pdev);
	else
		pci_intx(pdev, !on);
	spin_unlock_irqrestore(&udev->mask_lock, flags);
}

/*
 * A masked vector claims nothing: with PCI 2.3 masking its device is
 * quiet towards the line, and an interrupt that arrives anyway belongs to
 * a device sharing it (the status bit may still be set: it is ours, but
 * already counted); without 2.3 masking the line is off, and this one was
 * in flight when userspace masked it.  Level-triggered, it comes back on
 * unmask if the device still wants service.
 */
static bool uiox_intx_claim(struct uiox_vector *vec, int irq)
{
	struct uiox_irqset *set = vec->set;
	bool ours;

	spin_lock(&set->udev->mask_lock);
	ours = !vec->masked &&
	       (!set->intx_masking || pci_check_and_mask_intx(set->udev->pdev));
	if (ours && !set->intx_masking)
		disable_irq_nosync(irq);
	if (ours)
		vec->masked = true;
	spin_unlock(&set->udev->mask_lock);
	return ours;
}

static irqreturn_t uiox_irq_handler(int irq, void *data)
{
	struct uiox_vector *vec = data;
	struct uiox_irqset *set = vec->set;

	if (set->mode == UIOX_IRQ_INTX && !uiox_intx_claim(vec, irq))
		return IRQ_NONE;

	atomic_inc(&vec->count);
	wake_up_interruptible_all(&vec->wait);
	if (vec->index == 0)
		wake_up_interruptible_all(&set->udev->vec0_wait);
	return IRQ_HANDLED;
}

/* Mask or unmask a vector of the current set; caller holds irq_lock. */
static void uiox_vector_mask_locked(struct uiox_vector *vec, bool mask)
{
	struct uiox_irqset *set = vec->set;
	unsigned long flags;

	lockdep_assert_held(&set->udev->irq_lock);
	spin_lock_irqsave(&set->udev->mask_lock, flags);
	if (mask == vec->masked)
		goto out_unlock;
	if (set->mode == UIOX_IRQ_INTX && set->intx_masking)
		pci_intx(set->udev->pdev, !mask);
	else if (mask)
		disable_irq_nosync(vec->irq);
	else
		enable_irq(vec->irq);
	vec->masked = mask;
out_unlock:
	spin_unlock_irqrestore(&set->udev->mask_lock, flags);
}

/* Errno for a file whose set died: the device went, or the mode changed. */
static int uiox_dead_errno(struct uiox_irqset *set)
{
	return uiox_gone(set->udev) ? -ENODEV : -EBADFD;
}

/* Mask or unmask a vector unless its set is dead; takes irq_lock. */
static int uiox_vector_set_masked(struct uiox_vector *vec, bool mask)
{
	struct uiox_irqset *set = vec->set;
	int ret = 0;

	mutex_lock(&set->udev->irq_lock);
	if (READ_ONCE(set->dead))
		ret = uiox_dead_errno(set);
	else
		uiox_vector_mask_locked(vec, mask);
	mutex_unlock(&set->udev->irq_lock);
	return ret;
}

static bool uiox_vector_ready(struct uiox_vector *vec, u32 *seen)
{
	return atomic_read(&vec->count) != READ_ONCE(*seen) ||
	       READ_ONCE(vec->set->dead);
}

/*
 * Wait until the vector's count differs from *seen (then record and return
 * it in *count), the set dies, a signal comes, or the timeout runs out.
 */
static int uiox_vector_wait(struct uiox_vector *vec, wait_queue_head_t *wq,
			    u32 *seen, bool nonblock, long timeout, u32 *count)
{
	struct uiox_irqset *set = vec->set;
	u32 c;

	for (;;) {
		if (READ_ONCE(set->dead))
			return uiox_dead_errno(set);
		c = atomic_read(&vec->count);
		if (c != READ_ONCE(*seen)) {
			WRITE_ONCE(*seen, c);
			*count = c;
			return 0;
		}
		if (nonblock)
			return -EAGAIN;
		timeout = wait_event_interruptible_timeout(*wq,
							   uiox_vector_ready(vec, seen),
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

void uiox_irq_file_init(struct uiox_file *uf)
{
	struct uiox_irqset *set = uiox_irqset_get(uf->udev);

	if (!set)
		return;
	uf->seen = atomic_read(&set->vec[0].count);
	uf->seen_gen = set->gen;
	uiox_irqset_put(set);
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
				       uiox_file_seen(uf, set), nonblock,
				       MAX_SCHEDULE_TIMEOUT, &c);
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
	if (!set)
		return EPOLLERR;
	if (atomic_read(&set->vec[0].count) != *uiox_file_seen(uf, set))
		mask = EPOLLIN | EPOLLRDNORM;
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
			     u32 *seen, struct uiox_irq_wait *w,
			     void __user *uarg)
{
	long timeout;
	int ret;

	ret = uiox_timeout_jiffies(w->timeout_ms, &timeout);
	if (ret)
		return ret;
	ret = uiox_vector_set_masked(vec, false);
	if (!ret)
		ret = uiox_vector_wait(vec, wq, seen, false, timeout, &w->count);
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
			       uiox_file_seen(uf, set), &w, uarg);
	uiox_irqset_put(set);
	return ret;
}

/* Vector files: the UIO protocol for one vector of one set. */
struct uiox_vector_file {
	struct uiox_irqset *set;
	struct uiox_vector *vec;
	u32 seen;
};

static ssize_t uiox_vector_read(struct file *filp, char __user *buf,
				size_t count, loff_t *ppos)
{
	struct uiox_vector_file *vf = filp->private_data;
	u32 c;
	int ret;

	if (count != sizeof(s32))
		return -EINVAL;
	ret = uiox_vector_wait(vf->vec, &vf->vec->wait, &vf->seen,
			       filp->f_flags & O_NONBLOCK,
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
	return uiox_unmask_wait(vf->vec, &vf->vec->wait, &vf->seen, &w, uarg);
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

/*
 * Give back MSI/MSI-X vectors.  The PCI core leaves INTx disable alone
 * here while uiox is bound (see uiox_pci_probe()): enabling INTx on the
 * way out, as it otherwise would, lets a device that still holds its INTx
 * level up (edu does, after an ack in MSI mode) flood a shared line that
 * nobody claims it on - and a flood on the CPU doing this never lets it
 * get to disabling INTx again.
 */
static void uiox_msi_free(struct uiox_device *udev)
{
	pci_free_irq_vectors(udev->pdev);
	uiox_pci_command_set(udev, PCI_COMMAND_INTX_DISABLE, true);
}

/* Set up: request the Linux IRQs of a new set. */
static int uiox_irqset_request(struct uiox_irqset *set)
{
	struct pci_dev *pdev = set->udev->pdev;
	unsigned int i;
	int ret;

	if (set->mode == UIOX_IRQ_INTX) {
		struct uiox_vector *vec = &set->vec[0];

		/*
		 * Without INTx masking the line cannot be shared; if it is,
		 * fail quietly with -EBUSY (IRQF_PROBE_SHARED).
		 */
		set->intx_masking = set->udev->intx_maskable;
		/*
		 * INTx is disabled at the device while unhandled: with 2.3
		 * masking that is the vector's masked state, and it is lifted
		 * as an unmask, so that a handler that runs first (the line
		 * is shared) and masks cannot be overruled by the enable.
		 */
		vec->masked = set->intx_masking;
		ret = request_irq(set->udev->line_irq, uiox_irq_handler,
				  set->intx_masking ? IRQF_SHARED :
						      IRQF_PROBE_SHARED,
				  vec->name, vec);
		if (ret)
			return ret;
		vec->irq = set->udev->line_irq;
		if (set->intx_masking)
			uiox_vector_mask_locked(vec, false);
		else if (pdev)
			uiox_pci_command_set(set->udev, PCI_COMMAND_INTX_DISABLE,
					     false);
		return 0;
	}

	ret = pci_alloc_irq_vectors(pdev, set->num_vectors, set->num_vectors,
				    set->mode == UIOX_IRQ_MSI ? PCI_IRQ_MSI :
								PCI_IRQ_MSIX);
	if (ret < 0)
		goto err_intx;
	/* a device whose INTx disable bit also stops MSI: keep it clear */
	if (set->udev->msi_intx_quirk)
		uiox_pci_command_set(set->udev, PCI_COMMAND_INTX_DISABLE, false);
	for (i = 0; i < set->num_vectors; i++) {
		struct uiox_vector *vec = &set->vec[i];
		int irq = pci_irq_vector(pdev, i);

		ret = irq < 0 ? irq : request_irq(irq, uiox_irq_handler, 0,
						  vec->name, vec);
		if (ret)
			goto err_free;
		vec->irq = irq;
	}
	return 0;

err_free:
	while (i--) {
		free_irq(set->vec[i].irq, &set->vec[i]);
		set->vec[i].irq = 0;
	}
	uiox_msi_free(set->udev);
	return ret;

err_intx:
	/* a failed MSI setup may have enabled INTx again */
	uiox_pci_command_set(set->udev, PCI_COMMAND_INTX_DISABLE, true);
	return ret;
}

/*
 * Tear down: free the IRQs, leaving a PCI device's INTx disabled at the
 * device (where it has the 2.3 disable bit), so that a level it still
 * asserts cannot flood a shared line with nobody left to claim it.
 */
static void uiox_irqset_free_irqs(struct uiox_irqset *set)
{
	struct uiox_device *udev = set->udev;
	bool msi = set->mode == UIOX_IRQ_MSI || set->mode == UIOX_IRQ_MSIX;
	unsigned int i;

	if (udev->pdev && !msi)		/* before its handler goes */
		uiox_pci_command_set(udev, PCI_COMMAND_INTX_DISABLE, true);
	for (i = 0; i < set->num_vectors; i++)
		if (set->vec[i].irq)
			free_irq(set->vec[i].irq, &set->vec[i]);
	if (msi)
		uiox_msi_free(udev);
}

/* Kill the current set: no more events; wake everyone waiting on it. */
static void uiox_irqset_kill(struct uiox_device *udev)
{
	struct uiox_irqset *set = udev->irqset;
	unsigned int i;

	lockdep_assert_held(&udev->irq_lock);
	if (!set)
		return;
	uiox_irqset_free_irqs(set);
	WRITE_ONCE(set->dead, true);
	udev->irqset = NULL;
	for (i = 0; i < set->num_vectors; i++)
		wake_up_interruptible_all(&set->vec[i].wait);
	wake_up_interruptible_all(&udev->vec0_wait);
	uiox_irqset_put(set);
}

static struct uiox_irqset *uiox_irqset_alloc(struct uiox_device *udev,
					     u32 mode, unsigned int n)
{
	struct uiox_irqset *set;
	unsigned int i;

	/* MSI-X allows 2048 vectors: a large set, charged to the caller */
	set = kvzalloc(struct_size(set, vec, n), GFP_KERNEL_ACCOUNT);
	if (!set)
		return NULL;
	kref_init(&set->ref);
	get_device(&udev->dev);
	set->udev = udev;
	set->mode = mode;
	set->gen = ++udev->irq_gen;
	set->num_vectors = n;
	for (i = 0; i < n; i++) {
		struct uiox_vector *vec = &set->vec[i];

		vec->set = set;
		vec->index = i;
		init_waitqueue_head(&vec->wait);
		snprintf(vec->name, sizeof(vec->name), "uiox[%s]-%s%u",
			 dev_name(&udev->dev), uiox_irq_mode_name(mode), i);
	}
	return set;
}

static int uiox_irq_check_mode(struct uiox_device *udev, u32 mode, u32 n)
{
	switch (mode) {
	case UIOX_IRQ_NONE:
		return n == 0 ? 0 : -EINVAL;
	case UIOX_IRQ_INTX:
		if (!(udev->irq_caps & UIOX_IRQ_CAN_INTX))
			return -EOPNOTSUPP;
		return n == 1 ? 0 : -EINVAL;
	case UIOX_IRQ_MSI:
		if (!(udev->irq_caps & UIOX_IRQ_CAN_MSI))
			return -EOPNOTSUPP;
		return n >= 1 && n <= udev->max_msi ? 0 : -EINVAL;
	case UIOX_IRQ_MSIX:
		if (!(udev->irq_caps & UIOX_IRQ_CAN_MSIX))
			return -EOPNOTSUPP;
		return n >= 1 && n <= udev->max_msix ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/**
 * uiox_irq_set_mode() - replace the device's vectors
 * @udev:	the device
 * @mode:	UIOX_IRQ_*
 * @num_vectors:	vectors wanted (0 for UIOX_IRQ_NONE)
 *
 * Return: 0; -EINVAL or -EOPNOTSUPP for a mode or count the device cannot
 * do (the current set stays); -ENODEV once gone; else the error of setting
 * up the new vectors, in which case the device is left in UIOX_IRQ_NONE.
 */
int uiox_irq_set_mode(struct uiox_device *udev, u32 mode, u32 num_vectors)
{
	struct uiox_irqset *set;
	int ret;

	ret = uiox_irq_check_mode(udev, mode, num_vectors);
	if (ret)
		return ret;

	mutex_lock(&udev->irq_lock);
	if (uiox_gone(udev)) {
		ret = -ENODEV;
		goto out_unlock;
	}
	uiox_irqset_kill(udev);
	if (mode == UIOX_IRQ_NONE)
		goto out_unlock;

	set = uiox_irqset_alloc(udev, mode, num_vectors);
	if (!set) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = uiox_irqset_request(set);
	if (ret) {
		uiox_irqset_put(set);
		goto out_unlock;
	}
	udev->irqset = set;
out_unlock:
	mutex_unlock(&udev->irq_lock);
	return ret;
}

/**
 * uiox_irq_restore_intx() - make a PCI device's INTx disable bit agree
 * with the current set again, after a reset restored the command register
 * @udev:	the device; caller holds irq_lock
 *
 * INTx is enabled at the device only while an INTx handler is installed,
 * and, with PCI 2.3 masking, the vector is unmasked (or, on a device whose
 * INTx disable bit also stops MSI, while MSI or MSI-X is in use).
 */
void uiox_irq_restore_intx(struct uiox_device *udev)
{
	struct uiox_irqset *set = udev->irqset;
	bool enable;

	lockdep_assert_held(&udev->irq_lock);
	enable = set && set->mode == UIOX_IRQ_INTX &&
		 !(set->intx_masking && set->vec[0].masked);
	enable |= set && set->mode != UIOX_IRQ_INTX && udev->msi_intx_quirk;
	uiox_pci_command_set(udev, PCI_COMMAND_INTX_DISABLE, !enable);
}

/**
 * uiox_irq_probe() - set up the default interrupt mode (module parameter
 * irq_mode) of a new device
 * @udev:	the device, its @irq_caps, @line_irq, @intx_maskable,
 *		@max_msi and @max_msix filled in by the bus glue
 *
 * Falls back to the wired line (INTx) when the default is not available or
 * cannot be set up, then to none; a failure to set up interrupts does not
 * fail the bind.
 */
void uiox_irq_probe(struct uiox_device *udev)
{
	u32 mode = READ_ONCE(uiox_default_mode);
	int n, ret;

	n = uiox_irq_default_vectors(udev, mode);
	ret = uiox_irq_check_mode(udev, mode, n) ?:
	      uiox_irq_set_mode(udev, mode, n);
	if (ret && mode != UIOX_IRQ_INTX && mode != UIOX_IRQ_NONE &&
	    (udev->irq_caps & UIOX_IRQ_CAN_INTX)) {
		dev_info(&udev->dev, "no %s interrupts (%d): falling back to intx\n",
			 uiox_irq_mode_name(mode), ret);
		mode = UIOX_IRQ_INTX;
		ret = uiox_irq_set_mode(udev, mode, 1);
	}
	if (ret == -EOPNOTSUPP)
		return;		/* no such interrupt: mode none */
	if (ret == -EBUSY && mode == UIOX_IRQ_INTX && !udev->intx_maskable)
		dev_info(&udev->dev, "no interrupts: INTx line in use, and the device cannot mask INTx to share it\n");
	else if (ret)
		dev_info(&udev->dev, "no %s interrupts: %d\n",
			 uiox_irq_mode_name(mode), ret);
}

/**
 * uiox_irq_remove() - free the interrupts of a device that is gone
 * @udev:	the device, already marked gone
 *
 * Blocked readers and pollers wake up and see ENODEV / POLLERR|POLLHUP.
 */
void uiox_irq_remove(struct uiox_device *udev)
{
	mutex_lock(&udev->irq_lock);
	uiox_irqset_kill(udev);
	mutex_unlock(&udev->irq_lock);
	wake_up_interruptible_all(&udev->vec0_wait);
}

long uiox_ioctl_irq_info(struct uiox_device *udev, void __user *uarg)
{
	struct uiox_irq_info info;
	int ret;

	ret = uiox_copy_arg_in(&info, sizeof(info),
			       offsetofend(struct uiox_irq_info, max_msix),
			       uarg);
	if (ret)
		return ret;

	info.flags = udev->irq_caps |
		     (udev->intx_maskable ? UIOX_IRQ_INTX_MASKING : 0);
	info.mode = uiox_irq_current(udev, &info.num_vectors);
	info.max_msi = udev->max_msi;
	info.max_msix = udev->max_msix;

	if (uiox_gone(udev))
		return -ENODEV;
	return uiox_copy_arg_out(uarg, &info, sizeof(info));
}

long uiox_ioctl_irq_mode(struct uiox_device *udev, void __user *uarg)
{
	struct uiox_irq_mode req;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_irq_mode, num_vectors),
			       uarg);
	if (ret)
		return ret;
	return uiox_irq_set_mode(udev, req.mode, req.num_vectors);
}

long uiox_ioctl_irq_mask(struct uiox_device *udev, void __user *uarg)
{
	struct uiox_irq_mask req;
	struct uiox_irqset *set;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_irq_mask, masked), uarg);
	if (ret)
		return ret;
	if (req.masked > 1)
		return -EINVAL;

	mutex_lock(&udev->irq_lock);
	set = udev->irqset;
	if (uiox_gone(udev))
		ret = -ENODEV;
	else if (!set || req.vector >= set->num_vectors)
		ret = -EINVAL;
	else
		uiox_vector_mask_locked(&set->vec[array_index_nospec(req.vector, set->num_vectors)],
					req.masked);
	mutex_unlock(&udev->irq_lock);
	return ret;
}

/* "count0 count1 ...\n" for sysfs; empty line in UIOX_IRQ_NONE. */
int uiox_irq_counts(struct uiox_device *udev, char *buf, size_t len)
{
	struct uiox_irqset *set;
	unsigned int i;
	int n = 0;

	set = uiox_irqset_get(udev);
	for (i = 0; set && i < set->num_vectors; i++)
		n += scnprintf(buf + n, len - n, "%s%u", i ? " " : "",
			       atomic_read(&set->vec[i].count));
	n += scnprintf(buf + n, len - n, "\n");
	if (set)
		uiox_irqset_put(set);
	return n;
}
