// SPDX-License-Identifier: GPL-2.0
/*
 * uiox interrupts, the kernel side: the kernel acks and masks, userspace
 * does the rest (irqfile.c is what userspace sees of it).
 *
 * A device is in one mode at a time (none, INTx, MSI, MSI-X) with a set of
 * vectors.  Each vector counts its events and wakes its waiters.  INTx is
 * level-triggered, so its handler masks it (PCI 2.3 INTx masking when the
 * device has it, disable_irq_nosync() otherwise) and userspace unmasks it
 * once it has serviced the device.  A platform device's interrupt is its
 * wired line, and is handled as INTx without 2.3 masking (mode "intx").
 * MSI and MSI-X are edge-triggered: the handler only counts; userspace may
 * still mask a vector.  A set is replaced whole on a mode change and
 * killed on remove().  This file also owns every change uiox makes to a
 * PCI device's command register.
 */
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

void uiox_irqset_put(struct uiox_irqset *set)
{
	kref_put(&set->ref, uiox_irqset_release);
}

/* The current set, with a reference; NULL in UIOX_IRQ_NONE. */
struct uiox_irqset *uiox_irqset_get(struct uiox_device *udev)
{
	struct uiox_irqset *set;

	mutex_lock(&udev->irq_lock);
	set = udev->irqset;
	if (set)
		kref_get(&set->ref);
	mutex_unlock(&udev->irq_lock);
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

/*
 * The PCI command register.  Every change uiox makes to it goes through
 * the two helpers below, under irq_lock and mask_lock (or happens under
 * irq_lock with no INTx handler installed: MSI setup and teardown), so no
 * read-modify-write loses another's bit - not even the handler's, which
 * masks INTx under mask_lock.  A reset saves and restores the register:
 * it runs under irq_lock with the handler told to keep off (@resetting).
 */
static void uiox_pci_intx_disable_locked(struct uiox_device *udev,
					 bool disable)
{
	lockdep_assert_held(&udev->mask_lock);
	pci_intx(udev->pdev, !disable);
}

/**
 * uiox_pci_intx_disable() - set or clear a PCI device's INTx disable bit
 * @udev:	a PCI device; caller holds irq_lock
 * @disable:	set it (the device cannot assert INTx), or clear it
 */
void uiox_pci_intx_disable(struct uiox_device *udev, bool disable)
{
	unsigned long flags;

	lockdep_assert_held(&udev->irq_lock);
	spin_lock_irqsave(&udev->mask_lock, flags);
	uiox_pci_intx_disable_locked(udev, disable);
	spin_unlock_irqrestore(&udev->mask_lock, flags);
}

/**
 * uiox_pci_bus_master() - turn a PCI device's bus mastering on or off
 * @udev:	a PCI device; caller holds irq_lock
 * @on:		on, or off
 */
void uiox_pci_bus_master(struct uiox_device *udev, bool on)
{
	unsigned long flags;

	lockdep_assert_held(&udev->irq_lock);
	spin_lock_irqsave(&udev->mask_lock, flags);
	if (on)
		pci_set_master(udev->pdev);
	else
		pci_clear_master(udev->pdev);
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
	       (!set->intx_masking ||
		(!set->udev->resetting &&
		 pci_check_and_mask_intx(set->udev->pdev)));
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
		uiox_pci_intx_disable_locked(set->udev, mask);
	else if (mask)
		disable_irq_nosync(vec->irq);
	else
		enable_irq(vec->irq);
	vec->masked = mask;
out_unlock:
	spin_unlock_irqrestore(&set->udev->mask_lock, flags);
}

/* Errno for a file whose set died: the device went, or the mode changed. */
int uiox_dead_errno(struct uiox_irqset *set)
{
	return uiox_gone(set->udev) ? -ENODEV : -EBADFD;
}

/* Mask or unmask a vector unless its set is dead; takes irq_lock. */
int uiox_vector_set_masked(struct uiox_vector *vec, bool mask)
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

/*
 * Give back MSI/MSI-X vectors.  The PCI core leaves INTx disable alone
 * here while uiox is bound (see uiox_pci_quiesce()): enabling INTx on the
 * way out, as it otherwise would, lets a device that still holds its INTx
 * level up (edu does, after an ack in MSI mode) flood a shared line that
 * nobody claims it on - and a flood on the CPU doing this never lets it
 * get to disabling INTx again.
 */
static void uiox_msi_free(struct uiox_device *udev)
{
	pci_free_irq_vectors(udev->pdev);
	uiox_pci_intx_disable(udev, true);
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
			uiox_pci_intx_disable(set->udev, false);
		return 0;
	}

	ret = pci_alloc_irq_vectors(pdev, set->num_vectors, set->num_vectors,
				    set->mode == UIOX_IRQ_MSI ? PCI_IRQ_MSI :
								PCI_IRQ_MSIX);
	if (ret < 0)
		goto err_intx;
	/* a device whose INTx disable bit also stops MSI: keep it clear */
	if (set->udev->msi_intx_quirk)
		uiox_pci_intx_disable(set->udev, false);
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
	uiox_pci_intx_disable(set->udev, true);
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
		uiox_pci_intx_disable(udev, true);
	for (i = 0; i < set->num_vectors; i++)
		if (set->vec[i].irq)
			free_irq(set->vec[i].irq, &set->vec[i]);
	if (msi)
		uiox_msi_free(udev);
}

/* Wake everyone waiting on the set's vectors: the vector files' waiters. */
static void uiox_irqset_wake(struct uiox_irqset *set)
{
	unsigned int i;

	for (i = 0; i < set->num_vectors; i++)
		wake_up_interruptible_all(&set->vec[i].wait);
}

/* Kill the current set: no more events; wake everyone waiting on it. */
static void uiox_irqset_kill(struct uiox_device *udev)
{
	struct uiox_irqset *set = udev->irqset;

	lockdep_assert_held(&udev->irq_lock);
	if (!set)
		return;
	uiox_irqset_free_irqs(set);
	WRITE_ONCE(set->dead, true);
	udev->irqset = NULL;
	uiox_irqset_wake(set);
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
 * uiox_irq_reset_prepare() - quiet a PCI device's INTx for a reset
 * @udev:	the device; caller holds irq_lock, and calls
 *		uiox_irq_reset_done() after the reset
 *
 * The reset saves and restores the command register with no lock of ours:
 * until it is done the handler keeps off the device's config space (and
 * claims nothing), and INTx is disabled so the device cannot assert it
 * meanwhile.
 */
void uiox_irq_reset_prepare(struct uiox_device *udev)
{
	unsigned long flags;

	lockdep_assert_held(&udev->irq_lock);
	spin_lock_irqsave(&udev->mask_lock, flags);
	udev->resetting = true;
	uiox_pci_intx_disable_locked(udev, true);
	spin_unlock_irqrestore(&udev->mask_lock, flags);
}

/**
 * uiox_irq_reset_done() - make INTx disable agree with the vectors again
 * @udev:	the device; caller holds irq_lock
 *
 * INTx is enabled at the device only while an INTx handler is installed
 * and, with PCI 2.3 masking, the vector is unmasked (or, on a device whose
 * INTx disable bit also stops MSI, while MSI or MSI-X is in use).
 */
void uiox_irq_reset_done(struct uiox_device *udev)
{
	struct uiox_irqset *set = udev->irqset;
	unsigned long flags;
	bool enable;

	lockdep_assert_held(&udev->irq_lock);
	spin_lock_irqsave(&udev->mask_lock, flags);
	enable = set && set->mode == UIOX_IRQ_INTX &&
		 !(set->intx_masking && set->vec[0].masked);
	enable |= set && set->mode != UIOX_IRQ_INTX && udev->msi_intx_quirk;
	uiox_pci_intx_disable_locked(udev, !enable);
	udev->resetting = false;
	spin_unlock_irqrestore(&udev->mask_lock, flags);
}

/* Wake every vector file's waiters: they see the new error count. */
static void uiox_irq_error_work(struct work_struct *work)
{
	struct uiox_device *udev = container_of(work, struct uiox_device,
						error_work);
	struct uiox_irqset *set = uiox_irqset_get(udev);

	if (set) {
		uiox_irqset_wake(set);
		uiox_irqset_put(set);
	}
}

/**
 * uiox_irq_init() - initialise the interrupt state of a new device
 * @udev:	the device, just allocated
 */
void uiox_irq_init(struct uiox_device *udev)
{
	INIT_WORK(&udev->error_work, uiox_irq_error_work);
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
	cancel_work_sync(&udev->error_work);
}

/**
 * uiox_irq_report_error() - tell every waiter the PCI core found an error
 * @udev:	the device; the caller holds its device lock (error_detected)
 *
 * Each waiter of the device file, of a vector file and of
 * UIOX_IRQ_UNMASK_WAIT that has not seen this error returns EIO once.  The
 * vector files are woken from a work item, which keeps the AER/DPC thread
 * off irq_lock (a mode change may hold it for a while).
 */
void uiox_irq_report_error(struct uiox_device *udev)
{
	atomic_inc(&udev->errors);
	wake_up_interruptible_all(&udev->vec0_wait);
	schedule_work(&udev->error_work);
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
