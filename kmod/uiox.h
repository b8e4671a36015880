/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uiox internals shared by the stub's parts, top (calls down) to bottom:
 *   main.c   module init and exit
 *   pci.c    PCI binding, regions, port I/O, bus master, reset
 *   platform.c  device-tree (platform) binding and regions
 *   core.c   the class, the char device, ioctl dispatch
 *   mmap.c   fault-time mappings, cache modes, revocation
 *   irq.c    interrupt vectors: INTx/MSI/MSI-X sets, the handler, masking,
 *            modes, and the PCI command register
 *   irqfile.c  what userspace sees of them: the UIO protocol, UNMASK_WAIT,
 *            vector files
 *   dma.c    DMA buffers: allocation, fault-time mappings, freeing
 *   sysfs.c  /sys/class/uiox/<name>/ attributes
 *   uarg.c   ioctl argument copying (the argsz rules of uapi/uiox.h)
 *
 * Lock order (lockdep checks it from irq_lock down; the asserts in the code
 * name the holders):
 *   the device lock               (driver core: probe, remove, and every
 *                                  PCI reset, around reset_prepare/done;
 *                                  UIOX_RESET only tries it)
 *   -> uiox_pci_devices_lock      (pci.c: the bound PCI devices, for the
 *                                  IOMMU group notifier, which runs under
 *                                  another device's lock)
 *   -> uiox_device.irq_lock       (mutex: the current irqset, mode changes,
 *                                  masking, and every change uiox makes to
 *                                  a PCI device's command register: bus
 *                                  mastering, INTx disable, MSI enable,
 *                                  reset)
 *     -> uiox_device.memory_lock  (rwsem: gone, region cache modes,
 *                                  mapping counts, DMA buffers; faults
 *                                  take it shared, under mm->mmap_lock)
 *       -> mapping->i_mmap_rwsem  (taken inside unmap_mapping_range)
 *     -> uiox_device.mask_lock    (spinlock: the vectors' masked state and
 *                                  the command register's contents, against
 *                                  the interrupt handler)
 *
 * No user copy happens under irq_lock or memory_lock: a fault would take
 * mmap_lock, then some device's memory_lock, and a bus reset holds the
 * memory_lock of each device on the bus while it takes the next one's
 * irq_lock (every device has lock classes of its own).
 *
 * remove() never waits for userspace: it takes each lock only for as long
 * as the holders take (no lock is held across a sleep on userspace).
 *
 * struct pci_dev keeps msi_enabled, is_busmaster and block_cfg_access in
 * one word of bitfields; uiox writes the first two only under irq_lock,
 * and UIOX_RESET the third too.  A reset through sysfs writes it with no
 * lock of ours, racing a mode change made at that moment (so would it with
 * any driver that changes MSI outside the device lock).
 */
#ifndef UIOX_H
#define UIOX_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <uapi/uiox.h>

#include "compat.h"

#define UIOX_MAX_REGIONS	6	/* PCI BARs 0-5; platform: 6 resources */

/*
 * mmap offsets in pages: region index, then the WC bit, then the page.
 * DMA buffer <id> is mapped as region index UIOX_DMA_FIRST_INDEX + id.
 */
#define UIOX_PGOFF_INDEX_SHIFT	(UIOX_REGION_SHIFT - PAGE_SHIFT)
#define UIOX_PGOFF_WC		(UIOX_OFFSET_WC >> PAGE_SHIFT)
#define UIOX_PGOFF_PAGE_MASK	(UIOX_PGOFF_WC - 1)
#define UIOX_DMA_FIRST_INDEX	0x100
#define UIOX_DMA_MAX_BUFS	0x10000

static inline unsigned long uiox_pgoff_index(unsigned long pgoff)
{
	return pgoff >> UIOX_PGOFF_INDEX_SHIFT;
}

static inline u64 uiox_pgoff_offset(unsigned long pgoff)
{
	return (u64)(pgoff & UIOX_PGOFF_PAGE_MASK) << PAGE_SHIFT;
}

struct pci_dev;
struct resource;

/**
 * struct uiox_region - one region (a BAR, or a platform device's memory
 * resource) of a device, as userspace sees it
 * @start:	bus/physical address of the first byte
 * @size:	length in bytes, 0 for an unused index
 * @map_size:	how much of it mmap() may cover (@size, or a whole page for a
 *		sub-page BAR that has its page to itself)
 * @flags:	UIOX_REGION_* bits
 * @port:	for I/O regions: the mapped ports
 * @pad:	for a sub-page BAR: the rest of its page, claimed so that no
 *		other resource can ever land there
 * @maps:	number of user VMAs mapping the region (memory_lock)
 * @wc:	cache mode of those VMAs: write-combining, else uncached
 * @pin:	kernel mapping in that cache mode while @maps > 0; on x86 it
 *		holds the PAT memtype reservation that user PTEs inherit
 * @msix:	pages holding the MSI-X table and PBA, as [start, end) byte
 *		offsets in the region (empty: start == end); not mappable
 *		unless MSI is isolated
 */
struct uiox_region {
	resource_size_t start;
	resource_size_t size;
	resource_size_t map_size;
	u32 flags;
	void __iomem *port;
	struct resource *pad;
	unsigned int maps;
	bool wc;
	void __iomem *pin;
	struct {
		u64 start;
		u64 end;
	} msix[2];
};

struct uiox_device;
struct uiox_file;

/**
 * struct uiox_dma_buf - a DMA buffer lent to userspace
 * @ref:	held by the device's table while allocated, and by each VMA
 * @udev:	the device
 * @owner:	the file that allocated it: only it may UIOX_DMA_FREE it, and
 *		it is freed when that file closes
 * @id:		handle, and index in uiox_device.dma_bufs
 * @page:	first of its pages; NULL once freed (memory_lock)
 * @iova:	its address as the device sees it
 * @size:	bytes, a multiple of PAGE_SIZE
 * @mapped:	pages of our own mapped with dma_map_page() (behind an
 *		IOMMU), not from dma_alloc_pages()
 */
struct uiox_dma_buf {
	struct kref ref;
	struct uiox_device *udev;
	struct uiox_file *owner;
	u32 id;
	struct page *page;
	dma_addr_t iova;
	u64 size;
	bool mapped;
};

/**
 * struct uiox_vector - one interrupt vector
 * @set:	the irqset this vector belongs to
 * @index:	vector index, as userspace numbers it
 * @irq:	Linux IRQ number, 0 when not requested
 * @count:	cumulative number of events (wraps, like UIO's)
 * @masked:	masked by the handler (INTx) or by userspace (mask_lock)
 * @wait:	readers and pollers of this vector's files
 * @name:	name given to request_irq()
 */
struct uiox_vector {
	struct uiox_irqset *set;
	unsigned int index;
	unsigned int irq;
	atomic_t count;
	bool masked;
	wait_queue_head_t wait;
	char name[48];
};

/**
 * struct uiox_irqset - the vectors of one interrupt mode, while it lasts
 * @ref:	held by the device while current, and by each vector file
 * @udev:	the device (the set holds a reference on it)
 * @mode:	UIOX_IRQ_*
 * @gen:	generation number: a new set never reuses one
 * @dead:	freed: vectors no longer fire; their files fail with EBADFD
 *		(or ENODEV when the device is gone)
 * @intx_masking:	INTx is masked with PCI 2.3 masking, not disable_irq
 * @num_vectors:	entries in @vec
 * @vec:	the vectors
 */
struct uiox_irqset {
	struct kref ref;
	struct uiox_device *udev;
	u32 mode;
	u64 gen;
	bool dead;
	bool intx_masking;
	unsigned int num_vectors;
	struct uiox_vector vec[];
};

/**
 * struct uiox_device - one device bound to the stub
 * @dev:	class device /sys/class/uiox/<name>; its release frees this struct
 * @cdev:	the char device behind /dev/uiox/<name>; pins @dev while open
 * @inode:	private inode whose address_space holds every user mapping of
 *		the device's regions, whichever file they came from
 * @pdev:	the PCI function (NULL for platform devices); only used while
 *		!@gone, but valid as long as this struct (@parent_ref)
 * @parent_ref:	a reference on the bus device, dropped by @dev's release: a
 *		file that outlives remove() may still lock it (UIOX_RESET)
 * @bridge_ref:	likewise on a PCI device's upstream bridge, which a reset
 *		locks first (NULL on a root bus and for platform devices)
 * @bus_ioctl:	the bus glue's handler for the ioctls only its bus has
 *		(NULL: ENOTTY)
 * @memory_lock:	see the lock order above
 * @gone:	set once by remove(); from then on userspace cannot reach the
 *		hardware, and every call on an open file fails with ENODEV
 * @openers:	open files of the device node
 * @info:	identity reported by UIOX_GET_DEVICE_INFO (argsz unused)
 * @num_regions:	number of valid entries in @regions
 * @regions:	region table, filled by the bus glue before registration
 * @dma_bufs:	allocated DMA buffers by id: entered holding memory_lock
 *		shared (the xarray locks itself), taken out holding it for
 *		writing
 * @dma_bytes:	their total size (atomic: allocations add to it holding
 *		memory_lock shared)
 * @unsafe_dma_noted:	the kernel log has said (and the taint recorded)
 *		that this device's DMA is not confined by an IOMMU
 * @irq_lock:	see the lock order above
 * @mask_lock:	see the lock order above
 * @resetting:	a reset is saving and restoring the command register: the
 *		handler keeps off it (mask_lock)
 * @irqset:	current interrupt vectors, NULL in UIOX_IRQ_NONE
 * @irq_gen:	last irqset generation handed out
 * @irq_caps:	UIOX_IRQ_CAN_* bits
 * @line_irq:	Linux IRQ of the wired line (PCI INTx, or a platform
 *		device's first interrupt); 0 without one
 * @intx_maskable:	the device supports PCI 2.3 INTx masking and we use it
 * @msi_intx_quirk:	the device's INTx disable bit also stops its MSI
 *		(PCI_DEV_FLAGS_MSI_INTX_DISABLE_BUG before uiox bound)
 * @max_msi:	MSI vectors the device offers
 * @max_msix:	MSI-X vectors the device offers
 * @vec0_wait:	waiters on the device file (vector 0 of whichever set);
 *		lives as long as the device, so poll/epoll entries stay valid
 *		across mode changes
 * @errors:	errors the PCI core has reported on the device
 *		(error_detected); a waiter that has not seen the latest
 *		returns EIO once
 * @error_work:	wakes the vector files' waiters after an error, away from
 *		the AER thread (see uiox_irq_report_error())
 * @pci_node:	entry in pci.c's list of bound PCI devices
 * @irq_key:	lockdep class of this device's irq_lock: a bus reset holds
 *		those of every device on it
 * @memory_key:	lockdep class of this device's memory_lock, likewise
 */
struct uiox_device {
	struct device dev;
	struct cdev cdev;
	struct inode *inode;
	struct pci_dev *pdev;
	struct device *parent_ref;
	struct device *bridge_ref;
	long (*bus_ioctl)(struct uiox_file *uf, unsigned int cmd,
			  void __user *uarg, bool writable);

	struct rw_semaphore memory_lock;
	bool gone;
	atomic_t openers;
	struct uiox_device_info info;
	unsigned int num_regions;
	struct uiox_region regions[UIOX_MAX_REGIONS];
	struct xarray dma_bufs;
	atomic64_t dma_bytes;
	bool unsafe_dma_noted;

	struct mutex irq_lock;		/* see the lock order above */
	spinlock_t mask_lock;		/* see the lock order above */
	bool resetting;
	struct uiox_irqset *irqset;
	u64 irq_gen;
	u32 irq_caps;
	unsigned int line_irq;
	bool intx_maskable;
	bool msi_intx_quirk;
	u32 max_msi;
	u32 max_msix;
	wait_queue_head_t vec0_wait;
	atomic_t errors;
	struct work_struct error_work;
	struct list_head pci_node;
	struct lock_class_key irq_key;
	struct lock_class_key memory_key;
};

/**
 * struct uiox_file - one open file of the device node
 * @udev:	the device
 * @seen:	vector 0 event count last returned by read()
 * @seen_gen:	irqset generation @seen refers to
 * @errors_seen:	uiox_device.errors when this file last reported one
 * @unsafe_master:	this file turned bus mastering on by allow_unsafe_dma
 *		(irq_lock): it goes off when the file closes
 */
struct uiox_file {
	struct uiox_device *udev;
	u32 seen;
	u64 seen_gen;
	u32 errors_seen;
	bool unsafe_master;
};

static inline bool uiox_gone(struct uiox_device *udev)
{
	return READ_ONCE(udev->gone);
}

/* core.c */
int uiox_core_init(void);
void uiox_core_exit(void);
struct uiox_device *uiox_device_alloc(struct device *parent, const char *name);
int uiox_device_add(struct uiox_device *udev);
void uiox_device_remove(struct uiox_device *udev);
void uiox_device_put(struct uiox_device *udev);

/* mmap.c */
int uiox_mmap(struct file *filp, struct vm_area_struct *vma);
void uiox_revoke_mappings(struct uiox_device *udev);
void uiox_release_pins(struct uiox_device *udev);
void uiox_region_claim(struct uiox_region *r, struct resource *res);
void uiox_region_unclaim(struct uiox_region *r);

/* dma.c */
int uiox_dma_permit(struct uiox_device *udev, bool *unsafe);
void uiox_dma_neighbour_binding(struct uiox_device *udev,
				struct device *other);
ssize_t uiox_dma_describe(struct uiox_device *udev, char *buf);
int uiox_dma_mmap(struct uiox_device *udev, struct vm_area_struct *vma,
		  unsigned long id);
long uiox_ioctl_dma_mask(struct uiox_device *udev, void __user *uarg);
long uiox_ioctl_dma_alloc(struct uiox_file *uf, void __user *uarg);
long uiox_ioctl_dma_free(struct uiox_file *uf, void __user *uarg);
void uiox_dma_file_release(struct uiox_file *uf);
void uiox_dma_remove(struct uiox_device *udev);

/* irq.c */
struct uiox_irqset *uiox_irqset_get(struct uiox_device *udev);
void uiox_irqset_put(struct uiox_irqset *set);
int uiox_dead_errno(struct uiox_irqset *set);
int uiox_vector_set_masked(struct uiox_vector *vec, bool mask);
void uiox_pci_intx_disable(struct uiox_device *udev, bool disable);
void uiox_pci_bus_master(struct uiox_device *udev, bool on);
void uiox_irq_reset_prepare(struct uiox_device *udev);
void uiox_irq_reset_done(struct uiox_device *udev);
void uiox_irq_init(struct uiox_device *udev);
void uiox_irq_probe(struct uiox_device *udev);
int uiox_irq_set_mode(struct uiox_device *udev, u32 mode, u32 num_vectors);
void uiox_irq_remove(struct uiox_device *udev);
void uiox_irq_report_error(struct uiox_device *udev);
long uiox_ioctl_irq_info(struct uiox_device *udev, void __user *uarg);
long uiox_ioctl_irq_mode(struct uiox_device *udev, void __user *uarg);
long uiox_ioctl_irq_mask(struct uiox_device *udev, void __user *uarg);
u32 uiox_irq_current(struct uiox_device *udev, u32 *num_vectors);
u32 uiox_irq_default_vectors(struct uiox_device *udev, u32 mode);
const char *uiox_irq_mode_name(u32 mode);
int uiox_irq_mode_parse(const char *s, u32 *mode);
int uiox_irq_counts(struct uiox_device *udev, char *buf, size_t len);

/* irqfile.c */
void uiox_irq_file_init(struct uiox_file *uf);
ssize_t uiox_irq_read(struct uiox_file *uf, char __user *buf, size_t count,
		      bool nonblock);
ssize_t uiox_irq_write(struct uiox_file *uf, const char __user *buf,
		       size_t count);
__poll_t uiox_irq_poll(struct uiox_file *uf, struct file *filp,
		       poll_table *wait);
long uiox_ioctl_unmask_wait(struct uiox_file *uf, void __user *uarg);
long uiox_ioctl_vector_fd(struct uiox_device *udev, void __user *uarg,
			  bool writable);

/* pci.c */
int uiox_pci_init(void);
void uiox_pci_exit(void);

/* platform.c */
int uiox_platform_init(void);
void uiox_platform_exit(void);

/* sysfs.c */
extern const struct attribute_group *uiox_dev_groups[];

/* uarg.c */
int uiox_copy_arg_in(void *karg, size_t ksize, size_t minsz,
		     const void __user *uarg);
int uiox_copy_arg_out(void __user *uarg, const void *karg, size_t ksize);

#endif /* UIOX_H */
