// SPDX-License-Identifier: MIT
/*
 * VMARs of the calling process (docs/manual.md, "VMARs"): the check order
 * and errors of every call (reference/magenta-api-2.md §3), the VMAR
 * tests of Magenta's catalogue that apply to the calling process, and
 * the Linux side: what the program's own mmap() sees, a VMAR of another
 * process, a second user, bad out pointers, a destroy under a running
 * thread.
 */
#define _GNU_SOURCE
#include "mxtest.h"

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#define PG 4096UL
#define ROOT_BASE 0x1000000UL
#define ROOT_END 0x7ffffffff000UL

#define R MX_VM_FLAG_PERM_READ
#define W MX_VM_FLAG_PERM_WRITE
#define X MX_VM_FLAG_PERM_EXECUTE
#define CR MX_VM_FLAG_CAN_MAP_READ
#define CW MX_VM_FLAG_CAN_MAP_WRITE
#define CX MX_VM_FLAG_CAN_MAP_EXECUTE
#define CS MX_VM_FLAG_CAN_MAP_SPECIFIC
#define SPEC MX_VM_FLAG_SPECIFIC
#define OVER MX_VM_FLAG_SPECIFIC_OVERWRITE

static mx_handle_t root(void)
{
	mx_handle_t h = mx_vmar_root_self();

	ASSERT_NE(h, MX_HANDLE_INVALID);
	return h;
}

static mx_handle_t vmo(uint64_t size)
{
	mx_handle_t h;

	ASSERT_OK(mx_vmo_create(size, 0, &h));
	return h;
}

/* A sub-VMAR of the root with every CAN_MAP flag. */
static mx_handle_t region(size_t size, uintptr_t *addr)
{
	mx_handle_t h;

	ASSERT_OK(mx_vmar_allocate(root(), 0, size, CR | CW | CX | CS, &h,
				   addr));
	return h;
}

/*
 * Whether the byte at @addr can be read, without a signal: the kernel
 * copies it into a pipe (a user access that faults mapped VMO pages in,
 * which process_vm_readv() cannot do).
 */
static int readable(uintptr_t addr)
{
	int fds[2], ok;
	char c;

	ASSERT_EQ(pipe(fds), 0);
	ok = write(fds[1], (void *)addr, 1) == 1;
	if (ok)
		ASSERT_EQ(read(fds[0], &c, 1), 1);
	close(fds[0]);
	close(fds[1]);
	return ok;
}

static char peek(uintptr_t addr)
{
	return *(volatile char *)addr;
}

static void poke(uintptr_t addr, char c)
{
	*(volatile char *)addr = c;
}

/*
 * Whether a write of one byte at @addr faults with SIGSEGV, tried in a
 * child (a SIGBUS fails the case).
 */
static sigjmp_buf fault_jmp;

static void on_fault(int sig)
{
	siglongjmp(fault_jmp, sig);
}

static int write_faults(uintptr_t addr)
{
	int status, sig;
	pid_t pid = mxt_fork();

	if (pid == 0) {
		mxt_on_signal(SIGSEGV, on_fault);
		mxt_on_signal(SIGBUS, on_fault);
		sig = sigsetjmp(fault_jmp, 1);
		if (sig)
			_exit(sig == SIGSEGV ? 3 : 4);
		poke(addr, 1);
		_exit(0);
	}
	status = mxt_wait_child(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_NE(WEXITSTATUS(status), 4);
	return WEXITSTATUS(status) == 3;
}

TEST(root_self)
{
	mx_handle_t r = root();
	mx_info_handle_basic_t b = mxt_basic(r);
	mx_info_vmar_t i = mxt_vmar_info(r);

	ASSERT_EQ(b.type, MX_OBJ_TYPE_VMAR);
	ASSERT_EQ(b.rights, 0x1F);
	ASSERT_EQ(i.base, ROOT_BASE);
	ASSERT_EQ(i.len, ROOT_END - ROOT_BASE);
	/* The same handle again, while it is open. */
	ASSERT_EQ(mx_vmar_root_self(), r);
	ASSERT_OK(mx_handle_close(r));
	r = root();
	ASSERT_EQ(mxt_basic(r).koid, b.koid);
}

TEST(root_self_of_fork_child)
{
	uint64_t koid = mxt_basic(root()).koid;
	int status;
	pid_t pid = mxt_fork();

	if (pid == 0) {
		mx_handle_t r = mx_vmar_root_self();

		if (r == MX_HANDLE_INVALID || mxt_basic(r).koid == koid)
			_exit(1);
		_exit(0);
	}
	status = mxt_wait_child(pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(basic_allocate)
{
	mx_handle_t a, b;
	uintptr_t aa, ba;
	mx_info_vmar_t i;

	ASSERT_OK(mx_vmar_allocate(root(), 0, 512 * PG, CR | CW, &a, &aa));
	ASSERT_EQ(mxt_basic(a).rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_TRUE(aa >= ROOT_BASE && aa + 512 * PG <= ROOT_END);
	ASSERT_EQ(aa % PG, 0);
	ASSERT_OK(mx_vmar_allocate(a, 0, 16 * PG, CR, &b, &ba));
	ASSERT_EQ(mxt_basic(b).rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ);
	ASSERT_TRUE(ba >= aa && ba + 16 * PG <= aa + 512 * PG);
	i = mxt_vmar_info(b);
	ASSERT_EQ(i.base, ba);
	ASSERT_EQ(i.len, 16 * PG);
	/* Reserved in Linux's address space, not accessible. */
	ASSERT_TRUE(mxt_linux_mapped(aa));
	ASSERT_TRUE(!readable(aa));
	ASSERT_TRUE(!readable(ba));
	/* Closing handles changes nothing. */
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_TRUE(mxt_linux_mapped(aa));
}

TEST(allocate_oob)
{
	uintptr_t base, addr;
	mx_handle_t p = region(64 * PG, &base), c;

	ASSERT_STATUS(mx_vmar_allocate(p, 64 * PG, PG, SPEC, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(p, 63 * PG, 2 * PG, SPEC, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(p, SIZE_MAX & ~(PG - 1), PG, SPEC, &c,
				       &addr), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_vmar_allocate(p, 63 * PG, PG, SPEC, &c, &addr));
	ASSERT_EQ(addr, base + 63 * PG);
}

TEST(allocate_unsatisfiable)
{
	uintptr_t base, addr;
	mx_handle_t p = region(64 * PG, &base), c;

	ASSERT_STATUS(mx_vmar_allocate(p, 0, 65 * PG, 0, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_vmar_allocate(p, 0, 64 * PG, 0, &c, &addr));
	ASSERT_EQ(addr, base);
	ASSERT_STATUS(mx_vmar_allocate(p, 0, PG, 0, &c, &addr),
		      MX_ERR_NO_MEMORY);
}

TEST(allocate_check_order)
{
	mx_handle_t e = mxt_event(), r = root(), c, ro;
	uintptr_t addr;

	ASSERT_STATUS(mx_vmar_allocate(12345, 0, PG, 0, &c, &addr),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_allocate(e, 0, PG, 0, &c, &addr),
		      MX_ERR_WRONG_TYPE);
	ro = mxt_dup(r, MX_RIGHT_READ);
	/* Rights come first: before a bad flag. */
	ASSERT_STATUS(mx_vmar_allocate(ro, 0, PG, CW | (1u << 31), &c, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG, 1u << 31, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG, 1u << 11, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG, R, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG + 1, 0, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG, OVER, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG, MX_VM_FLAG_MAP_RANGE, &c,
				       &addr), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, 0, 0, &c, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(r, PG, PG, 0, &c, &addr),
		      MX_ERR_INVALID_ARGS);
}

TEST(map_in_compact)
{
	mx_handle_t c, v = vmo(PG);
	uintptr_t base, a1, a2, a3, lo, hi;
	int i;

	ASSERT_OK(mx_vmar_allocate(root(), 0, 1024 * PG,
				   CR | CW | MX_VM_FLAG_COMPACT, &c, &base));
	ASSERT_OK(mx_vmar_map(c, 0, v, 0, PG, R, &a1));
	ASSERT_OK(mx_vmar_map(c, 0, v, 0, PG, R | W, &a2));
	ASSERT_TRUE(a1 >= base && a1 + PG <= base + 1024 * PG);
	ASSERT_TRUE(a2 >= base && a2 + PG <= base + 1024 * PG);
	ASSERT_NE(a1, a2);
	/*
	 * Next to the others: 1 to 128 pages below the lowest or above the
	 * highest (the region has room for that on one side at least).
	 */
	lo = a1 < a2 ? a1 : a2;
	hi = (a1 > a2 ? a1 : a2) + PG;
	for (i = 0; i < 8; i++) {
		ASSERT_OK(mx_vmar_map(c, 0, v, 0, PG, R, &a3));
		ASSERT_TRUE(a3 >= base && a3 + PG <= base + 1024 * PG);
		if (a3 < lo) {
			ASSERT_TRUE(lo - (a3 + PG) >= PG &&
				    lo - (a3 + PG) <= 128 * PG);
			lo = a3;
		} else {
			ASSERT_TRUE(a3 >= hi + PG && a3 <= hi + 128 * PG);
			hi = a3 + PG;
		}
	}
	poke(a2, 7);
	ASSERT_EQ(peek(a1), 7);
}

TEST(nested_region_perms)
{
	mx_handle_t p, c, v = vmo(PG);
	uintptr_t base, addr;

	ASSERT_OK(mx_vmar_allocate(root(), 0, 64 * PG, CR, &p, &base));
	ASSERT_STATUS(mx_vmar_allocate(p, 0, PG, CR | CW, &c, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_allocate(p, 0, PG, CX, &c, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_map(p, 0, v, 0, PG, R | W, &addr),
		      MX_ERR_ACCESS_DENIED);
	/* SPECIFIC needs CAN_MAP_SPECIFIC, which is not inherited. */
	ASSERT_STATUS(mx_vmar_allocate(p, 0, PG, SPEC, &c, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_map(p, 0, v, 0, PG, R | SPEC, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_map(p, 0, v, 0, PG, R | OVER, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_vmar_allocate(p, 0, 8 * PG, CR | CS, &c, &addr));
	ASSERT_OK(mx_vmar_map(c, PG, v, 0, PG, R | SPEC, &addr));
	ASSERT_EQ(addr, mxt_vmar_info(c).base + PG);
	ASSERT_OK(mx_vmar_map(p, 0, v, 0, PG, R, &addr));
	ASSERT_EQ(peek(addr), 0);
}

TEST(rights_drop)
{
	mx_handle_t r = root(), v = vmo(PG), ro, c;
	uintptr_t addr;

	ro = mxt_dup(r, MX_RIGHT_READ);
	ASSERT_STATUS(mx_vmar_map(ro, 0, v, 0, PG, R | W, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_map(ro, 0, v, 0, PG, R | X, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_allocate(ro, 0, PG, CR | CW, &c, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_vmar_map(ro, 0, v, 0, PG, R, &addr));
	ASSERT_STATUS(mx_vmar_protect(ro, addr, PG, R | W),
		      MX_ERR_ACCESS_DENIED);
	/* The mapping made through @ro may not become writable at all. */
	ASSERT_STATUS(mx_vmar_protect(r, addr, PG, R | W),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_vmar_allocate(ro, 0, PG, CR, &c, &addr));
	ASSERT_EQ(mxt_basic(c).rights, MX_RIGHT_DUPLICATE |
		  MX_RIGHT_TRANSFER | MX_RIGHT_READ);
}

TEST(map_check_order)
{
	mx_handle_t r = root(), v = vmo(4 * PG), e = mxt_event(), nomap;
	uintptr_t addr;

	ASSERT_STATUS(mx_vmar_map(12345, 0, v, 0, PG, R, &addr),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_map(v, 0, v, 0, PG, R, &addr),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmar_map(r, 0, 12345, 0, PG, R, &addr),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_map(r, 0, r, 0, PG, R, &addr),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmar_map(r, 0, e, 0, PG, R, &addr),
		      MX_ERR_WRONG_TYPE);
	nomap = mxt_dup(v, MX_RIGHT_READ | MX_RIGHT_WRITE);
	ASSERT_STATUS(mx_vmar_map(r, 0, nomap, 0, PG, 1u << 31, &addr),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, 0, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, W, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, X, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R | CR, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R | (1u << 31), &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R | MX_VM_FLAG_COMPACT,
				  &addr), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R | CS, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 1, PG, R, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, UINT64_MAX & ~(PG - 1), 2 * PG, R,
				  &addr), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, 0, R, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, SIZE_MAX, R, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, PG, v, 0, PG, R, &addr),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, 1, v, 0, PG, R | SPEC, &addr),
		      MX_ERR_INVALID_ARGS);
	/* MAP_RANGE is accepted. */
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R | MX_VM_FLAG_MAP_RANGE,
			      &addr));
}

TEST(vmo_map)
{
	mx_handle_t r = root(), v = vmo(4 * PG);
	uintptr_t a1, a2, a3;
	size_t actual;
	char buf[8];

	ASSERT_OK(mx_vmar_map(r, 0, v, 0, 4 * PG, R, &a1));
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, 4 * PG, R, &a2));
	ASSERT_NE(a1, a2);
	ASSERT_STATUS(mx_vmar_map(r, UINTPTR_MAX, v, 0, 4 * PG, R | SPEC,
				  &a3), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_vmo_write(v, "vmo", PG + 5, 3, &actual));
	ASSERT_EQ(memcmp((char *)a1 + PG + 5, "vmo", 3), 0);
	ASSERT_EQ(memcmp((char *)a2 + PG + 5, "vmo", 3), 0);
	/* Through a writable mapping, seen by the other and by read. */
	ASSERT_OK(mx_vmar_map(r, 0, v, PG, 2 * PG, R | W, &a3));
	memcpy((char *)a3 + 100, "mapped", 6);
	ASSERT_EQ(memcmp((char *)a1 + PG + 100, "mapped", 6), 0);
	ASSERT_OK(mx_vmo_read(v, buf, PG + 100, 6, &actual));
	ASSERT_EQ(memcmp(buf, "mapped", 6), 0);
	/* A mapping keeps its VMO. */
	ASSERT_OK(mx_handle_close(v));
	ASSERT_EQ(memcmp((char *)a2 + PG + 100, "mapped", 6), 0);
	ASSERT_OK(mx_vmar_unmap(r, a1, 4 * PG));
	ASSERT_OK(mx_vmar_unmap(r, a2, 4 * PG));
	ASSERT_TRUE(!readable(a1));
	ASSERT_EQ(memcmp((char *)a3 + 100, "mapped", 6), 0);
}

TEST(vmo_read_only_map)
{
	mx_handle_t r = root(), v = vmo(PG);
	uintptr_t a;
	size_t actual;

	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R, &a));
	ASSERT_EQ(peek(a), 0);
	ASSERT_TRUE(write_faults(a));
	/* The kernel cannot write into it either. */
	ASSERT_STATUS(mx_vmo_read(v, (void *)a, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
}

TEST(execute_mapping)
{
	mx_handle_t r = root(), v = vmo(PG), nox;
	uintptr_t a;

	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R | X, &a));
	ASSERT_EQ(peek(a), 0);
	nox = mxt_dup(v, MX_RIGHT_READ | MX_RIGHT_MAP);
	ASSERT_STATUS(mx_vmar_map(r, 0, nox, 0, PG, R | X, &a),
		      MX_ERR_ACCESS_DENIED);
}

TEST(unaligned_len_map)
{
	mx_handle_t r = root(), v = vmo(4 * PG);
	uintptr_t a;

	ASSERT_OK(mx_vmar_map(r, 0, v, 0, 4 * PG - 1, R | W, &a));
	poke(a + 4 * PG - 1, 9);
	ASSERT_EQ(peek(a + 4 * PG - 1), 9);
	ASSERT_OK(mx_vmar_unmap(r, a, 4 * PG));
	ASSERT_TRUE(!readable(a + 3 * PG));
}

TEST(overmapping)
{
	uintptr_t base, a;
	mx_handle_t p = region(64 * PG, &base), v = vmo(16 * PG), c;

	ASSERT_OK(mx_vmar_map(p, 8 * PG, v, 0, 4 * PG, R | SPEC, &a));
	ASSERT_OK(mx_vmar_allocate(p, 32 * PG, 4 * PG, SPEC, &c, &a));
	/* Full, partial and larger, over a mapping and over a region. */
	ASSERT_STATUS(mx_vmar_map(p, 8 * PG, v, 0, 4 * PG, R | SPEC, &a),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_map(p, 10 * PG, v, 0, 4 * PG, R | SPEC, &a),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_map(p, 6 * PG, v, 0, 8 * PG, R | SPEC, &a),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_map(p, 32 * PG, v, 0, 4 * PG, R | SPEC, &a),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_map(p, 30 * PG, v, 0, 4 * PG, R | SPEC, &a),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_allocate(p, 8 * PG, 4 * PG, SPEC, &c, &a),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_allocate(p, 11 * PG, PG, SPEC, &c, &a),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_allocate(p, 28 * PG, 8 * PG, SPEC, &c, &a),
		      MX_ERR_NO_MEMORY);
	ASSERT_OK(mx_vmar_map(p, 12 * PG, v, 0, 4 * PG, R | SPEC, &a));
}

TEST(root_never_replaces_linux_mappings)
{
	mx_handle_t r = root(), v = vmo(PG), c;
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t a;

	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_TRUE((uintptr_t)p >= ROOT_BASE);
	p[0] = 42;
	ASSERT_STATUS(mx_vmar_map(r, (uintptr_t)p - ROOT_BASE, v, 0, PG,
				  R | SPEC, &a), MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_map(r, (uintptr_t)p - ROOT_BASE, v, 0, PG,
				  R | OVER, &a), MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_allocate(r, (uintptr_t)p - ROOT_BASE, PG, SPEC,
				       &c, &a), MX_ERR_NO_MEMORY);
	ASSERT_EQ(p[0], 42);
	/* Unmapping over it in the root leaves it alone too. */
	ASSERT_OK(mx_vmar_unmap(r, (uintptr_t)p, PG));
	ASSERT_EQ(p[0], 42);
}

TEST(root_overwrite_and_unmap_beside_linux)
{
	mx_handle_t r = root(), v1 = vmo(PG), v2 = vmo(PG);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t x = (uintptr_t)p, a;
	size_t actual;

	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_EQ(munmap(p + PG, 2 * PG), 0);
	p[0] = 42;
	ASSERT_OK(mx_vmo_write(v1, "1", 0, 1, &actual));
	ASSERT_OK(mx_vmo_write(v2, "2", 0, 1, &actual));
	/* Right after the Linux page, then replaced there. */
	ASSERT_OK(mx_vmar_map(r, x + PG - ROOT_BASE, v1, 0, PG, R | SPEC, &a));
	ASSERT_EQ(a, x + PG);
	ASSERT_EQ(peek(a), '1');
	ASSERT_OK(mx_vmar_map(r, x + PG - ROOT_BASE, v2, 0, PG, R | OVER, &a));
	ASSERT_EQ(peek(x + PG), '2');
	/* Unmapping both pages takes the VMAR's only. */
	ASSERT_OK(mx_vmar_unmap(r, x, 2 * PG));
	ASSERT_TRUE(!readable(x + PG));
	ASSERT_EQ(p[0], 42);
	ASSERT_OK(mx_vmar_map(r, x + PG - ROOT_BASE, v1, 0, PG, R | SPEC, &a));
	ASSERT_OK(mx_vmar_protect(r, x + PG, PG, R));
	ASSERT_STATUS(mx_vmar_protect(r, x, 2 * PG, R), MX_ERR_NOT_FOUND);
	ASSERT_EQ(p[0], 42);
}

TEST(plain_mmap_never_lands_in_a_region)
{
	uintptr_t base;
	size_t size = 1UL << 30;
	mx_handle_t p;
	int i;

	ASSERT_OK(mx_vmar_allocate(root(), 0, size, CR | CW, &p, &base));
	for (i = 0; i < 64; i++) {
		size_t len = (size_t)(i % 8 + 1) * 64 * PG;
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ASSERT_TRUE(m != MAP_FAILED);
		ASSERT_TRUE((uintptr_t)m + len <= base ||
			    (uintptr_t)m >= base + size);
		/* A hint inside the region is not taken either. */
		m = mmap((void *)(base + (size_t)i * 16 * PG), PG, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_TRUE(m != MAP_FAILED);
		ASSERT_TRUE((uintptr_t)m + PG <= base ||
			    (uintptr_t)m >= base + size);
	}
}

TEST(map_specific_overwrite)
{
	uintptr_t base, a;
	mx_handle_t p = region(64 * PG, &base), v1 = vmo(8 * PG),
		    v2 = vmo(8 * PG), c;
	size_t actual;

	ASSERT_OK(mx_vmo_write(v1, "1111", 0, 4, &actual));
	ASSERT_OK(mx_vmo_write(v2, "2222", 0, 4, &actual));
	ASSERT_OK(mx_vmo_write(v1, "1111", 2 * PG, 4, &actual));
	ASSERT_OK(mx_vmar_map(p, 0, v1, 0, 4 * PG, R | SPEC, &a));
	ASSERT_STATUS(mx_vmar_map(p, 0, v2, 0, 4 * PG, R | SPEC, &a),
		      MX_ERR_NO_MEMORY);
	/* Whole. */
	ASSERT_OK(mx_vmar_map(p, 0, v2, 0, 4 * PG, R | OVER, &a));
	ASSERT_EQ(a, base);
	ASSERT_EQ(peek(base), '2');
	/* Middle: the rest stays v2's. */
	ASSERT_OK(mx_vmar_map(p, PG, v1, 2 * PG, PG, R | OVER, &a));
	ASSERT_EQ(peek(base + PG), '1');
	ASSERT_EQ(peek(base), '2');
	ASSERT_EQ(peek(base + 2 * PG), 0);
	/* Into a gap, and over a mapping and a gap together. */
	ASSERT_OK(mx_vmar_map(p, 2 * PG, v1, 0, 4 * PG, R | OVER, &a));
	ASSERT_EQ(peek(base + 2 * PG), '1');
	ASSERT_EQ(peek(base + 5 * PG), 0);
	/* Over a sub-VMAR: refused, nothing changed. */
	ASSERT_OK(mx_vmar_allocate(p, 16 * PG, 4 * PG, SPEC, &c, &a));
	ASSERT_STATUS(mx_vmar_map(p, 14 * PG, v1, 0, 4 * PG, R | OVER, &a),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_vmar_allocate(c, 0, PG, 0, &c, &a));
}

TEST(unmap_split)
{
	mx_handle_t r = root(), v = vmo(5 * PG);
	uintptr_t a, b;
	size_t actual;
	int i;

	for (i = 0; i < 5; i++)
		ASSERT_OK(mx_vmo_write(v, &"abcde"[i], (uint64_t)i * PG, 1,
				       &actual));
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, 5 * PG, R, &a));
	ASSERT_OK(mx_vmar_unmap(r, a, PG));		/* left */
	ASSERT_OK(mx_vmar_unmap(r, a + 4 * PG, PG));	/* right */
	ASSERT_OK(mx_vmar_unmap(r, a + 2 * PG, PG));	/* middle */
	ASSERT_TRUE(!readable(a));
	ASSERT_TRUE(!readable(a + 2 * PG));
	ASSERT_TRUE(!readable(a + 4 * PG));
	ASSERT_EQ(peek(a + PG), 'b');
	ASSERT_EQ(peek(a + 3 * PG), 'd');
	/* Unmapping again where nothing is: fine. */
	ASSERT_OK(mx_vmar_unmap(r, a + 2 * PG, PG));
	/* The two pieces go as one unmap over the range. */
	ASSERT_OK(mx_vmar_unmap(r, a, 5 * PG));
	ASSERT_TRUE(!readable(a + PG) && !readable(a + 3 * PG));
	ASSERT_OK(mx_vmar_map(r, a - ROOT_BASE, v, 0, 5 * PG, R | SPEC, &b));
	ASSERT_EQ(b, a);
	ASSERT_EQ(peek(a + 4 * PG), 'e');
}

TEST(unmap_in_region_keeps_the_placeholder)
{
	uintptr_t base, a;
	mx_handle_t p = region(16 * PG, &base), v = vmo(4 * PG);

	ASSERT_OK(mx_vmar_map(p, 4 * PG, v, 0, 4 * PG, R | W | SPEC, &a));
	poke(a, 1);
	ASSERT_OK(mx_vmar_unmap(p, a + PG, 2 * PG));
	ASSERT_TRUE(!readable(a + PG));
	ASSERT_TRUE(mxt_linux_mapped(a + PG));
	ASSERT_EQ(peek(a), 1);
	ASSERT_TRUE(readable(a + 3 * PG));
}

TEST(unmap_multiple)
{
	uintptr_t base, a, ca;
	mx_handle_t p = region(64 * PG, &base), v = vmo(4 * PG), c, c2;

	ASSERT_OK(mx_vmar_map(p, 0, v, 0, 2 * PG, R | SPEC, &a));
	ASSERT_OK(mx_vmar_map(p, 4 * PG, v, 0, 2 * PG, R | SPEC, &a));
	ASSERT_OK(mx_vmar_allocate(p, 8 * PG, 4 * PG, CR | CS | SPEC, &c, &ca));
	ASSERT_OK(mx_vmar_map(c, 0, v, 0, PG, R | SPEC, &a));
	ASSERT_OK(mx_vmar_allocate(p, 16 * PG, 4 * PG, CR | SPEC, &c2, &ca));
	/* A sub-VMAR partly in the range: nothing happens. */
	ASSERT_STATUS(mx_vmar_unmap(p, base, 18 * PG), MX_ERR_INVALID_ARGS);
	ASSERT_TRUE(readable(base));
	/* Across mappings, gaps, and a whole sub-VMAR. */
	ASSERT_OK(mx_vmar_unmap(p, base + PG, 12 * PG));
	ASSERT_TRUE(readable(base));
	ASSERT_TRUE(!readable(base + PG));
	ASSERT_TRUE(!readable(base + 4 * PG));
	ASSERT_TRUE(!readable(base + 8 * PG));
	ASSERT_STATUS(mx_vmar_map(c, 0, v, 0, PG, R, &a), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_destroy(c), MX_ERR_BAD_STATE);
	/* The other sub-VMAR is still there. */
	ASSERT_OK(mx_vmar_map(c2, 0, v, 0, PG, R, &a));
}

TEST(unmap_base_not_mapped)
{
	uintptr_t base, a;
	mx_handle_t p = region(16 * PG, &base), v = vmo(4 * PG);

	ASSERT_OK(mx_vmar_map(p, 2 * PG, v, 0, 4 * PG, R | SPEC, &a));
	ASSERT_OK(mx_vmar_unmap(p, base, 4 * PG));
	ASSERT_TRUE(!readable(base + 2 * PG));
	ASSERT_TRUE(readable(base + 4 * PG));
	ASSERT_OK(mx_vmar_unmap(p, base + 8 * PG, 8 * PG));
	/* No children at all. */
	ASSERT_OK(mx_vmar_unmap(p, base, 16 * PG));
	ASSERT_OK(mx_vmar_unmap(p, base, 16 * PG));
}

TEST(unmap_check_order)
{
	uintptr_t base;
	mx_handle_t p = region(16 * PG, &base), ro = mxt_dup(p, 0);

	ASSERT_STATUS(mx_vmar_unmap(12345, base, PG), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_unmap(mxt_event(), base, PG),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmar_unmap(p, base + 1, PG), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_unmap(p, base, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_unmap(p, base, SIZE_MAX), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_unmap(p, base - PG, PG), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_unmap(p, base, 17 * PG), MX_ERR_INVALID_ARGS);
	/* No right needed. */
	ASSERT_OK(mx_vmar_unmap(ro, base, PG));
}

TEST(unaligned_len)
{
	mx_handle_t r = root(), v = vmo(4 * PG);
	uintptr_t a;

	ASSERT_OK(mx_vmar_map(r, 0, v, 0, 4 * PG, R | W, &a));
	ASSERT_OK(mx_vmar_protect(r, a, 4 * PG - 1, R));
	ASSERT_TRUE(write_faults(a + 3 * PG));
	ASSERT_OK(mx_vmar_unmap(r, a, 4 * PG - 1));
	ASSERT_TRUE(!readable(a + 3 * PG));
}

TEST(protect_test)
{
	mx_handle_t r = root(), v = vmo(PG), ro;
	uintptr_t a;

	ro = mxt_dup(v, MX_RIGHT_READ | MX_RIGHT_MAP);
	ASSERT_OK(mx_vmar_map(r, 0, ro, 0, PG, R, &a));
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, R | W), MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_handle_close(ro));
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, R | W), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, R | X), MX_ERR_ACCESS_DENIED);
	/* Down and up again within what the map allowed. */
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R | W, &a));
	poke(a, 5);
	ASSERT_OK(mx_vmar_protect(r, a, PG, R));
	ASSERT_TRUE(write_faults(a));
	ASSERT_EQ(peek(a), 5);
	ASSERT_OK(mx_vmar_protect(r, a, PG, R | W));
	poke(a, 6);
	ASSERT_EQ(peek(a), 6);
}

TEST(protect_check_order)
{
	mx_handle_t r = root(), v = vmo(4 * PG), ro;
	uintptr_t a, base;
	mx_handle_t p = region(16 * PG, &base);

	ro = mxt_dup(r, MX_RIGHT_READ);
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, 2 * PG, R | W, &a));
	ASSERT_STATUS(mx_vmar_protect(12345, a, PG, R), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_protect(v, a, PG, R), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmar_protect(ro, a + 1, PG, R | W),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_protect(r, a + 1, PG, W), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, 0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_protect(r, a + 1, PG, R), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, R | CR), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, R | SPEC),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, R | (1u << 31)),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_protect(r, a, 0, R), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_protect(p, base - PG, PG, R),
		      MX_ERR_INVALID_ARGS);
	/* No children; a start in a gap. */
	ASSERT_STATUS(mx_vmar_protect(p, base, PG, R), MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_vmar_protect(r, a + 2 * PG, PG, R),
		      MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_vmar_protect(r, a, 3 * PG, R), MX_ERR_NOT_FOUND);
	ASSERT_OK(mx_vmar_protect(ro, a, 2 * PG, R));
}

TEST(protect_split)
{
	mx_handle_t r = root(), v = vmo(3 * PG);
	uintptr_t a;

	ASSERT_OK(mx_vmar_map(r, 0, v, 0, 3 * PG, R | W, &a));
	ASSERT_OK(mx_vmar_protect(r, a + PG, PG, R));
	poke(a, 1);
	poke(a + 2 * PG, 3);
	ASSERT_TRUE(write_faults(a + PG));
	ASSERT_EQ(peek(a), 1);
	ASSERT_EQ(peek(a + 2 * PG), 3);
	/* The three pieces protect and unmap as one range. */
	ASSERT_OK(mx_vmar_protect(r, a, 3 * PG, R));
	ASSERT_TRUE(write_faults(a + 2 * PG));
	ASSERT_OK(mx_vmar_protect(r, a, 3 * PG, R | W));
	poke(a + PG, 2);
	ASSERT_EQ(peek(a + PG), 2);
	ASSERT_OK(mx_vmar_unmap(r, a, 3 * PG));
	ASSERT_TRUE(!readable(a) && !readable(a + PG) &&
		    !readable(a + 2 * PG));
}

TEST(protect_multiple)
{
	uintptr_t base, a, ca;
	mx_handle_t p = region(64 * PG, &base), v = vmo(4 * PG), c, ro;

	ASSERT_OK(mx_vmar_map(p, 0, v, 0, 2 * PG, R | W | SPEC, &a));
	ASSERT_OK(mx_vmar_map(p, 2 * PG, v, 0, 2 * PG, R | W | SPEC, &a));
	ASSERT_OK(mx_vmar_protect(p, base, 4 * PG, R));
	ASSERT_TRUE(write_faults(base + 3 * PG));
	/* A gap. */
	ASSERT_OK(mx_vmar_map(p, 5 * PG, v, 0, PG, R | W | SPEC, &a));
	ASSERT_STATUS(mx_vmar_protect(p, base, 6 * PG, R), MX_ERR_NOT_FOUND);
	/* A sub-VMAR. */
	ASSERT_OK(mx_vmar_allocate(p, 6 * PG, PG, CR | SPEC, &c, &ca));
	ASSERT_STATUS(mx_vmar_protect(p, base + 5 * PG, 2 * PG, R),
		      MX_ERR_INVALID_ARGS);
	/* A VMO mapped without WRITE. */
	ro = mxt_dup(v, MX_RIGHT_READ | MX_RIGHT_MAP);
	ASSERT_OK(mx_vmar_map(p, 7 * PG, ro, 0, PG, R | SPEC, &a));
	ASSERT_OK(mx_vmar_map(p, 8 * PG, v, 0, PG, R | SPEC, &a));
	ASSERT_STATUS(mx_vmar_protect(p, base + 7 * PG, 2 * PG, R | W),
		      MX_ERR_ACCESS_DENIED);
	/* Nothing changed by the refusals. */
	ASSERT_TRUE(!write_faults(base + 5 * PG));
	ASSERT_TRUE(write_faults(base + 8 * PG));
}

TEST(destroyed_vmar)
{
	uintptr_t base, a, ca;
	mx_handle_t p = region(64 * PG, &base), v = vmo(4 * PG), c, g, c2;
	mx_info_vmar_t i;

	ASSERT_OK(mx_vmar_allocate(p, 8 * PG, 16 * PG, CR | CW | CS | SPEC, &c,
				   &ca));
	ASSERT_OK(mx_vmar_allocate(c, 0, 4 * PG, CR | SPEC, &g, &a));
	ASSERT_OK(mx_vmar_map(c, 8 * PG, v, 0, PG, R | W | SPEC, &a));
	poke(a, 1);
	ASSERT_OK(mx_vmar_destroy(c));
	ASSERT_TRUE(!readable(a));
	/* Back to the parent as a free range, still reserved. */
	ASSERT_TRUE(mxt_linux_mapped(a));
	ASSERT_STATUS(mx_vmar_destroy(c), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_allocate(c, 0, PG, 0, &c2, &a),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_map(c, 0, v, 0, PG, R, &a), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_unmap(c, ca, PG), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_protect(c, ca, PG, R), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_map(g, 0, v, 0, PG, R, &a), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_destroy(g), MX_ERR_BAD_STATE);
	i = mxt_vmar_info(c);
	ASSERT_EQ(i.base, ca);
	ASSERT_EQ(i.len, 16 * PG);
	/* The parent can use the range again; the VMO is untouched. */
	ASSERT_OK(mx_vmar_map(p, 8 * PG, v, 0, PG, R | SPEC, &a));
	ASSERT_EQ(peek(a), 1);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(g));
	/* A region of the root: the range is Linux's again. */
	ASSERT_OK(mx_vmar_destroy(p));
	ASSERT_TRUE(!mxt_linux_mapped(base));
}

TEST(destroy_root)
{
	mx_handle_t r = root(), v = vmo(PG), c;
	uintptr_t a, ca;

	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R, &a));
	ASSERT_OK(mx_vmar_allocate(r, 0, PG, 0, &c, &ca));
	ASSERT_OK(mx_vmar_destroy(r));
	ASSERT_TRUE(!readable(a));
	ASSERT_TRUE(!mxt_linux_mapped(ca));
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG, 0, &c, &a),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_destroy(c), MX_ERR_BAD_STATE);
	/* The program's own mappings are untouched: it runs on. */
	ASSERT_EQ(getpid() > 0, 1);
}

TEST(object_info)
{
	uintptr_t base;
	mx_handle_t p = region(32 * PG, &base), e = mxt_event();
	mx_info_vmar_t i;
	size_t actual = 5, avail = 5;

	i = mxt_vmar_info(p);
	ASSERT_EQ(i.base, base);
	ASSERT_EQ(i.len, 32 * PG);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_VMAR, &i, sizeof(i) - 1,
					 &actual, &avail),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 1);
	ASSERT_OK(mx_object_get_info(p, MX_INFO_VMAR, &i, sizeof(i), NULL,
				     NULL));
	ASSERT_STATUS(mx_object_get_info(e, MX_INFO_VMAR, &i, sizeof(i), NULL,
					 NULL), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(mx_process_self(), MX_INFO_VMAR, &i,
					 sizeof(i), NULL, NULL),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_object_get_info(12345, MX_INFO_VMAR, &i, sizeof(i),
					 NULL, NULL), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_VMAR, mxt_read_only_page(),
					 sizeof(i), NULL, NULL),
		      MX_ERR_INVALID_ARGS);
	/* No right needed. */
	ASSERT_OK(mx_object_get_info(mxt_dup(p, 0), MX_INFO_VMAR, &i,
				     sizeof(i), NULL, NULL));
}

TEST(address_space_limits)
{
	mx_handle_t r = root(), v = vmo(2 * PG);
	uintptr_t a, last = ROOT_END - PG;
	mx_status_t s;

	ASSERT_STATUS(mx_vmar_map(r, last - ROOT_BASE, v, 0, 2 * PG,
				  R | SPEC, &a), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_map(r, ROOT_END - ROOT_BASE, v, 0, PG,
				  R | SPEC, &a), MX_ERR_INVALID_ARGS);
	s = mx_vmar_map(r, last - ROOT_BASE, v, 0, PG, R | SPEC, &a);
	if (s == MX_OK) {
		ASSERT_EQ(a, last);
		ASSERT_STATUS(mx_vmar_map(r, last - ROOT_BASE, v, 0, PG,
					  R | SPEC, &a), MX_ERR_NO_MEMORY);
	} else {
		/* Linux has something there (the stack). */
		ASSERT_STATUS(s, MX_ERR_NO_MEMORY);
		ASSERT_TRUE(mxt_linux_mapped(last));
	}
	/* Below the root's base. */
	ASSERT_STATUS(mx_vmar_unmap(r, ROOT_BASE - PG, PG),
		      MX_ERR_INVALID_ARGS);
}

TEST(bad_out_pointers_leave_nothing)
{
	uintptr_t base, a;
	mx_handle_t p = region(16 * PG, &base), v = vmo(PG), c;
	void *ro = mxt_read_only_page();
	size_t n = mxt_nhandles();

	ASSERT_STATUS(mx_vmar_allocate(p, 0, 4 * PG, SPEC, &c, ro),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(p, 0, 4 * PG, SPEC, ro, &a),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(p, 0, 4 * PG, SPEC, NULL, &a),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_nhandles(), n);
	ASSERT_OK(mx_vmar_allocate(p, 0, 4 * PG, SPEC, &c, &a));
	ASSERT_STATUS(mx_vmar_map(p, 8 * PG, v, 0, PG, R | SPEC, ro),
		      MX_ERR_INVALID_ARGS);
	ASSERT_TRUE(!readable(base + 8 * PG));
	ASSERT_OK(mx_vmar_map(p, 8 * PG, v, 0, PG, R | SPEC, &a));
	/* Root self: a bad out pointer leaves no new handle. */
	ASSERT_OK(mx_handle_close(root()));
	n = mxt_nhandles();
	{
		struct mx_ioc_vmar_root arg = { .out = (uintptr_t)ro };
		int fd = open("/dev/mx", O_RDWR);

		ASSERT_TRUE(fd >= 0);
		ASSERT_EQ(ioctl(fd, MX_IOC_VMAR_ROOT_SELF, &arg),
			  -MX_ERR_INVALID_ARGS);
		close(fd);
	}
	ASSERT_EQ(mxt_nhandles(), n);
}

/* What a forked child does with its parent's VMARs. */
static void foreign_child(void *arg)
{
	mx_handle_t ch, hs[3], c;
	uint32_t nb, nh;
	uintptr_t a;
	char b;

	ASSERT_OK(mx_handle_from_fd(*(int *)arg, &ch));

	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, &b, hs, 1, 3, &nb, &nh));
	ASSERT_EQ(nh, 3);
	ASSERT_STATUS(mx_vmar_allocate(hs[0], 0, PG, 0, &c, &a),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_vmar_map(hs[1], 0, hs[2], 0, PG, R, &a),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_vmar_unmap(hs[1], mxt_vmar_info(hs[1]).base, PG),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_vmar_protect(hs[1], mxt_vmar_info(hs[1]).base, PG, R),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_vmar_destroy(hs[1]), MX_ERR_NOT_SUPPORTED);
	ASSERT_EQ(mxt_vmar_info(hs[0]).base, ROOT_BASE);
	/* Its own root is another. */
	ASSERT_NE(mxt_basic(root()).koid, mxt_basic(hs[0]).koid);
}

TEST(vmar_of_another_process)
{
	uintptr_t base, a;
	mx_handle_t p = region(16 * PG, &base), v = vmo(PG), ch[2], hs[3];
	int fd;

	ASSERT_OK(mx_vmar_map(p, 0, v, 0, PG, R | W | SPEC, &a));
	mxt_channel(&ch[0], &ch[1]);
	hs[0] = mxt_dup(root(), MX_RIGHT_SAME_RIGHTS);
	hs[1] = mxt_dup(p, MX_RIGHT_SAME_RIGHTS);
	hs[2] = mxt_dup(v, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_channel_write(ch[0], 0, "x", 1, hs, 3));
	ASSERT_OK(mx_handle_to_fd(ch[1], 0, &fd));
	mxt_in_child(foreign_child, &fd);
	close(fd);
	/* Nothing changed here. */
	poke(a, 1);
	ASSERT_EQ(peek(a), 1);
	ASSERT_OK(mx_vmar_destroy(p));
}

static void as_other_user(void)
{
	uintptr_t base, a;
	mx_handle_t p, v = vmo(PG);
	size_t actual;
	char c;

	mxt_become(1000);
	p = region(16 * PG, &base);
	ASSERT_OK(mx_vmar_map(p, 0, v, 0, PG, R | W, &a));
	poke(a, 'u');
	ASSERT_OK(mx_vmo_read(v, &c, 0, 1, &actual));
	ASSERT_EQ(c, 'u');
	ASSERT_OK(mx_vmar_destroy(p));
}

TEST(second_user)
{
	int status;
	pid_t pid;

	if (geteuid() != 0)
		SKIP("needs root to become another user");
	pid = mxt_fork();
	if (pid == 0) {
		as_other_user();
		fflush(NULL);
		_exit(0);
	}
	status = mxt_wait_child(pid);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void few_mappings(void)
{
	mx_handle_t r = root(), v = vmo(4 * PG);
	uintptr_t a[4], b;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_OK(mx_vmar_map(r, 0, v, 0, 4 * PG, R | W, &a[i]));
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R, &b),
		      MX_ERR_NO_RESOURCES);
	/* A split needs a record too. */
	ASSERT_STATUS(mx_vmar_protect(r, a[0] + PG, PG, R),
		      MX_ERR_NO_RESOURCES);
	ASSERT_OK(mx_vmar_unmap(r, a[0], 4 * PG));
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R, &b));
}

TEST(max_vmar_mappings)
{
	if (geteuid() != 0)
		SKIP("needs root to set a module parameter");
	mxt_with_param("max_vmar_mappings", "4", few_mappings);
}

static atomic_int reading;

static void on_segv_exit(int sig)
{
	(void)sig;
	_exit(42);
}

static void *reader(void *arg)
{
	volatile char *p = arg;

	for (;;) {
		(void)p[0];
		atomic_store(&reading, 1);
	}
	return NULL;
}

TEST(destroy_under_a_running_thread)
{
	int status;
	pid_t pid = mxt_fork();

	if (pid == 0) {
		uintptr_t base, a;
		mx_handle_t p = region(16 * PG, &base), v = vmo(PG);
		pthread_t th;

		ASSERT_OK(mx_vmar_map(p, 0, v, 0, PG, R, &a));
		mxt_on_signal(SIGSEGV, on_segv_exit);
		ASSERT_EQ(pthread_create(&th, NULL, reader, (void *)a), 0);
		while (!atomic_load(&reading))
			usleep(100);
		ASSERT_OK(mx_vmar_destroy(p));
		/* The reader faults next. */
		for (;;)
			pause();
	}
	status = mxt_wait_child(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 42);
}

TEST(many_regions_and_mappings)
{
	uintptr_t base, a;
	mx_handle_t p = region(4096 * PG, &base), v = vmo(PG), c;
	int i;

	for (i = 0; i < 200; i++) {
		ASSERT_OK(mx_vmar_allocate(p, 0, 4 * PG, CR, &c, &a));
		ASSERT_OK(mx_vmar_map(c, 0, v, 0, PG, R, &a));
		ASSERT_EQ(peek(a), 0);
		ASSERT_OK(mx_handle_close(c));
		ASSERT_OK(mx_vmar_map(p, 0, v, 0, PG, R, &a));
	}
	/* Deep nesting, then one destroy of everything. */
	c = p;
	for (i = 0; i < 1000; i++)
		ASSERT_OK(mx_vmar_allocate(c, 0, PG, CR, &c, &a));
	ASSERT_OK(mx_vmar_destroy(p));
	ASSERT_STATUS(mx_vmar_destroy(c), MX_ERR_BAD_STATE);
}

/*
 * The program again, after an exec (below): the handles of the process
 * survive an ordinary exec, but the VMARs they name were of the old
 * address space.
 */
__attribute__((constructor)) static void after_exec(void)
{
	const char *env = getenv("MXT_VMAR_EXEC");
	unsigned long long koid;
	mx_handle_t old_root, sub, r, c;
	mx_info_vmar_t i;
	uintptr_t a;

	if (!env)
		return;
	if (sscanf(env, "%d %d %llu", &old_root, &sub, &koid) != 3)
		_exit(10);
	if (mx_vmar_allocate(sub, 0, PG, 0, &c, &a) != MX_ERR_BAD_STATE)
		_exit(11);
	if (mx_vmar_allocate(old_root, 0, PG, 0, &c, &a) != MX_ERR_BAD_STATE)
		_exit(12);
	if (mx_object_get_info(sub, MX_INFO_VMAR, &i, sizeof(i), NULL,
			       NULL) != MX_OK || i.len != 16 * PG)
		_exit(13);
	r = mx_vmar_root_self();
	if (r == MX_HANDLE_INVALID || r == old_root ||
	    mxt_basic(r).koid == koid)
		_exit(14);
	if (mx_vmar_allocate(r, 0, PG, 0, &c, &a) != MX_OK)
		_exit(15);
	_exit(0);
}

TEST(exec_leaves_the_old_vmars)
{
	int status;
	pid_t pid = mxt_fork();

	if (pid == 0) {
		uintptr_t base;
		mx_handle_t r = root(), p = region(16 * PG, &base);
		char env[96];
		char *argv[] = { "vmar", NULL };
		char *envp[] = { env, NULL };

		snprintf(env, sizeof(env), "MXT_VMAR_EXEC=%d %d %llu", r, p,
			 (unsigned long long)mxt_basic(r).koid);
		execve("/proc/self/exe", argv, envp);
		_exit(9);
	}
	status = mxt_wait_child(pid);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
}

/* Threads of one process changing its VMARs at once, and Linux's mmap. */
static mx_handle_t shared_vmo;

static void *churn(void *arg)
{
	uintptr_t id = (uintptr_t)arg, base, a, b;
	mx_handle_t r = mx_vmar_root_self(), p;
	int i;

	for (i = 0; i < 100; i++) {
		if (mx_vmar_allocate(r, 0, 32 * PG, CR | CW | CS, &p, &base))
			return (void *)1;
		if (mx_vmar_map(p, 0, shared_vmo, 0, 4 * PG, R | W, &a) ||
		    mx_vmar_map(r, 0, shared_vmo, 0, 4 * PG, R | W, &b))
			return (void *)2;
		poke(a + id * 8, (char)i);
		if (peek(b + id * 8) != (char)i)
			return (void *)3;
		if (mx_vmar_protect(p, a, 2 * PG, R) ||
		    mx_vmar_unmap(r, b, 4 * PG) ||
		    mx_vmar_unmap(p, a + PG, PG))
			return (void *)4;
		if (i % 2 ? mx_vmar_destroy(p) : mx_vmar_unmap(r, base, 32 * PG))
			return (void *)5;
		if (mx_handle_close(p))
			return (void *)6;
	}
	return NULL;
}

static void *linux_churn(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 300; i++) {
		char *m = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			return (void *)1;
		m[0] = 1;
		munmap(m, 8 * PG);
	}
	return NULL;
}

TEST(threads_at_once)
{
	pthread_t th[5];
	void *ret;
	uintptr_t i;

	shared_vmo = vmo(4 * PG);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, churn, (void *)i), 0);
	ASSERT_EQ(pthread_create(&th[4], NULL, linux_churn, NULL), 0);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(pthread_join(th[i], &ret), 0);
		ASSERT_EQ((uintptr_t)ret, 0);
	}
}

/* A sub-VMAR is an object of its user's; one refused leaves nothing. */
static void objects_bounded(void)
{
	uintptr_t base, a;
	mx_handle_t p, c[64], first = MX_HANDLE_INVALID;
	mx_status_t s = MX_OK;
	size_t k;

	mxt_become(4361);
	p = region(128 * PG, &base);
	for (k = 0; k < 64; k++) {
		s = mx_vmar_allocate(p, k * PG, PG, SPEC, &c[k], &a);
		if (s != MX_OK)
			break;
		if (k == 0)
			first = c[0];
	}
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	ASSERT_TRUE(k > 0);
	/* Destroyed and its handle closed, the first one is uncharged. */
	ASSERT_OK(mx_vmar_destroy(first));
	ASSERT_STATUS(mx_vmar_allocate(p, k * PG, PG, SPEC, &c[k], &a),
		      MX_ERR_NO_RESOURCES);
	ASSERT_OK(mx_handle_close(first));
	ASSERT_OK(mx_vmar_allocate(p, k * PG, PG, SPEC, &c[k], &a));
	ASSERT_EQ(a, base + k * PG);
}

TEST(sub_vmars_count_as_objects)
{
	if (geteuid() != 0)
		SKIP("needs root to set a module parameter");
	mxt_with_param("max_user_objects", "24", objects_bounded);
}

/*
 * Run in a started process (mx_process_start): its own root VMAR maps a
 * VMO of its own twice, then it says so and waits to be killed.
 */
static void entry_maps(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1, v = 0;
	uintptr_t a = 0, b = 0;
	int ok;

	(void)arg2;
	mx_vmo_create(2 * PG, 0, &v);
	mx_vmar_map(mx_vmar_root_self(), 0, v, 0, 2 * PG, R | W, &a);
	mx_vmar_map(mx_vmar_root_self(), 0, v, PG, PG, R, &b);
	if (a && b)
		poke(a + PG, 'm');
	ok = a && b && peek(b) == 'm';
	mx_channel_write(ch, 0, ok ? "ok" : "no", 2, NULL, 0);
	for (;;)
		mx_object_wait_one(ch, MX_USER_SIGNAL_0, MX_TIME_INFINITE,
				   NULL);
}

TEST(process_vmos_counts_vmar_mappings)
{
	mx_handle_t p = 0, t = 0, ch = 0, c1 = 0;
	mx_info_vmo_t r[4];
	size_t actual = 0, avail = 0;
	uint32_t nb = 0;
	char buf[16];

	ASSERT_OK(mx_process_create(mx_job_default(), "maps", 4, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "main", 4, 0, &t));
	ASSERT_OK(mx_channel_create(0, &ch, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_maps,
				   mxt_stack(NULL), c1, 0));
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, buf, NULL, sizeof(buf), 0, &nb,
				  NULL));
	/* Both mapped, and one shows what was written through the other. */
	ASSERT_EQ(nb, 2);
	ASSERT_EQ(memcmp(buf, "ok", 2), 0);
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_VMOS, r, sizeof(r),
				     &actual, &avail));
	/* Its handle, then its two mappings. */
	ASSERT_EQ(actual, 3);
	ASSERT_EQ(r[0].flags, MX_INFO_VMO_TYPE_PAGED | MX_INFO_VMO_VIA_HANDLE);
	ASSERT_EQ(r[1].koid, r[0].koid);
	ASSERT_EQ(r[2].koid, r[0].koid);
	ASSERT_EQ(r[1].flags, MX_INFO_VMO_TYPE_PAGED | MX_INFO_VMO_VIA_MAPPING);
	ASSERT_EQ(r[1].num_mappings, 2);
	ASSERT_OK(mx_task_kill(p));
}

/* ---- mx_vmar_unmap_handle_close_thread_exit ---- */

struct self_free {
	mx_handle_t vmar;	/* what to unmap from */
	uintptr_t base;		/* the thread's stack: a VMO mapping */
	size_t len;
	mx_handle_t handle;	/* what to close */
	_Atomic mx_status_t status;	/* what the call returned, if it did */
	_Atomic int on_stack;	/* a local of the entry lay in the mapping */
};

static void entry_self_free(uintptr_t arg1, uintptr_t arg2)
{
	struct self_free *sf = (struct self_free *)arg2;
	volatile char local = 1;

	(void)arg1;
	atomic_store(&sf->on_stack, (uintptr_t)&local >= sf->base &&
		     (uintptr_t)&local < sf->base + sf->len);
	atomic_store(&sf->status,
		     mx_vmar_unmap_handle_close_thread_exit(sf->vmar, sf->base,
							    sf->len,
							    sf->handle));
	(void)local;
}

/* A thread on a stack in a VMO mapping; what the call did. */
static void run_self_free(struct self_free *sf, mx_handle_t vmar)
{
	mx_handle_t v = vmo(16 * PG), t = 0;

	ASSERT_OK(mx_vmar_map(mx_vmar_root_self(), 0, v, 0, 16 * PG, R | W,
			      &sf->base));
	ASSERT_OK(mx_handle_close(v));
	sf->len = 16 * PG;
	sf->vmar = vmar;
	atomic_store(&sf->status, 1);
	ASSERT_OK(mx_event_create(0, &sf->handle));
	ASSERT_OK(mx_thread_create(mx_process_self(), "free", 4, 0, &t));
	ASSERT_OK(mx_thread_start(t, (uintptr_t)entry_self_free,
				  sf->base + sf->len, 0, (uintptr_t)sf));
	ASSERT_OK(mx_object_wait_one(t, MX_THREAD_TERMINATED,
				     mx_deadline_after(MX_SEC(30)), NULL));
	ASSERT_OK(mx_handle_close(t));
	ASSERT_EQ(atomic_load(&sf->on_stack), 1);
}

TEST(unmap_handle_close_thread_exit_frees_the_own_stack)
{
	struct self_free sf = { 0 };

	run_self_free(&sf, mx_vmar_root_self());
	/* It never returned: unmapped, closed, ended. */
	ASSERT_EQ(atomic_load(&sf.status), 1);
	ASSERT_EQ(mxt_linux_mapped(sf.base), 0);
	ASSERT_EQ(mxt_linux_mapped(sf.base + sf.len - PG), 0);
	ASSERT_STATUS(mx_object_get_info(sf.handle, MX_INFO_HANDLE_VALID, NULL,
					 0, NULL, NULL), MX_ERR_BAD_HANDLE);
	/* The range is free in the root VMAR again. */
	ASSERT_OK(mx_vmar_unmap(mx_vmar_root_self(), sf.base, sf.len));
}

TEST(unmap_handle_close_thread_exit_failing_returns)
{
	struct self_free sf = { 0 };
	mx_handle_t ev = 0;

	/* A bad VMAR handle: nothing unmapped, nothing closed, it returns. */
	run_self_free(&sf, 0x7ffffff0);
	ASSERT_EQ(atomic_load(&sf.status), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(mxt_linux_mapped(sf.base), 1);
	ASSERT_OK(mx_handle_close(sf.handle));
	ASSERT_OK(mx_vmar_unmap(mx_vmar_root_self(), sf.base, sf.len));

	/* A handle that is not a VMAR: its error, and it returns. */
	ASSERT_OK(mx_event_create(0, &ev));
	memset(&sf, 0, sizeof(sf));
	run_self_free(&sf, ev);
	ASSERT_EQ(atomic_load(&sf.status), MX_ERR_WRONG_TYPE);
	ASSERT_EQ(mxt_linux_mapped(sf.base), 1);
	ASSERT_OK(mx_handle_close(sf.handle));
	ASSERT_OK(mx_handle_close(ev));
	ASSERT_OK(mx_vmar_unmap(mx_vmar_root_self(), sf.base, sf.len));
}
