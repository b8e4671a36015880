// SPDX-License-Identifier: GPL-2.0
/*
 * uiox sysfs: /sys/class/uiox/<name>/
 *   online       1 while bound (read-only)
 *   openers      open files of the device node (read-only)
 *   regions      one line per region: index start size flags (read-only)
 *   irq_mode     none|intx|msi|msix; root may write "<mode> [vectors]"
 *   num_vectors  vectors in the current mode (read-only)
 *   irq_counts   event count per vector, space separated (read-only)
 *   dma_bytes    DMA memory userspace holds for the device (read-only)
 *   dma          whether bus mastering and DMA are allowed, and why:
 *                "iommu <domain type>", "unsafe: ..." or "denied: ...";
 *                "none" for a platform device (read-only; "unsafe" as
 *                root would get it)
 * Module-wide defaults live in /sys/module/uiox/parameters/.
 */
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "uiox.h"

static struct uiox_device *to_uiox(struct device *dev)
{
	return container_of(dev, struct uiox_device, dev);
}

static ssize_t online_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", !uiox_gone(to_uiox(dev)));
}
static DEVICE_ATTR_RO(online);

static ssize_t openers_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&to_uiox(dev)->openers));
}
static DEVICE_ATTR_RO(openers);

static ssize_t regions_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct uiox_device *udev = to_uiox(dev);
	unsigned int i;
	int n = 0;

	for (i = 0; i < udev->num_regions; i++) {
		const struct uiox_region *r = &udev->regions[i];

		if (!r->size)
			continue;
		n += sysfs_emit_at(buf, n, "%u 0x%016llx 0x%llx %s%s%s%s%s\n", i,
				   (unsigned long long)r->start,
				   (unsigned long long)r->size,
				   r->flags & UIOX_REGION_IO ? "io" : "mem",
				   r->flags & UIOX_REGION_MMAP ? ",mmap" : "",
				   r->flags & UIOX_REGION_PREFETCH ? ",prefetch" : "",
				   r->flags & UIOX_REGION_MEM64 ? ",64" : "",
				   r->flags & UIOX_REGION_MSIX ? ",msix" : "");
	}
	return n;
}
static DEVICE_ATTR_RO(regions);

static ssize_t irq_mode_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  uiox_irq_mode_name(uiox_irq_current(to_uiox(dev), NULL)));
}

/* "<mode> [vectors]"; vectors default to 1, or to all for msix. */
static ssize_t irq_mode_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct uiox_device *udev = to_uiox(dev);
	char name[8];
	u32 mode, n;
	int args, ret;

	args = sscanf(buf, "%7s %u", name, &n);
	if (args < 1 || uiox_irq_mode_parse(name, &mode))
		return -EINVAL;
	if (args < 2)
		n = uiox_irq_default_vectors(udev, mode);
	ret = uiox_irq_set_mode(udev, mode, n);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(irq_mode);

static ssize_t num_vectors_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	u32 n;

	uiox_irq_current(to_uiox(dev), &n);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(num_vectors);

static ssize_t irq_counts_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return uiox_irq_counts(to_uiox(dev), buf, PAGE_SIZE);
}
static DEVICE_ATTR_RO(irq_counts);

static ssize_t dma_bytes_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&to_uiox(dev)->dma_bytes));
}
static DEVICE_ATTR_RO(dma_bytes);

static ssize_t dma_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return uiox_dma_describe(to_uiox(dev), buf);
}
static DEVICE_ATTR_RO(dma);

static struct attribute *uiox_dev_attrs[] = {
	&dev_attr_online.attr,
	&dev_attr_openers.attr,
	&dev_attr_regions.attr,
	&dev_attr_irq_mode.attr,
	&dev_attr_num_vectors.attr,
	&dev_attr_irq_counts.attr,
	&dev_attr_dma_bytes.attr,
	&dev_attr_dma.attr,
	NULL,
};

static const struct attribute_group uiox_dev_group = {
	.attrs = uiox_dev_attrs,
};

const struct attribute_group *uiox_dev_groups[] = {
	&uiox_dev_group,
	NULL,
};
