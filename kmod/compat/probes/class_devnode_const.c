// SPDX-License-Identifier: GPL-2.0
/* Linux 6.2 passes a const struct device to class->devnode(). */
#include <linux/device.h>

static char *uiox_probe_devnode(const struct device *dev, umode_t *mode)
{
	return NULL;
}

struct class uiox_probe_class = {
	.name = "uiox_probe",
	.devnode = uiox_probe_devnode,
};
