// SPDX-License-Identifier: MIT
/*
 * The system calls that are plain user code in Magenta (its vDSO):
 * mx_cache_flush, mx_system_get_num_cpus, mx_system_get_physmem,
 * mx_system_get_version.
 *
 * Magenta's CPU count and memory size are constants fixed at boot; here
 * they are read once per process: the CPUs the system has (configured,
 * not only online: a CPU taken offline is still counted) and the usable
 * RAM (sysinfo(2): what is left once the kernel's boot reservations are
 * taken out, so somewhat below the size of the memory installed).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

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

static uint32_t mx_num_cpus;
static uint64_t mx_physmem;

uint32_t mx_system_get_num_cpus(void)
{
	uint32_t n = __atomic_load_n(&mx_num_cpus, __ATOMIC_RELAXED);
	long c;

	if (!n) {
		c = sysconf(_SC_NPROCESSORS_CONF);
		n = c > 0 ? (uint32_t)c : 1;
		__atomic_store_n(&mx_num_cpus, n, __ATOMIC_RELAXED);
	}
	return n;
}

uint64_t mx_system_get_physmem(void)
{
	uint64_t m = __atomic_load_n(&mx_physmem, __ATOMIC_RELAXED);
	struct sysinfo si;

	if (!m && sysinfo(&si) == 0) {
		m = (uint64_t)si.totalram * (si.mem_unit ? si.mem_unit : 1);
		__atomic_store_n(&mx_physmem, m, __ATOMIC_RELAXED);
	}
	return m;
}

/*
 * "mx <libmx version> on Linux <release>". As Magenta's, the buffer is
 * plain user memory: it is not checked.
 */
mx_status_t mx_system_get_version(char *version, uint32_t version_len)
{
	struct utsname u;
	char buf[32 + sizeof(u.release)];
	int n;

	if (uname(&u) != 0)
		strcpy(u.release, "unknown");
	n = snprintf(buf, sizeof(buf), "mx %d.%d.%d on Linux %s",
		     MX_VERSION_MAJOR, MX_VERSION_MINOR, MX_VERSION_PATCH,
		     u.release);
	if (n < 0 || (uint32_t)n >= version_len)
		return MX_ERR_BUFFER_TOO_SMALL;
	memcpy(version, buf, (size_t)n + 1);
	return MX_OK;
}
