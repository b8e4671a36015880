// SPDX-License-Identifier: GPL-2.0
/*
 * uiox mmap: regions are mapped page by page at fault time, never up front,
 * so that every page userspace can reach was inserted under memory_lock and
 * one unmap_mapping_range() on the device's address_space takes them all
 * back.  A fault after remove() finds the device gone and raises SIGBUS; a
 * fault during a reset waits for it and maps the page again.
 *
 * Cache modes: uncached by default, write-combining on request for a
 * prefetchable region.  While a region has user mappings, the stub keeps a
 * kernel mapping of it in the same mode ("pin"): on x86 that holds the PAT
 * memtype reservation which the user PTEs inherit at fault time, and which
 * makes a conflicting mode fail instead of silently aliasing.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/slab.h>

#include "uiox.h"

/* Take a mapping reference on a region in the given cache mode. */
static int uiox_region_pin(struct uiox_region *r, bool wc)
{
	if (r->maps) {
		if (r->wc != wc)
			return -EBUSY;
		r->maps++;
		return 0;
	}
	r->pin = wc ? ioremap_wc(r->start, r->size) : ioremap(r->start, r->size);
	if (!r->pin)
		return -EBUSY;	/* e.g. a conflicting memory type */
	r->wc = wc;
	r->maps = 1;
	return 0;
}

static void uiox_region_unpin(struct uiox_region *r)
{
	if (r->maps && !--r->maps) {
		iounmap(r->pin);
		r->pin = NULL;
	}
}

/*
 * The region a VMA maps.  A split or copied VMA keeps an offset inside the
 * region it was made for (regions are smaller than the page-offset field),
 * but the index is bounded anyway: NULL for none.
 */
static struct uiox_region *uiox_vma_region(struct vm_area_struct *vma)
{
	struct uiox_device *udev = vma->vm_private_data;
	unsigned long index = uiox_pgoff_index(vma->vm_pgoff);

	if (index >= udev->num_regions)
		return NULL;
	return &udev->regions[array_index_nospec(index, udev->num_regions)];
}

/* A VMA was copied (fork) or split: one more mapping of the region. */
static void uiox_vm_open(struct vm_area_struct *vma)
{
	struct uiox_device *udev = vma->vm_private_data;
	struct uiox_region *r;

	down_write(&udev->memory_lock);
	r = uiox_vma_region(vma);
	if (!udev->gone && r)
		r->maps++;
	up_write(&udev->memory_lock);
}

static void uiox_vm_close(struct vm_area_struct *vma)
{
	struct uiox_device *udev = vma->vm_private_data;
	struct uiox_region *r;

	down_write(&udev->memory_lock);
	r = uiox_vma_region(vma);
	if (!udev->gone && r)
		uiox_region_unpin(r);
	up_write(&udev->memory_lock);
}

static vm_fault_t uiox_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct uiox_device *udev = vma->vm_private_data;
	u64 off = uiox_pgoff_offset(vmf->pgoff);
	const struct uiox_region *r;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&udev->memory_lock);
	if (udev->gone)
		goto out_unlock;
	r = uiox_vma_region(vma);
	if (!r || off >= r->map_size)
		goto out_unlock;
	ret = vmf_insert_pfn(vma, vmf->address, PHYS_PFN(r->start + off));
out_unlock:
	up_read(&udev->memory_lock);
	return ret;
}

static const struct vm_operations_struct uiox_vm_ops = {
	.open = uiox_vm_open,
	.close = uiox_vm_close,
	.fault = uiox_vm_fault,
};

/*
 * May [off, off + len) of @r be mapped?  Not over the MSI-X table or PBA
 * unless the device's MSI is isolated (interrupt remapping): writing the
 * table aims its interrupts at any address.
 */
static bool uiox_region_range_allowed(struct uiox_device *udev,
				      const struct uiox_region *r, u64 off,
				      u64 len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r->msix); i++)
		if (off < r->msix[i].end && r->msix[i].start < off + len &&
		    !uiox_msi_isolated(udev->dev.parent))
			return false;
	return true;
}

/**
 * uiox_mmap() - set up a shared, non-executable region mapping
 * @filp:	an open device file
 * @vma:	the new mapping; vm_pgoff encodes UIOX_REGION_OFFSET(index),
 *		optionally UIOX_OFFSET_WC, and a page offset in the region;
 *		or a DMA buffer's offset (see uiox_dma_mmap())
 *
 * Return: 0, or the errno uapi/uiox.h gives for mmap() (negated).
 */
int uiox_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct uiox_file *uf = filp->private_data;
	struct uiox_device *udev = uf->udev;
	unsigned long index = uiox_pgoff_index(vma->vm_pgoff);
	u64 off = uiox_pgoff_offset(vma->vm_pgoff);
	bool wc = vma->vm_pgoff & UIOX_PGOFF_WC;
	u64 len = vma->vm_end - vma->vm_start;
	struct uiox_region *r;
	int ret;

	/* VM_MAYSHARE: a read-only file's shared mappings lack VM_SHARED */
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;

	down_write(&udev->memory_lock);
	if (udev->gone) {
		ret = -ENODEV;
		goto out_unlock;
	}
	ret = -EINVAL;
	if (index >= UIOX_DMA_FIRST_INDEX) {
		ret = uiox_dma_mmap(udev, vma, index - UIOX_DMA_FIRST_INDEX);
		goto out_unlock;
	}
	if (index >= udev->num_regions)
		goto out_unlock;
	r = &udev->regions[array_index_nospec(index, udev->num_regions)];
	if (!(r->flags & UIOX_REGION_MMAP) || off >= r->map_size ||
	    len > r->map_size - off)
		goto out_unlock;
	if (wc && !(r->flags & UIOX_REGION_PREFETCH))
		goto out_unlock;
	ret = -EPERM;
	if (!uiox_region_range_allowed(udev, r, off, len))
		goto out_unlock;
	ret = uiox_region_pin(r, wc);
	if (ret)
		goto out_unlock;

	vma->vm_private_data = udev;
	vma->vm_ops = &uiox_vm_ops;
	vma->vm_page_prot = wc ? pgprot_writecombine(vma->vm_page_prot) :
				 pgprot_noncached(vma->vm_page_prot);
	uiox_vm_flags_mod(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP,
			  VM_MAYEXEC);
out_unlock:
	up_write(&udev->memory_lock);
	return ret;
}

/**
 * uiox_revoke_mappings() - zap every user mapping of the device
 * @udev:	the device; caller holds memory_lock for writing
 *
 * Later accesses fault into uiox_vm_fault(), which decides what they get.
 */
void uiox_revoke_mappings(struct uiox_device *udev)
{
	lockdep_assert_held_write(&udev->memory_lock);
	unmap_mapping_range(udev->inode->i_mapping, 0, 0, true);
}

/**
 * uiox_release_pins() - drop the cache-mode pins of a device that is gone
 * @udev:	the device, marked gone, mappings revoked; memory_lock held
 *		for writing
 *
 * The VMAs may live on (their accesses raise SIGBUS), but the address
 * range may go to another device: its memory type must not stay claimed.
 */
void uiox_release_pins(struct uiox_device *udev)
{
	unsigned int i;

	lockdep_assert_held_write(&udev->memory_lock);
	for (i = 0; i < udev->num_regions; i++) {
		struct uiox_region *r = &udev->regions[i];

		if (r->pin)
			iounmap(r->pin);
		r->pin = NULL;
		r->maps = 0;
	}
}

/**
 * uiox_region_claim() - decide whether a memory region can be mapped
 * @r:		the region, with @start and @size set
 * @res:	the resource the bus glue holds for it (its parent is where
 *		the rest of the page is claimed)
 *
 * A page-aligned region of a page or more is mmap-able, up to the size the
 * mmap offset's page field can address (UIOX_OFFSET_WC: 512 GiB, beyond
 * which offsets would run into the write-combining bit and the index).  One
 * smaller than a page is mmap-able only if nothing else can ever live in
 * the rest of its page: that rest is claimed as a resource of our own
 * ("uiox page pad").
 */
void uiox_region_claim(struct uiox_region *r, struct resource *res)
{
	struct resource *pad;

	if (!PAGE_ALIGNED(r->start) || !res->parent ||
	    r->size >= UIOX_OFFSET_WC)
		return;
	if (r->size >= PAGE_SIZE) {
		r->map_size = r->size;
		r->flags |= UIOX_REGION_MMAP;
		return;
	}
	pad = kzalloc(sizeof(*pad), GFP_KERNEL);
	if (!pad)
		return;
	pad->name = "uiox page pad";
	pad->start = res->end + 1;
	pad->end = res->start + PAGE_SIZE - 1;
	pad->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
	if (request_resource(res->parent, pad)) {
		kfree(pad);
		return;		/* shared page: not mappable */
	}
	r->pad = pad;
	r->map_size = PAGE_SIZE;
	r->flags |= UIOX_REGION_MMAP;
}

/* Give back what uiox_region_claim() took. */
void uiox_region_unclaim(struct uiox_region *r)
{
	if (r->pad) {
		release_resource(r->pad);
		kfree(r->pad);
		r->pad = NULL;
	}
}
