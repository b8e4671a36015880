// SPDX-License-Identifier: GPL-2.0
/* Linux 6.11 made platform_driver.remove() return void. */
#include <linux/platform_device.h>

static void uiox_probe_remove(struct platform_device *pdev)
{
}

struct platform_driver uiox_probe_driver = {
	.remove = uiox_probe_remove,
};
