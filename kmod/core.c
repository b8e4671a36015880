// SPDX-License-Identifier: GPL-2.0
/*
 * uiox core: the uiox class, the char device and its file operations.  Bus
 * glue (pci.c, platform.c) fills a struct uiox_device and hands it to
 * uiox_device_add(); remove() calls uiox_device_remove(), which revokes
 * userspace access at once and never waits for userspace to let go.  The
 * core never calls the glue by name: bus-specific ioctls go through
 * uiox_device.bus_ioctl.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/nospec.h>
#include <linux/poll.h>
#include <linux/pseudo_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uiox.h"

#define UIOX_MAX_DEVICES	BIT(MINORBITS)
#define UIOX_FS_MAGIC		0x75696f78	/* "uiox" */

static dev_t uiox_devt;
static DEFINE_IDA(uiox_minor_ida);
static struct vfsmount *uiox_mnt;

static char *uiox_devnode(UIOX_DEVNODE_DEV *dev, umode_t *mode)
{
	if (mode)
		*mode = 0600;
	return kasprintf(GFP_KERNEL, "uiox/%s", dev_name(dev));
}

static struct class uiox_class = {
	.name = "uiox",
	.devnode = uiox_devnode,
	.dev_groups = uiox_dev_groups,
};

/*
 * A private pseudo filesystem gives each device an inode of its own, so that
 * all mappings of the device, through whichever file or device node, share
 * one address_space that remove() can zap in one call.
 */
static int uiox_fs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, UIOX_FS_MAGIC) ? 0 : -ENOMEM;
}

/*
 * Never registered, so userspace cannot mount it; no .owner, or the
 * kernel-internal mount would pin the module forever.
 */
static struct file_system_type uiox_fs_type = {
	.name = "uiox",
	.init_fs_context = uiox_fs_init_fs_context,
	.kill_sb = kill_anon_super,
};

static long uiox_ioctl_device_info(struct uiox_device *udev, void __user *uarg)
{
	struct uiox_device_info info;
	u32 argsz;
	int ret;

	ret = uiox_copy_arg_in(&info, sizeof(info),
			       offsetofend(struct uiox_device_info, class_code),
			       uarg);
	if (ret)
		return ret;
	if (uiox_gone(udev))
		return -ENODEV;

	argsz = info.argsz;
	info = udev->info;
	info.argsz = argsz;
	uiox_irq_current(udev, &info.num_irqs);
	return uiox_copy_arg_out(uarg, &info, sizeof(info));
}

static long uiox_ioctl_region_info(struct uiox_device *udev, void __user *uarg)
{
	struct uiox_region_info info;
	const struct uiox_region *r;
	u32 index;
	int ret;

	ret = uiox_copy_arg_in(&info, sizeof(info),
			       offsetofend(struct uiox_region_info, offset),
			       uarg);
	if (ret)
		return ret;
	if (info.index >= udev->num_regions || info.__reserved)
		return -EINVAL;
	if (uiox_gone(udev))
		return -ENODEV;
	index = array_index_nospec(info.index, udev->num_regions);

	/* The table is fixed between probe and remove. */
	r = &udev->regions[index];
	info.flags = r->flags;
	info.__reserved = 0;
	info.size = r->size;
	info.offset = r->size ? UIOX_REGION_OFFSET(index) : 0;
	return uiox_copy_arg_out(uarg, &info, sizeof(info));
}

/*
 * What any open file may do: ask, and get a vector file of its own mode;
 * and what the bus glue handles itself (checking @writable as it must).
 */
static long uiox_ioctl_query(struct file *filp, unsigned int cmd,
			     void __user *uarg)
{
	struct uiox_file *uf = filp->private_data;
	struct uiox_device *udev = uf->udev;

	switch (cmd) {
	case UIOX_GET_DEVICE_INFO:
		return uiox_ioctl_device_info(udev, uarg);
	case UIOX_GET_REGION_INFO:
		return uiox_ioctl_region_info(udev, uarg);
	case UIOX_GET_IRQ_INFO:
		return uiox_ioctl_irq_info(udev, uarg);
	case UIOX_GET_VECTOR_FD:
		return uiox_ioctl_vector_fd(udev, uarg,
					    filp->f_mode & FMODE_WRITE);
	default:	/* the bus glue's: bus mastering, reset, port I/O */
		if (!udev->bus_ioctl)
			return -ENOTTY;
		return udev->bus_ioctl(uf, cmd, uarg, filp->f_mode & FMODE_WRITE);
	}
}

static long uiox_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct uiox_file *uf = filp->private_data;
	struct uiox_device *udev = uf->udev;
	void __user *uarg = (void __user *)arg;
	bool writable = filp->f_mode & FMODE_WRITE;

	switch (cmd) {
	case UIOX_SET_IRQ_MODE:
		return writable ? uiox_ioctl_irq_mode(udev, uarg) : -EBADF;
	case UIOX_SET_IRQ_MASK:
		return writable ? uiox_ioctl_irq_mask(udev, uarg) : -EBADF;
	case UIOX_IRQ_UNMASK_WAIT:
		return writable ? uiox_ioctl_unmask_wait(uf, uarg) : -EBADF;
	case UIOX_SET_DMA_MASK:
		return writable ? uiox_ioctl_dma_mask(udev, uarg) : -EBADF;
	case UIOX_DMA_ALLOC:
		return writable ? uiox_ioctl_dma_alloc(uf, uarg) : -EBADF;
	case UIOX_DMA_FREE:
		return writable ? uiox_ioctl_dma_free(uf, uarg) : -EBADF;
	default:
		return uiox_ioctl_query(filp, cmd, uarg);
	}
}

/* The UIO protocol on vector 0: see uapi/uiox.h. */
static ssize_t uiox_read(struct file *filp, char __user *buf, size_t count,
			 loff_t *ppos)
{
	return uiox_irq_read(filp->private_data, buf, count,
			     filp->f_flags & O_NONBLOCK);
}

static ssize_t uiox_write(struct file *filp, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	return uiox_irq_write(filp->private_data, buf, count);
}

static __poll_t uiox_poll(struct file *filp, poll_table *wait)
{
	return uiox_irq_poll(filp->private_data, filp, wait);
}

static int uiox_open(struct inode *inode, struct file *filp)
{
	struct uiox_device *udev = container_of(inode->i_cdev,
						struct uiox_device, cdev);
	struct uiox_file *uf;

	if (uiox_gone(udev))
		return -ENODEV;
	uf = kzalloc(sizeof(*uf), GFP_KERNEL);
	if (!uf)
		return -ENOMEM;
	get_device(&udev->dev);
	uf->udev = udev;
	uiox_irq_file_init(uf);
	atomic_inc(&udev->openers);

	filp->private_data = uf;
	filp->f_mapping = udev->inode->i_mapping;
	return 0;
}

static int uiox_release(struct inode *inode, struct file *filp)
{
	struct uiox_file *uf = filp->private_data;
	struct uiox_device *udev = uf->udev;

	uiox_dma_file_release(uf);
	atomic_dec(&udev->openers);
	kfree(uf);
	put_device(&udev->dev);
	return 0;
}

static const struct file_operations uiox_fops = {
	.owner = THIS_MODULE,
	.open = uiox_open,
	.release = uiox_release,
	.read = uiox_read,
	.write = uiox_write,
	.poll = uiox_poll,
	.unlocked_ioctl = uiox_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = uiox_mmap,
	.llseek = noop_llseek,
};

static void uiox_device_release(struct device *dev)
{
	struct uiox_device *udev = container_of(dev, struct uiox_device, dev);

	iput(udev->inode);
	put_device(udev->parent_ref);
	put_device(udev->bridge_ref);
	ida_free(&uiox_minor_ida, MINOR(dev->devt));
	lockdep_unregister_key(&udev->irq_key);
	lockdep_unregister_key(&udev->memory_key);
	kfree(udev);
}

/**
 * uiox_device_alloc() - allocate a device for the bus glue to fill
 * @parent:	the bus device (PCI function or platform device)
 * @name:	name of the node under /dev/uiox/ and /sys/class/uiox/
 *
 * Return: the device with one reference, or an ERR_PTR().
 */
struct uiox_device *uiox_device_alloc(struct device *parent, const char *name)
{
	struct uiox_device *udev;
	int minor, ret;

	udev = kzalloc(sizeof(*udev), GFP_KERNEL);
	if (!udev)
		return ERR_PTR(-ENOMEM);

	minor = ida_alloc_max(&uiox_minor_ida, UIOX_MAX_DEVICES - 1, GFP_KERNEL);
	if (minor < 0) {
		ret = minor;
		goto err_minor;
	}

	udev->inode = alloc_anon_inode(uiox_mnt->mnt_sb);
	if (IS_ERR(udev->inode)) {
		ret = PTR_ERR(udev->inode);
		goto err_inode;
	}

	lockdep_register_key(&udev->memory_key);
	lockdep_register_key(&udev->irq_key);
	init_rwsem(&udev->memory_lock);
	lockdep_set_class(&udev->memory_lock, &udev->memory_key);
	xa_init_flags(&udev->dma_bufs, XA_FLAGS_ALLOC);
	mutex_init(&udev->irq_lock);
	lockdep_set_class(&udev->irq_lock, &udev->irq_key);
	spin_lock_init(&udev->mask_lock);
	init_waitqueue_head(&udev->vec0_wait);
	uiox_irq_init(udev);
	atomic_set(&udev->openers, 0);
	udev->info.api_version = UIOX_API_VERSION;

	device_initialize(&udev->dev);
	udev->parent_ref = get_device(parent);
	udev->dev.class = &uiox_class;
	udev->dev.parent = parent;
	udev->dev.devt = MKDEV(MAJOR(uiox_devt), minor);
	udev->dev.release = uiox_device_release;
	cdev_init(&udev->cdev, &uiox_fops);
	udev->cdev.owner = THIS_MODULE;

	/* From here on, put_device() frees everything. */
	ret = dev_set_name(&udev->dev, "%s", name);
	if (ret) {
		put_device(&udev->dev);
		return ERR_PTR(ret);
	}
	return udev;

err_inode:
	ida_free(&uiox_minor_ida, minor);
err_minor:
	kfree(udev);
	return ERR_PTR(ret);
}

/**
 * uiox_device_add() - make a filled-in device visible to userspace
 * @udev:	device from uiox_device_alloc()
 *
 * Return: 0 or a negative errno.
 */
int uiox_device_add(struct uiox_device *udev)
{
	int ret;

	udev->info.num_regions = udev->num_regions;
	ret = cdev_device_add(&udev->cdev, &udev->dev);
	if (ret)	/* a file opened in between finds it gone */
		WRITE_ONCE(udev->gone, true);
	return ret;
}

/**
 * uiox_device_remove() - cut userspace off from the device, now
 * @udev:	device added with uiox_device_add()
 *
 * The whole unplug sequence: removes the node, marks the device gone, zaps
 * every user mapping (a later access faults with SIGBUS), frees the
 * interrupts and wakes every reader and poller (they see ENODEV,
 * POLLERR|POLLHUP), turns bus mastering off and frees the DMA buffers.
 * Open files stay valid until userspace closes them; this never waits for
 * that.  On return the bus glue may release the hardware.
 */
void uiox_device_remove(struct uiox_device *udev)
{
	cdev_device_del(&udev->cdev, &udev->dev);

	down_write(&udev->memory_lock);
	WRITE_ONCE(udev->gone, true);
	uiox_revoke_mappings(udev);
	uiox_release_pins(udev);
	up_write(&udev->memory_lock);

	uiox_irq_remove(udev);
	uiox_dma_remove(udev);
}

/**
 * uiox_device_put() - drop the bus glue's reference
 * @udev:	device from uiox_device_alloc()
 */
void uiox_device_put(struct uiox_device *udev)
{
	put_device(&udev->dev);
}

/**
 * uiox_core_init() - register the class, the char device region and the
 * private filesystem, for main.c
 *
 * Return: 0 or a negative errno (nothing left registered).
 */
int uiox_core_init(void)
{
	int ret;

	ret = class_register(&uiox_class);
	if (ret)
		return ret;

	ret = alloc_chrdev_region(&uiox_devt, 0, UIOX_MAX_DEVICES, "uiox");
	if (ret)
		goto err_chrdev;

	uiox_mnt = kern_mount(&uiox_fs_type);
	if (IS_ERR(uiox_mnt)) {
		ret = PTR_ERR(uiox_mnt);
		goto err_mount;
	}
	return 0;

err_mount:
	unregister_chrdev_region(uiox_devt, UIOX_MAX_DEVICES);
err_chrdev:
	class_unregister(&uiox_class);
	return ret;
}

/* Undo uiox_core_init(), once every device is gone. */
void uiox_core_exit(void)
{
	kern_unmount(uiox_mnt);
	unregister_chrdev_region(uiox_devt, UIOX_MAX_DEVICES);
	class_unregister(&uiox_class);
	ida_destroy(&uiox_minor_ida);
}
