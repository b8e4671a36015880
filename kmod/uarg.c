// SPDX-License-Identifier: GPL-2.0
/*
 * uiox ioctl arguments: the extensible-struct rules of uapi/uiox.h, in one
 * place.  Every ioctl copies its argument in and out through these two.
 */
#include <linux/uaccess.h>

#include "uiox.h"

/**
 * uiox_copy_arg_in() - copy in an extensible ioctl struct
 * @karg:	kernel copy
 * @ksize:	sizeof(*karg): the struct as this kernel knows it
 * @minsz:	size of the struct's first (ABI 1.0) version
 * @uarg:	user pointer; starts with __u32 argsz
 *
 * A smaller argsz than @ksize leaves the rest of @karg zero; a larger one
 * is accepted only if the bytes this kernel does not know are all zero.
 *
 * Return: 0; -EFAULT; -EINVAL when argsz is below @minsz; -E2BIG when it
 * is above UIOX_ARGSZ_MAX, or when an unknown trailing byte is not zero.
 */
int uiox_copy_arg_in(void *karg, size_t ksize, size_t minsz,
		     const void __user *uarg)
{
	u32 argsz;
	int ret;

	if (get_user(argsz, (const u32 __user *)uarg))
		return -EFAULT;
	if (argsz < minsz)
		return -EINVAL;
	if (argsz > UIOX_ARGSZ_MAX)
		return -E2BIG;
	ret = copy_struct_from_user(karg, ksize, uarg, argsz);
	if (ret)
		return ret;
	*(u32 *)karg = argsz;	/* as first read, whatever userspace did since */
	return 0;
}

/**
 * uiox_copy_arg_out() - write back at most argsz bytes of an ioctl struct
 * @uarg:	user pointer
 * @karg:	kernel copy; its first u32 is the caller's argsz
 * @ksize:	sizeof(*karg)
 *
 * Return: 0 or -EFAULT.
 */
int uiox_copy_arg_out(void __user *uarg, const void *karg, size_t ksize)
{
	u32 argsz = *(const u32 *)karg;

	if (copy_to_user(uarg, karg, min_t(size_t, argsz, ksize)))
		return -EFAULT;
	return 0;
}
