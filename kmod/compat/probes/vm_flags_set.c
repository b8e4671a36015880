// SPDX-License-Identifier: GPL-2.0
/* Linux 6.3 made vma->vm_flags read-only behind vm_flags_mod() and friends. */
#include <linux/mm.h>

void uiox_probe(struct vm_area_struct *vma);
void uiox_probe(struct vm_area_struct *vma)
{
	vm_flags_mod(vma, VM_IO, VM_MAYEXEC);
}
