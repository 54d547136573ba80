// SPDX-License-Identifier: GPL-2.0
/*
 * ioctls of the CPRNG and the system: mx_cprng_draw(),
 * mx_cprng_add_entropy(), and what libmx needs to know to read ticks.
 *
 * Locking (the order of all: docs/architecture.md): none; the kernel's
 * random number generator has its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#include <asm/tsc.h>
#endif

#include "ioctl.h"
#include "process.h"
#include "sys_handle.h"

/**
 * mx_ioc_cprng_draw() - MX_IOC_CPRNG_DRAW: mx_cprng_draw()
 * @p: the calling process
 * @uarg: struct mx_ioc_cprng
 *
 * The bytes come from the kernel's generator (get_random_bytes(), which
 * does not block once the generator is seeded at boot). The kernel's copy
 * is wiped.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (more than MX_CPRNG_DRAW_MAX_LEN
 * bytes, arguments unreadable, buffer or actual unwritable).
 */
long mx_ioc_cprng_draw(struct mx_process *p, void __user *uarg)
{
	u8 buf[MX_CPRNG_DRAW_MAX_LEN];
	struct mx_ioc_cprng a;
	int ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	if (a.len > MX_CPRNG_DRAW_MAX_LEN)
		return MX_ERR_INVALID_ARGS;
	get_random_bytes(buf, a.len);
	if (copy_to_user(u64_to_user_ptr(a.buffer), buf, a.len) ||
	    mx_sys_put_size(a.actual, a.len))
		ret = MX_ERR_INVALID_ARGS;
	memzero_explicit(buf, a.len);
	return ret;
}

/**
 * mx_ioc_cprng_add_entropy() - MX_IOC_CPRNG_ADD_ENTROPY:
 * mx_cprng_add_entropy()
 * @p: the calling process
 * @uarg: struct mx_ioc_cprng (@actual unused, 0)
 *
 * Mixes the bytes into the kernel's generator without crediting entropy
 * (add_device_randomness()), as a write to /dev/urandom does: anyone may.
 * Crediting (RNDADDENTROPY) would need CAP_SYS_ADMIN and is not done.
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (more than
 * MX_CPRNG_ADD_ENTROPY_MAX_LEN bytes, arguments or buffer unreadable,
 * @actual not 0).
 */
long mx_ioc_cprng_add_entropy(struct mx_process *p, void __user *uarg)
{
	u8 buf[MX_CPRNG_ADD_ENTROPY_MAX_LEN];
	struct mx_ioc_cprng a;
	int ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)) || a.actual)
		return MX_ERR_INVALID_ARGS;
	if (a.len > MX_CPRNG_ADD_ENTROPY_MAX_LEN)
		return MX_ERR_INVALID_ARGS;
	if (copy_from_user(buf, u64_to_user_ptr(a.buffer), a.len))
		ret = MX_ERR_INVALID_ARGS;
	else
		add_device_randomness(buf, a.len);
	memzero_explicit(buf, a.len);
	return ret;
}

/*
 * The TSC's rate in Hz when user mode may count ticks with it: constant
 * (not scaled with the clock), not stopped in deep idle, found in sync
 * across CPUs by the kernel, and calibrated. Else 0.
 */
static u64 mx_tsc_hz(void)
{
#ifdef CONFIG_X86
	if (boot_cpu_has(X86_FEATURE_TSC) &&
	    boot_cpu_has(X86_FEATURE_CONSTANT_TSC) &&
	    boot_cpu_has(X86_FEATURE_NONSTOP_TSC) &&
	    !check_tsc_unstable() && tsc_khz)
		return (u64)tsc_khz * 1000;
#endif
	return 0;
}

/**
 * mx_ioc_ticks_info() - MX_IOC_TICKS_INFO: how libmx reads ticks
 * @p: the calling process
 * @uarg: struct mx_ioc_ticks_info (out)
 *
 * Context: process context.
 * Return: MX_OK; MX_ERR_INVALID_ARGS (unwritable).
 */
long mx_ioc_ticks_info(struct mx_process *p, void __user *uarg)
{
	struct mx_ioc_ticks_info a = { .tsc_hz = mx_tsc_hz() };

	if (copy_to_user(uarg, &a, sizeof(a)))
		return MX_ERR_INVALID_ARGS;
	return 0;
}
