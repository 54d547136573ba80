// SPDX-License-Identifier: MIT
/*
 * The system calls that are plain user code in Magenta (its vDSO):
 * mx_cache_flush.
 */
#include <mx.h>

mx_status_t mx_cache_flush(const void *addr, size_t len, uint32_t options)
{
	(void)addr;
	(void)len;
	if (!options ||
	    (options & ~(MX_CACHE_FLUSH_INSN | MX_CACHE_FLUSH_DATA)))
		return MX_ERR_INVALID_ARGS;
#if defined(__x86_64__) || defined(__i386__)
	/* Coherent caches: nothing to clean or invalidate. */
	return MX_OK;
#else
	__builtin___clear_cache((char *)addr, (char *)addr + len);
	return MX_OK;
#endif
}
