// SPDX-License-Identifier: MIT
/*
 * The root VMAR of a created process (docs/manual.md, "VMARs"): the
 * handle mx_process_create gives, the layout recorded on it before
 * mx_process_start (every check and error of the caller's own VMARs,
 * nothing mapped in the caller), applied in the started process before
 * its entry runs (data, a stack and code in VMOs, reserved sub-VMARs),
 * the handle after the start and after the end, a start whose recorded
 * range is taken, a process never started; and MX_INFO_PROCESS_MAPS, the
 * tree of a running process's VMARs and mappings, and its failures.
 */
#define _GNU_SOURCE
#include "mxtest.h"

#include <string.h>
#include <sys/mman.h>

#define PG 4096UL
#define ROOT_BASE 0x1000000UL
#define ROOT_END 0x7ffffffff000UL
#define ROOT_LEN (ROOT_END - ROOT_BASE)

#define R MX_VM_FLAG_PERM_READ
#define W MX_VM_FLAG_PERM_WRITE
#define X MX_VM_FLAG_PERM_EXECUTE
#define CR MX_VM_FLAG_CAN_MAP_READ
#define CW MX_VM_FLAG_CAN_MAP_WRITE
#define CX MX_VM_FLAG_CAN_MAP_EXECUTE
#define CS MX_VM_FLAG_CAN_MAP_SPECIFIC
#define SPEC MX_VM_FLAG_SPECIFIC

#define VMAR_RIGHTS (MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | MX_RIGHT_READ | \
		     MX_RIGHT_WRITE | MX_RIGHT_EXECUTE)
#define SUB_RW_RIGHTS (MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER | \
		       MX_RIGHT_READ | MX_RIGHT_WRITE)

/* A process created with its root VMAR and a thread: the VMAR. */
static mx_handle_t create(const char *name, mx_handle_t *p, mx_handle_t *t)
{
	mx_handle_t vmar = MX_HANDLE_INVALID;

	ASSERT_OK(mx_process_create(mx_job_default(), name, strlen(name), 0, p,
				    &vmar));
	ASSERT_TRUE(*p > 0 && vmar > 0);
	if (t)
		ASSERT_OK(mx_thread_create(*p, "main", 4, 0, t));
	return vmar;
}

static mx_handle_t vmo(uint64_t size)
{
	mx_handle_t h;

	ASSERT_OK(mx_vmo_create(size, 0, &h));
	return h;
}

/*
 * Whether the byte at @addr can be read, without a signal: the kernel
 * copies it into a pipe. -1 if no pipe could be made.
 */
static int readable(uintptr_t addr)
{
	int fds[2], ok;
	char c;

	if (pipe(fds))
		return -1;
	ok = write(fds[1], (void *)addr, 1) == 1;
	if (ok && read(fds[0], &c, 1) != 1)
		ok = -1;
	close(fds[0]);
	close(fds[1]);
	return ok;
}

/*
 * Whether a byte can be written at @addr, without a signal: the kernel
 * copies one from a pipe there. -1 if no pipe could be made.
 */
static int writable(uintptr_t addr)
{
	int fds[2], ok;

	if (pipe(fds))
		return -1;
	ok = write(fds[1], "w", 1) == 1 && read(fds[0], (void *)addr, 1) == 1;
	close(fds[0]);
	close(fds[1]);
	return ok;
}

/* Read one message of exactly @size bytes and no handle from @ch. */
static void read_msg(mx_handle_t ch, void *buf, uint32_t size)
{
	uint32_t nb = 0, nh = 0;

	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, buf, NULL, size, 0, &nb, &nh));
	ASSERT_EQ(nb, size);
	ASSERT_EQ(nh, 0);
}

/* ---- mx_process_create ---- */

TEST(create_gives_the_root_vmar)
{
	mx_handle_t p = 0, r, own = mx_vmar_root_self();
	mx_info_handle_basic_t b;
	mx_info_vmar_t i;
	size_t n;

	ASSERT_NE(own, MX_HANDLE_INVALID);
	n = mxt_nhandles();
	r = create("rooted", &p, NULL);
	ASSERT_EQ(mxt_nhandles(), n + 2);
	ASSERT_NE(r, p);
	b = mxt_basic(r);
	ASSERT_EQ(b.type, MX_OBJ_TYPE_VMAR);
	ASSERT_EQ(b.rights, VMAR_RIGHTS);
	ASSERT_EQ(b.rights, 0x1F);
	ASSERT_NE(b.koid, mxt_basic(own).koid);
	ASSERT_NE(b.koid, mxt_basic(p).koid);
	i = mxt_vmar_info(r);
	ASSERT_EQ(i.base, 0x1000000);
	ASSERT_EQ(i.len, 0x7ffffefff000);
	ASSERT_EQ(mxt_basic(p).type, MX_OBJ_TYPE_PROCESS);
	/* Another process, another root. */
	{
		mx_handle_t p2 = 0, r2 = create("rooted2", &p2, NULL);

		ASSERT_NE(mxt_basic(r2).koid, b.koid);
		ASSERT_EQ(mxt_vmar_info(r2).base, ROOT_BASE);
	}
	/* The caller's own root is unchanged. */
	ASSERT_EQ(mxt_vmar_info(own).base, ROOT_BASE);
	ASSERT_EQ(mxt_vmar_info(own).len, ROOT_LEN);
	ASSERT_EQ(mx_vmar_root_self(), own);
}

TEST(create_without_vmar_pointer)
{
	mx_handle_t p = 0;
	size_t n = mxt_nhandles();

	ASSERT_OK(mx_process_create(mx_job_default(), "novmar", 6, 0, &p,
				    NULL));
	ASSERT_TRUE(p > 0);
	ASSERT_EQ(mxt_nhandles(), n + 1);
	ASSERT_EQ(mxt_basic(p).type, MX_OBJ_TYPE_PROCESS);
}

TEST(create_with_unwritable_vmar_pointer_makes_nothing)
{
	mx_handle_t p = 0;
	void *ro = mxt_read_only_page();
	size_t n = mxt_nhandles();

	ASSERT_STATUS(mx_process_create(mx_job_default(), "bad", 3, 0, &p,
					(mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(p, 0);
	ASSERT_EQ(mxt_nhandles(), n);
	ASSERT_STATUS(mx_process_create(mx_job_default(), "bad", 3, 0, &p,
					ro), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(p, 0);
	ASSERT_EQ(mxt_nhandles(), n);
	/* An unwritable process pointer with a good vmar pointer. */
	{
		mx_handle_t v = 0x55;

		ASSERT_STATUS(mx_process_create(mx_job_default(), "bad", 3, 0,
						ro, &v), MX_ERR_INVALID_ARGS);
		ASSERT_EQ(mxt_nhandles(), n);
	}
	/* A failure before the handles: neither is written. */
	{
		mx_handle_t v = 0x55;

		p = 0x55;
		ASSERT_STATUS(mx_process_create(12345, "bad", 3, 0, &p, &v),
			      MX_ERR_BAD_HANDLE);
		ASSERT_EQ(p, 0x55);
		ASSERT_EQ(v, 0x55);
		ASSERT_EQ(mxt_nhandles(), n);
		p = 0;
	}
	/* And then it works. */
	ASSERT_NE(create("good", &p, NULL), MX_HANDLE_INVALID);
	ASSERT_EQ(mxt_nhandles(), n + 2);
}

/* ---- the record, before the start ---- */

/*
 * The same calls on @r, the caller's own root or a created process's
 * (@recorded: then nothing may appear in the caller's address space).
 */
static void same_checks(mx_handle_t r, int recorded)
{
	mx_handle_t v = vmo(4 * PG), e = mxt_event(), c, g, c2, ro;
	uintptr_t base, a, b, ga;
	mx_info_vmar_t i;

	ro = mxt_dup(v, MX_RIGHT_READ | MX_RIGHT_MAP);
	ASSERT_OK(mx_vmar_allocate(r, 0, 64 * PG, CR | CW | CS, &c, &base));
	ASSERT_EQ(mxt_basic(c).rights, SUB_RW_RIGHTS);
	ASSERT_TRUE(base >= ROOT_BASE && base + 64 * PG <= ROOT_END);
	ASSERT_EQ(base % PG, 0);
	i = mxt_vmar_info(c);
	ASSERT_EQ(i.base, base);
	ASSERT_EQ(i.len, 64 * PG);
	if (recorded) {
		ASSERT_TRUE(!mxt_linux_mapped(base));
		ASSERT_TRUE(!mxt_linux_mapped(base + 63 * PG));
	}
	ASSERT_OK(mx_vmar_map(c, 8 * PG, v, 0, 4 * PG, R | W | SPEC, &a));
	ASSERT_EQ(a, base + 8 * PG);
	if (recorded)
		ASSERT_TRUE(!mxt_linux_mapped(a));
	/* Overlaps. */
	ASSERT_STATUS(mx_vmar_map(c, 10 * PG, v, 0, 4 * PG, R | SPEC, &b),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_allocate(c, 8 * PG, 4 * PG, SPEC, &c2, &b),
		      MX_ERR_NO_MEMORY);
	/* Out of range. */
	ASSERT_STATUS(mx_vmar_map(c, 62 * PG, v, 0, 4 * PG, R | SPEC, &b),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(c, 64 * PG, PG, SPEC, &c2, &b),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(c, 0, 65 * PG, 0, &c2, &b),
		      MX_ERR_INVALID_ARGS);
	/* Beyond the region's and the VMO handle's rights. */
	ASSERT_STATUS(mx_vmar_map(c, 0, v, 0, PG, R | X, &b),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_allocate(c, 0, PG, CR | CX, &c2, &b),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_vmar_map(c, 16 * PG, ro, 0, PG, R | SPEC, &b));
	ASSERT_EQ(b, base + 16 * PG);
	ASSERT_STATUS(mx_vmar_protect(c, b, PG, R | W), MX_ERR_ACCESS_DENIED);
	/* Gaps. */
	ASSERT_STATUS(mx_vmar_protect(c, base, PG, R), MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_vmar_protect(c, a, 5 * PG, R), MX_ERR_NOT_FOUND);
	ASSERT_STATUS(mx_vmar_protect(c, a + 1, PG, R), MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_vmar_protect(c, a, 4 * PG, R));
	ASSERT_OK(mx_vmar_protect(c, a + PG, PG, R | W));
	/* Handles. */
	ASSERT_STATUS(mx_vmar_map(12345, 0, v, 0, PG, R, &b),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_map(e, 0, v, 0, PG, R, &b), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmar_map(c, 0, e, 0, PG, R, &b), MX_ERR_WRONG_TYPE);
	/* A nested region; an unmap partly over it does nothing. */
	ASSERT_OK(mx_vmar_allocate(c, 32 * PG, 8 * PG, CR | SPEC, &g, &ga));
	ASSERT_EQ(ga, base + 32 * PG);
	ASSERT_EQ(mxt_basic(g).rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ);
	ASSERT_STATUS(mx_vmar_map(g, 0, v, 0, PG, R | W, &b),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmar_map(g, 0, v, 0, PG, R | SPEC, &b),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_vmar_map(g, 0, v, 0, PG, R, &b));
	ASSERT_TRUE(b >= ga && b < ga + 8 * PG);
	ASSERT_STATUS(mx_vmar_unmap(c, base, 34 * PG), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_allocate(c, 30 * PG, 4 * PG, SPEC, &c2, &b),
		      MX_ERR_NO_MEMORY);
	ASSERT_OK(mx_vmar_unmap(c, a, 4 * PG));
	ASSERT_OK(mx_vmar_unmap(c, a, 4 * PG));
	ASSERT_STATUS(mx_vmar_protect(c, a, PG, R), MX_ERR_NOT_FOUND);
	ASSERT_OK(mx_vmar_map(c, 8 * PG, v, 0, PG, R | SPEC, &b));
	ASSERT_EQ(b, a);
	ASSERT_OK(mx_vmar_destroy(g));
	ASSERT_STATUS(mx_vmar_map(g, 0, v, 0, PG, R, &b), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_destroy(g), MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_vmar_info(g).base, ga);
	ASSERT_OK(mx_vmar_allocate(c, 32 * PG, 8 * PG, SPEC, &c2, &b));
	ASSERT_OK(mx_vmar_destroy(c));
	ASSERT_STATUS(mx_vmar_allocate(c, 0, PG, 0, &c2, &b),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_unmap(c, base, PG), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_protect(c, base, PG, R), MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_vmar_info(c).base, base);
	/* In the root itself. */
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, 2 * PG, R, &a));
	ASSERT_TRUE(a >= ROOT_BASE && a + 2 * PG <= ROOT_END);
	if (recorded)
		ASSERT_TRUE(!mxt_linux_mapped(a));
	ASSERT_STATUS(mx_vmar_map(r, a - ROOT_BASE, v, 0, PG, R | SPEC, &b),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_map(r, ROOT_LEN, v, 0, PG, R | SPEC, &b),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_unmap(r, ROOT_BASE - PG, PG),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmar_protect(mxt_dup(r, MX_RIGHT_READ), a, PG,
				      R | W), MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_vmar_unmap(r, a, 2 * PG));
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, R), MX_ERR_NOT_FOUND);
}

TEST(record_has_the_codes_of_the_own_root)
{
	mx_handle_t own = mx_vmar_root_self(), p = 0, r;
	mx_koid_t own_koid = mxt_basic(own).koid;

	same_checks(own, 0);
	r = create("record", &p, NULL);
	same_checks(r, 1);
	/* The caller's root is still its own. */
	ASSERT_EQ(mxt_basic(mx_vmar_root_self()).koid, own_koid);
}

TEST(record_places_clear_of_the_callers_mappings)
{
	mx_handle_t p = 0, r = create("clear", &p, NULL), v = vmo(16 * PG), c;
	uintptr_t a, cb;
	int i;

	for (i = 0; i < 64; i++) {
		ASSERT_OK(mx_vmar_map(r, 0, v, 0, 16 * PG, R, &a));
		ASSERT_TRUE(a >= ROOT_BASE && a + 16 * PG <= ROOT_END);
		ASSERT_TRUE(!mxt_linux_mapped(a));
		ASSERT_TRUE(!mxt_linux_mapped(a + 15 * PG));
		ASSERT_OK(mx_vmar_allocate(r, 0, 16 * PG, CR, &c, &cb));
		ASSERT_TRUE(!mxt_linux_mapped(cb));
		ASSERT_TRUE(!mxt_linux_mapped(cb + 15 * PG));
		ASSERT_TRUE(cb + 16 * PG <= a || cb >= a + 16 * PG);
		ASSERT_OK(mx_handle_close(c));
	}
}

/* The caller's own Linux mapping: a SPECIFIC record over it is refused. */
TEST(record_refuses_a_range_the_caller_has)
{
	mx_handle_t p = 0, r = create("taken", &p, NULL), v = vmo(PG), c;
	char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t a;

	ASSERT_TRUE(m != MAP_FAILED);
	ASSERT_TRUE((uintptr_t)m >= ROOT_BASE);
	m[0] = 42;
	ASSERT_STATUS(mx_vmar_map(r, (uintptr_t)m - ROOT_BASE, v, 0, PG,
				  R | SPEC, &a), MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmar_allocate(r, (uintptr_t)m - ROOT_BASE, PG, SPEC,
				       &c, &a), MX_ERR_NO_MEMORY);
	ASSERT_EQ(m[0], 42);
}

/* ---- the start ---- */

/* What the started processes below were told, before the start. */
static struct {
	uintptr_t data;		/* a recorded mapping of "pattern" */
	uintptr_t sub;		/* a recorded sub-VMAR, 16 pages */
	uintptr_t sub_map;	/* a mapping in it, one page, of 'S' */
	uintptr_t rw;		/* R|W, its second page protected to R */
	uintptr_t gone;		/* a mapping unmapped before the start */
	uintptr_t destroyed;	/* a sub-VMAR destroyed before the start */
} layout;

static const char pattern[16] = "recorded-layout";

/*
 * Read the pattern at @arg2 (a recorded mapping), write 'C' at its offset
 * 100, send the pattern and the address of a local (on the stack given),
 * exit 7.
 */
struct data_report {
	char seen[16];
	uint64_t local;
};

static void entry_data(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;
	volatile struct data_report rep;
	struct data_report out;

	memcpy((void *)rep.seen, (const void *)arg2, sizeof(rep.seen));
	rep.local = (uintptr_t)&rep;
	((volatile char *)arg2)[100] = 'C';
	memcpy(&out, (const void *)&rep, sizeof(out));
	mx_channel_write(ch, 0, &out, sizeof(out), NULL, 0);
	mx_process_exit(7);
}

TEST(start_with_data_and_stack_in_vmos)
{
	mx_handle_t p = 0, t = 0, r = create("data", &p, &t), ch, c1;
	mx_handle_t data = vmo(2 * PG), stack = vmo(64 * PG);
	uintptr_t d, s;
	struct data_report rep;
	size_t actual;
	char c = 0;

	ASSERT_OK(mx_vmo_write(data, pattern, 0, sizeof(pattern), &actual));
	ASSERT_EQ(actual, sizeof(pattern));
	ASSERT_OK(mx_vmar_map(r, 0, data, 0, 2 * PG, R | W, &d));
	ASSERT_OK(mx_vmar_map(r, 0, stack, 0, 64 * PG, R | W, &s));
	ASSERT_TRUE(!mxt_linux_mapped(d) && !mxt_linux_mapped(s));
	mxt_channel(&ch, &c1);
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_data, s + 64 * PG,
				   c1, d));
	read_msg(ch, &rep, sizeof(rep));
	ASSERT_EQ(memcmp(rep.seen, pattern, sizeof(pattern)), 0);
	/* It ran on the stack in the VMO. */
	ASSERT_TRUE(rep.local >= s && rep.local < s + 64 * PG);
	ASSERT_EQ(mxt_return_code_after_death(p), 7);
	/* Its write went to the VMO's pages. */
	ASSERT_OK(mx_vmo_read(data, &c, 100, 1, &actual));
	ASSERT_EQ(c, 'C');
	/* Still nothing in the caller there. */
	ASSERT_TRUE(!mxt_linux_mapped(d));
}

/* Writes by either side are seen by the other while the child runs. */
static void entry_shared(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1;
	volatile char *m = (volatile char *)arg2;
	char c = 0;

	/* Wait for the parent's 'P', answer 'Q' beside it. */
	mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(ch, 0, &c, NULL, 1, 0, NULL, NULL);
	c = m[PG];
	m[PG + 1] = 'Q';
	mx_channel_write(ch, 0, &c, 1, NULL, 0);
	mxt_entry_ready(arg1, 0);
}

TEST(start_shares_the_vmo_pages_both_ways)
{
	mx_handle_t p = 0, t = 0, r = create("share", &p, &t), ch, c1;
	mx_handle_t data = vmo(2 * PG);
	uintptr_t d, stack = mxt_stack(NULL);
	size_t actual;
	char c = 0, ok[2];

	ASSERT_OK(mx_vmar_map(r, 0, data, 0, 2 * PG, R | W, &d));
	mxt_channel(&ch, &c1);
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_shared, stack, c1,
				   d));
	ASSERT_OK(mx_vmo_write(data, "P", PG, 1, &actual));
	ASSERT_OK(mx_channel_write(ch, 0, "go", 2, NULL, 0));
	read_msg(ch, &c, 1);
	ASSERT_EQ(c, 'P');
	read_msg(ch, ok, 2);
	ASSERT_OK(mx_vmo_read(data, &c, PG + 1, 1, &actual));
	ASSERT_EQ(c, 'Q');
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

TEST(start_with_code_in_a_vmo)
{
#if defined(__x86_64__)
	/* mov edi, 42; mov eax, 231 (exit_group); syscall; ud2 */
	static const unsigned char code[] = {
		0xbf, 0x2a, 0x00, 0x00, 0x00,
		0xb8, 0xe7, 0x00, 0x00, 0x00,
		0x0f, 0x05,
		0x0f, 0x0b,
	};
	mx_handle_t p = 0, t = 0, r = create("code", &p, &t), ch, c1;
	mx_handle_t text = vmo(PG), stack = vmo(16 * PG);
	uintptr_t x, s;
	size_t actual;

	ASSERT_OK(mx_vmo_write(text, code, 64, sizeof(code), &actual));
	ASSERT_EQ(actual, sizeof(code));
	ASSERT_OK(mx_vmar_map(r, 0, text, 0, PG, R | X, &x));
	ASSERT_OK(mx_vmar_map(r, 0, stack, 0, 16 * PG, R | W, &s));
	ASSERT_TRUE(!mxt_linux_mapped(x));
	mxt_channel(&ch, &c1);
	ASSERT_OK(mx_process_start(p, t, x + 64, s + 16 * PG, c1, 0));
	ASSERT_EQ(mxt_return_code_after_death(p), 42);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
#else
	SKIP("the code is x86-64 machine code");
#endif
}

/* What a started process finds of its recorded layout. */
struct seen {
	uint64_t root_koid;
	int32_t sub_map_byte;		/* at layout.sub_map */
	int32_t sub_readable;		/* readable(layout.sub) */
	int32_t sub_mapped;		/* mxt_linux_mapped(layout.sub) */
	int32_t noreplace_errno;	/* MAP_FIXED_NOREPLACE in the sub */
	int32_t noreplace_errno2;	/* the same, its last page */
	int32_t hint_inside;		/* a plain mmap's hint was taken */
	int32_t over_map;		/* SPECIFIC over layout.data */
	int32_t over_sub;		/* SPECIFIC over layout.sub_map */
	int32_t own_map;		/* a new mapping of its own, used */
	int32_t data_byte;		/* at layout.data */
	int32_t data_writable;		/* writable(layout.data) */
	int32_t rw_writable;		/* writable(layout.rw) */
	int32_t rw_writable2;		/* writable(layout.rw + PG) */
	int32_t rw_readable2;		/* readable(layout.rw + PG) */
	int32_t gone_errno;		/* NOREPLACE at layout.gone */
	int32_t destroyed_errno;	/* and at layout.destroyed */
};

static int32_t map_errno(uintptr_t addr)
{
	void *m = mmap((void *)addr, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0);

	if (m != MAP_FAILED)
		return 0;
	return errno;
}

static void entry_inspect(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1, root = mx_vmar_root_self(), v = 0;
	mx_info_handle_basic_t b;
	struct seen out;
	uintptr_t a = 0;
	void *m;

	(void)arg2;
	memset(&out, 0, sizeof(out));
	if (mx_object_get_info(root, MX_INFO_HANDLE_BASIC, &b, sizeof(b),
			       NULL, NULL) == MX_OK)
		out.root_koid = b.koid;
	out.sub_map_byte = *(volatile char *)layout.sub_map;
	out.data_byte = *(volatile char *)layout.data;
	out.data_writable = writable(layout.data);
	out.rw_writable = writable(layout.rw);
	out.rw_writable2 = writable(layout.rw + PG);
	out.rw_readable2 = readable(layout.rw + PG);
	out.gone_errno = map_errno(layout.gone);
	out.destroyed_errno = map_errno(layout.destroyed);
	out.sub_readable = readable(layout.sub);
	out.sub_mapped = mxt_linux_mapped(layout.sub);
	out.noreplace_errno = map_errno(layout.sub);
	out.noreplace_errno2 = map_errno(layout.sub + 15 * PG);
	m = mmap((void *)(layout.sub + 2 * PG), PG, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	out.hint_inside = m == MAP_FAILED ? -1 :
		((uintptr_t)m >= layout.sub &&
		 (uintptr_t)m < layout.sub + 16 * PG);
	out.own_map = -1;
	if (mx_vmo_create(PG, 0, &v) == MX_OK) {
		out.over_map = mx_vmar_map(root, layout.data - ROOT_BASE, v, 0,
					   PG, R | SPEC, &a);
		out.over_sub = mx_vmar_map(root, layout.sub_map - ROOT_BASE, v,
					   0, PG, R | SPEC, &a);
		a = 0;
		out.own_map = mx_vmar_map(root, 0, v, 0, PG, R | W, &a);
		if (out.own_map == MX_OK) {
			*(volatile char *)a = 'o';
			if (*(volatile char *)a != 'o')
				out.own_map = -2;
		}
	}
	mx_channel_write(ch, 0, &out, sizeof(out), NULL, 0);
	mxt_entry_ready(arg1, 0);
}

/*
 * A process with one recorded mapping in its root (layout.data: "rec...")
 * and a sub-VMAR of 16 pages (layout.sub) with a page of 'S' at its page 4
 * (layout.sub_map), started running entry_inspect: what it saw.
 */
static void start_inspect(mx_handle_t *p, mx_handle_t *r, struct seen *out)
{
	mx_handle_t t = 0, ch, c1, data = vmo(PG), sv = vmo(2 * PG), c, d;
	uintptr_t stack = mxt_stack(NULL), a;
	size_t actual;
	char ok[2];

	*r = create("inspect", p, &t);
	ASSERT_OK(mx_vmo_write(data, pattern, 0, sizeof(pattern), &actual));
	ASSERT_OK(mx_vmo_write(sv, "S", 0, 1, &actual));
	ASSERT_OK(mx_vmar_map(*r, 0, data, 0, PG, R, &layout.data));
	ASSERT_OK(mx_vmar_allocate(*r, 0, 16 * PG, CR | CW | CS, &c,
				   &layout.sub));
	ASSERT_OK(mx_vmar_map(c, 4 * PG, sv, 0, PG, R | SPEC,
			      &layout.sub_map));
	ASSERT_EQ(layout.sub_map, layout.sub + 4 * PG);
	ASSERT_TRUE(!mxt_linux_mapped(layout.sub));
	ASSERT_OK(mx_vmar_map(*r, 0, sv, 0, 2 * PG, R | W, &layout.rw));
	ASSERT_OK(mx_vmar_protect(*r, layout.rw + PG, PG, R));
	ASSERT_OK(mx_vmar_map(*r, 0, sv, 0, PG, R, &layout.gone));
	ASSERT_OK(mx_vmar_unmap(*r, layout.gone, PG));
	ASSERT_OK(mx_vmar_allocate(*r, 0, 4 * PG, CR, &d, &layout.destroyed));
	ASSERT_OK(mx_vmar_map(d, 0, sv, 0, PG, R, &a));
	ASSERT_OK(mx_vmar_destroy(d));
	/* The record holds the VMOs: their handles may go. */
	ASSERT_OK(mx_handle_close(sv));
	ASSERT_OK(mx_handle_close(data));
	mxt_channel(&ch, &c1);
	ASSERT_OK(mx_process_start(*p, t, (uintptr_t)entry_inspect, stack, c1,
				   0));
	read_msg(ch, out, sizeof(*out));
	read_msg(ch, ok, 2);
}

TEST(started_process_has_the_sub_vmar_and_its_mapping)
{
	mx_handle_t p = 0, r = 0;
	struct seen s;

	start_inspect(&p, &r, &s);
	ASSERT_EQ(s.data_byte, pattern[0]);
	ASSERT_EQ(s.sub_map_byte, 'S');
	/* The rest of the sub-VMAR is reserved: not readable, not free. */
	ASSERT_EQ(s.sub_mapped, 1);
	ASSERT_EQ(s.sub_readable, 0);
	ASSERT_EQ(s.noreplace_errno, EEXIST);
	ASSERT_EQ(s.noreplace_errno2, EEXIST);
	ASSERT_EQ(s.hint_inside, 0);
	/* With the permissions recorded, after a protect too. */
	ASSERT_EQ(s.data_writable, 0);
	ASSERT_EQ(s.rw_writable, 1);
	ASSERT_EQ(s.rw_writable2, 0);
	ASSERT_EQ(s.rw_readable2, 1);
	/* What was unmapped or destroyed before the start is free. */
	ASSERT_EQ(s.gone_errno, 0);
	ASSERT_EQ(s.destroyed_errno, 0);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

TEST(started_process_root_is_the_same_vmar)
{
	mx_handle_t p = 0, r = 0;
	struct seen s;

	start_inspect(&p, &r, &s);
	ASSERT_EQ(s.root_koid, mxt_basic(r).koid);
	/* The recorded mappings are in its tree. */
	ASSERT_STATUS(s.over_map, MX_ERR_NO_MEMORY);
	ASSERT_STATUS(s.over_sub, MX_ERR_NO_MEMORY);
	/* And its root maps in its own address space from then on. */
	ASSERT_STATUS(s.own_map, MX_OK);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

/* The caller's handles to @r and @c (a sub-VMAR with a mapping at @a). */
static void creator_calls(mx_handle_t r, mx_handle_t c, uintptr_t a,
			  mx_status_t want)
{
	mx_handle_t v = vmo(PG), c2;
	uintptr_t b;

	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R, &b), want);
	ASSERT_STATUS(mx_vmar_map(c, 0, v, 0, PG, R, &b), want);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG, 0, &c2, &b), want);
	ASSERT_STATUS(mx_vmar_allocate(c, 0, PG, 0, &c2, &b), want);
	ASSERT_STATUS(mx_vmar_protect(c, a, PG, R), want);
	ASSERT_STATUS(mx_vmar_protect(r, a, PG, R), want);
	ASSERT_STATUS(mx_vmar_unmap(c, a, PG), want);
	ASSERT_STATUS(mx_vmar_unmap(r, a, PG), want);
	ASSERT_STATUS(mx_vmar_destroy(c), want);
	ASSERT_STATUS(mx_vmar_destroy(r), want);
	/* MX_INFO_VMAR still works. */
	ASSERT_EQ(mxt_vmar_info(r).base, ROOT_BASE);
	ASSERT_EQ(mxt_vmar_info(r).len, ROOT_LEN);
	ASSERT_EQ(mxt_vmar_info(c).len, 16 * PG);
}

TEST(creator_handle_after_start_and_after_end)
{
	mx_handle_t p = 0, t = 0, r = create("after", &p, &t), ch, c1, c;
	mx_handle_t v = vmo(PG);
	uintptr_t stack = mxt_stack(NULL), cb, a;
	char ok[2];

	ASSERT_OK(mx_vmar_allocate(r, 0, 16 * PG, CR | CW | CS, &c, &cb));
	ASSERT_OK(mx_vmar_map(c, 0, v, 0, PG, R | W | SPEC, &a));
	mxt_channel(&ch, &c1);
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)mxt_entry_ready, stack,
				   c1, 0));
	read_msg(ch, ok, 2);
	creator_calls(r, c, a, MX_ERR_NOT_SUPPORTED);
	ASSERT_EQ(mxt_vmar_info(c).base, cb);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	creator_calls(r, c, a, MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_vmar_info(c).base, cb);
}

/* Says "ran" on @arg1: must never run when the layout cannot be applied. */
static void entry_ran(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg2;
	mx_channel_write((mx_handle_t)arg1, 0, "ran", 3, NULL, 0);
	mx_process_exit(0);
}

/*
 * Start @p (root VMAR @r), whose recorded range the caller has taken
 * since: killed before its entry, its VMARs gone.
 */
static void start_conflicted(mx_handle_t p, mx_handle_t t, mx_handle_t r)
{
	mx_handle_t ch, c1, v = vmo(PG), c;
	uintptr_t stack = mxt_stack(NULL), a;

	mxt_channel(&ch, &c1);
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_ran, stack, c1, 0));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
	ASSERT_EQ(mxt_signals(ch) & MX_CHANNEL_READABLE, 0);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R, &a), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_vmar_allocate(r, 0, PG, 0, &c, &a),
		      MX_ERR_BAD_STATE);
	ASSERT_EQ(mxt_vmar_info(r).base, ROOT_BASE);
}

/* Map @len bytes at @addr in the caller, where nothing may be. */
static void take(uintptr_t addr, size_t len)
{
	char *m = mmap((void *)addr, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		       0);

	if (m == MAP_FAILED)
		FAIL("mmap at 0x%lx: %s", (unsigned long)addr,
		     strerror(errno));
	ASSERT_EQ((uintptr_t)m, addr);
	m[0] = 1;
}

TEST(start_kills_when_a_recorded_mapping_is_taken)
{
	mx_handle_t p = 0, t = 0, r = create("conflict", &p, &t), v = vmo(PG);
	uintptr_t a, b;

	/* A free place, then a SPECIFIC record there. */
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R, &a));
	ASSERT_OK(mx_vmar_unmap(r, a, PG));
	ASSERT_OK(mx_vmar_map(r, a - ROOT_BASE, v, 0, PG, R | W | SPEC, &b));
	ASSERT_EQ(b, a);
	take(a, PG);
	start_conflicted(p, t, r);
}

TEST(start_kills_when_a_recorded_sub_vmar_is_taken)
{
	mx_handle_t p = 0, t = 0, r = create("conflict", &p, &t), c;
	uintptr_t cb;

	ASSERT_OK(mx_vmar_allocate(r, 0, 16 * PG, CR, &c, &cb));
	/* Its last page only, with nothing mapped in it. */
	take(cb + 15 * PG, PG);
	start_conflicted(p, t, r);
}

/* Another process starts it: what the creator sends, what it takes first. */
struct starter {
	int fd;			/* a channel carrying process, thread, arg1 */
	uintptr_t data;		/* arg2 */
	uintptr_t take;		/* mapped before the start, unless 0 */
};

static void start_elsewhere(void *arg)
{
	struct starter *s = arg;
	mx_handle_t ch, hs[3];
	uint32_t nb = 0, nh = 0;
	char b;

	ASSERT_OK(mx_handle_from_fd(s->fd, &ch));
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, &b, hs, 1, 3, &nb, &nh));
	ASSERT_EQ(nh, 3);
	if (s->take)
		take(s->take, PG);
	ASSERT_OK(mx_process_start(hs[0], hs[1], (uintptr_t)entry_data,
				   mxt_stack(NULL), hs[2], s->data));
}

/*
 * A process whose layout (a mapping of the pattern) this process records,
 * started by a child of this one (which maps @take first, unless 0):
 * the channel to the started process, *@data the recorded mapping.
 */
static mx_handle_t started_elsewhere(mx_handle_t *p, uintptr_t *data,
				     int take_it)
{
	mx_handle_t t = 0, r = create("elsewhere", p, &t), v = vmo(PG);
	mx_handle_t to[2], ch, c1, hs[3];
	struct starter s;
	size_t actual;

	ASSERT_OK(mx_vmo_write(v, pattern, 0, sizeof(pattern), &actual));
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R | W, data));
	mxt_channel(&ch, &c1);
	mxt_channel(&to[0], &to[1]);
	/* Duplicates: the thread and the process outlive the starter. */
	hs[0] = mxt_dup(*p, MX_RIGHT_SAME_RIGHTS);
	hs[1] = mxt_dup(t, MX_RIGHT_SAME_RIGHTS);
	hs[2] = c1;
	ASSERT_OK(mx_channel_write(to[0], 0, "x", 1, hs, 3));
	s.data = *data;
	s.take = take_it ? *data : 0;
	ASSERT_OK(mx_handle_to_fd(to[1], 0, &s.fd));
	mxt_in_child(start_elsewhere, &s);
	close(s.fd);
	return ch;
}

TEST(started_by_another_process)
{
	mx_handle_t p = 0, ch;
	uintptr_t d;
	struct data_report rep;
	mx_info_process_t i;

	ch = started_elsewhere(&p, &d, 0);
	read_msg(ch, &rep, sizeof(rep));
	ASSERT_EQ(memcmp(rep.seen, pattern, sizeof(pattern)), 0);
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	i = mxt_process_info(p);
	ASSERT_EQ(i.exited, 1);
	ASSERT_EQ(i.return_code, 7);
}

TEST(started_by_another_process_that_took_the_range)
{
	mx_handle_t p = 0, ch;
	uintptr_t d;
	mx_info_process_t i;

	ch = started_elsewhere(&p, &d, 1);
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	i = mxt_process_info(p);
	ASSERT_EQ(i.exited, 1);
	ASSERT_EQ(i.return_code, -1);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
	ASSERT_EQ(mxt_signals(ch) & MX_CHANNEL_READABLE, 0);
	/* Here the range was never taken. */
	ASSERT_TRUE(!mxt_linux_mapped(d));
}

/* ---- a process never started ---- */

/* A few rounds of create, record, close: more objects than the limit. */
static void never_started_rounds(void)
{
	mx_handle_t p, r, v, c, keep = MX_HANDLE_INVALID;
	uintptr_t a, cb;
	size_t actual, n;
	char buf[4];
	int i;

	mxt_become(4362);
	n = mxt_nhandles();
	for (i = 0; i < 40; i++) {
		p = 0;
		r = create("never", &p, NULL);
		v = vmo(4 * PG);
		ASSERT_OK(mx_vmo_write(v, "page", PG, 4, &actual));
		ASSERT_OK(mx_vmar_allocate(r, 0, 16 * PG, CR | CW, &c, &cb));
		ASSERT_OK(mx_vmar_map(c, 0, v, 0, 4 * PG, R | W, &a));
		ASSERT_OK(mx_vmar_map(r, 0, v, 0, 2 * PG, R, &a));
		/* The mappings hold the VMO once its handle is closed. */
		if (i == 0)
			keep = mxt_dup(v, MX_RIGHT_SAME_RIGHTS);
		ASSERT_OK(mx_handle_close(v));
		ASSERT_OK(mx_handle_close(c));
		if (i % 2) {
			ASSERT_OK(mx_handle_close(p));
			ASSERT_OK(mx_handle_close(r));
		} else {
			ASSERT_OK(mx_handle_close(r));
			ASSERT_OK(mx_handle_close(p));
		}
	}
	ASSERT_EQ(mxt_nhandles(), n + 1);
	/* A VMO that had another handle is still whole. */
	ASSERT_EQ(mxt_signals(keep) & MX_SIGNAL_LAST_HANDLE,
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_vmo_read(keep, buf, PG, 4, &actual));
	ASSERT_EQ(memcmp(buf, "page", 4), 0);
	ASSERT_OK(mx_handle_close(keep));
}

static void never_started_limited(void)
{
	mxt_with_param("max_user_objects", "24", never_started_rounds);
}

TEST(never_started_process_frees_its_record)
{
	if (geteuid() != 0)
		SKIP("needs root to set a module parameter");
	/* 40 rounds of 3 objects and 2 mapping records each. */
	mxt_with_param("max_user_vmar_mappings", "8", never_started_limited);
}

/* The root VMAR's handle is an object of the user's, like the process. */
static void vmar_handle_charged(void)
{
	mx_handle_t ev[64], p, v, extra = MX_HANDLE_INVALID;
	size_t n = 0, before;
	mx_status_t s = MX_OK;

	mxt_become(4363);
	while (n < 64 && (s = mx_event_create(0, &ev[n])) == MX_OK)
		n++;
	ASSERT_STATUS(s, MX_ERR_NO_RESOURCES);
	ASSERT_TRUE(n > 2);
	/* Room for one object: the process alone, not with its VMAR. */
	ASSERT_OK(mx_handle_close(ev[--n]));
	before = mxt_nhandles();
	p = v = 0x55;
	ASSERT_STATUS(mx_process_create(mx_job_default(), "full", 4, 0, &p,
					&v), MX_ERR_NO_RESOURCES);
	ASSERT_EQ(p, 0x55);
	ASSERT_EQ(mxt_nhandles(), before);
	ASSERT_OK(mx_process_create(mx_job_default(), "one", 3, 0, &p, NULL));
	ASSERT_STATUS(mx_event_create(0, &extra), MX_ERR_NO_RESOURCES);
	ASSERT_OK(mx_handle_close(p));
	/* Room for two. */
	ASSERT_OK(mx_handle_close(ev[--n]));
	ASSERT_OK(mx_process_create(mx_job_default(), "two", 3, 0, &p, &v));
	ASSERT_EQ(mxt_basic(v).type, MX_OBJ_TYPE_VMAR);
	ASSERT_STATUS(mx_event_create(0, &extra), MX_ERR_NO_RESOURCES);
	/* Closed, both are given back. */
	ASSERT_OK(mx_handle_close(v));
	ASSERT_OK(mx_handle_close(p));
	ASSERT_OK(mx_event_create(0, &ev[n++]));
	ASSERT_OK(mx_event_create(0, &ev[n++]));
	ASSERT_STATUS(mx_event_create(0, &extra), MX_ERR_NO_RESOURCES);
}

TEST(root_vmar_handle_counts_as_an_object)
{
	if (geteuid() != 0)
		SKIP("needs root to set a module parameter");
	mxt_with_param("max_user_objects", "16", vmar_handle_charged);
}

/* ---- MX_INFO_PROCESS_MAPS ---- */

static void check_head(const mx_info_maps_t *m, mx_handle_t p)
{
	char name[MX_MAX_NAME_LEN];

	snprintf(name, sizeof(name), "proc:%llu",
		 (unsigned long long)mxt_basic(p).koid);
	ASSERT_EQ(m[0].type, MX_INFO_MAPS_TYPE_ASPACE);
	ASSERT_EQ(m[0].depth, 0);
	ASSERT_EQ(strcmp(m[0].name, name), 0);
	ASSERT_EQ(m[0].base, 0x1000000);
	ASSERT_EQ(m[0].size, 0x7ffffefff000);
	ASSERT_EQ(m[1].type, MX_INFO_MAPS_TYPE_VMAR);
	ASSERT_EQ(m[1].depth, 1);
	ASSERT_EQ(strcmp(m[1].name, "root"), 0);
	ASSERT_EQ(m[1].base, 0x1000000);
	ASSERT_EQ(m[1].size, 0x7ffffefff000);
}

/* A mapping record, of the VMO of koid @koid. */
static void check_record(const mx_info_maps_t *m, const char *name,
			 uintptr_t base, size_t size, uint64_t depth,
			 uint32_t flags, mx_koid_t koid, uint64_t committed)
{
	ASSERT_EQ(m->type, MX_INFO_MAPS_TYPE_MAPPING);
	if (strcmp(m->name, name))
		FAIL("mapping name \"%.*s\", want \"%s\"",
		     (int)sizeof(m->name), m->name, name);
	ASSERT_EQ(m->base, base);
	ASSERT_EQ(m->size, size);
	ASSERT_EQ(m->depth, depth);
	ASSERT_EQ(m->u.mapping.mmu_flags, flags);
	ASSERT_EQ(m->u.mapping.vmo_koid, koid);
	ASSERT_EQ(m->u.mapping.committed_pages, committed);
}

/* A mapping record, of VMO @v. */
static void check_mapping(const mx_info_maps_t *m, const char *name,
			  uintptr_t base, size_t size, uint64_t depth,
			  uint32_t flags, mx_handle_t v, uint64_t committed)
{
	check_record(m, name, base, size, depth, flags, mxt_basic(v).koid,
		     committed);
}

static void check_sub(const mx_info_maps_t *m, uintptr_t base, size_t size,
		      uint64_t depth)
{
	ASSERT_EQ(m->type, MX_INFO_MAPS_TYPE_VMAR);
	ASSERT_EQ(strcmp(m->name, "useralloc"), 0);
	ASSERT_EQ(m->base, base);
	ASSERT_EQ(m->size, size);
	ASSERT_EQ(m->depth, depth);
}

static size_t maps_of(mx_handle_t p, mx_info_maps_t *m, size_t n,
		      size_t *avail)
{
	size_t actual = 99;

	*avail = 99;
	memset(m, 0xa5, n * sizeof(*m));
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_MAPS, m,
				     n * sizeof(*m), &actual, avail));
	return actual;
}

/* Start @p running mxt_entry_ready; return once it said "ok". */
static void start_ready(mx_handle_t p, mx_handle_t t,
			void (*entry)(uintptr_t, uintptr_t), mx_handle_t *ch)
{
	mx_handle_t c1;
	uintptr_t stack = mxt_stack(NULL);
	char ok[2];

	mxt_channel(ch, &c1);
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry, stack, c1, 0));
	read_msg(*ch, ok, 2);
	ASSERT_EQ(memcmp(ok, "ok", 2), 0);
}

TEST(maps_lists_the_recorded_tree)
{
	mx_handle_t p = 0, t = 0, r = create("maps", &p, &t), ch, c;
	mx_handle_t va = vmo(8 * PG), vb = vmo(2 * PG);
	uintptr_t cb, a, b;
	mx_info_maps_t m[8];
	size_t actual, avail, i, sub, root_map;

	ASSERT_EQ(sizeof(mx_info_maps_t), 88);
	ASSERT_OK(mx_object_set_property(va, MX_PROP_NAME, "vmo-a", 5));
	/* va: pages 0 and 2 written; vb: page 1. */
	ASSERT_OK(mx_vmo_write(va, "0", 0, 1, &actual));
	ASSERT_OK(mx_vmo_write(va, "2", 2 * PG, 1, &actual));
	ASSERT_OK(mx_vmo_write(vb, "1", PG, 1, &actual));
	ASSERT_OK(mx_vmar_allocate(r, 0, 32 * PG, CR | CW | CS, &c, &cb));
	/* va's pages 1 to 4 (one written) at page 8 of the sub-VMAR. */
	ASSERT_OK(mx_vmar_map(c, 8 * PG, va, PG, 4 * PG, R | W | SPEC, &a));
	ASSERT_OK(mx_vmar_protect(c, a, 4 * PG, R));
	ASSERT_OK(mx_vmar_map(r, 0, vb, 0, 2 * PG, R | X, &b));
	start_ready(p, t, mxt_entry_ready, &ch);

	ASSERT_EQ(maps_of(p, m, 8, &avail), 5);
	ASSERT_EQ(avail, 5);
	check_head(m, p);
	/* The root's two children in address order. */
	sub = cb < b ? 2 : 3;
	root_map = cb < b ? 4 : 2;
	check_sub(&m[sub], cb, 32 * PG, 2);
	check_mapping(&m[sub + 1], "vmo-a", a, 4 * PG, 3, R, va, 1);
	check_mapping(&m[root_map], "", b, 2 * PG, 2, R | X, vb, 1);
	/* Records past actual are untouched. */
	for (i = 0; i < sizeof(m[5]); i++)
		ASSERT_EQ(((unsigned char *)&m[5])[i], 0xa5);

	/* Committed pages and names as they are now. */
	ASSERT_OK(mx_vmo_write(va, "3", 3 * PG, 1, &actual));
	ASSERT_OK(mx_vmo_write(va, "6", 6 * PG, 1, &actual));
	ASSERT_OK(mx_vmo_op_range(vb, MX_VMO_OP_COMMIT, 0, 2 * PG, NULL, 0));
	ASSERT_OK(mx_object_set_property(vb, MX_PROP_NAME, "later", 5));
	ASSERT_EQ(maps_of(p, m, 8, &avail), 5);
	check_mapping(&m[sub + 1], "vmo-a", a, 4 * PG, 3, R, va, 2);
	check_mapping(&m[root_map], "later", b, 2 * PG, 2, R | X, vb, 2);

	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

TEST(maps_lists_nested_sub_vmars_depth_first)
{
	mx_handle_t p = 0, t = 0, r = create("nested", &p, &t), ch, va, vb;
	mx_handle_t outer, inner;
	uintptr_t ob, ib, a1, a2, a3;
	mx_info_maps_t m[8];
	size_t avail;

	va = vmo(PG);
	vb = vmo(PG);
	ASSERT_OK(mx_object_set_property(va, MX_PROP_NAME, "deep", 4));
	ASSERT_OK(mx_object_set_property(vb, MX_PROP_NAME, "shallow", 7));
	/*
	 * outer (64 pages): a mapping at page 2, inner (16 pages) at page 8
	 * with a mapping at its page 4, a mapping at page 40.
	 */
	ASSERT_OK(mx_vmar_allocate(r, 0, 64 * PG, CR | CW | CS, &outer, &ob));
	ASSERT_OK(mx_vmar_map(outer, 40 * PG, vb, 0, PG, R | SPEC, &a3));
	ASSERT_OK(mx_vmar_allocate(outer, 8 * PG, 16 * PG,
				   CR | CW | CS | SPEC, &inner, &ib));
	ASSERT_OK(mx_vmar_map(inner, 4 * PG, va, 0, PG, R | W | SPEC, &a2));
	ASSERT_OK(mx_vmar_map(outer, 2 * PG, vb, 0, PG, R | W | SPEC, &a1));
	ASSERT_EQ(ib, ob + 8 * PG);
	start_ready(p, t, mxt_entry_ready, &ch);
	/* The child writes nothing; the parent writes va's page. */
	ASSERT_OK(mx_vmo_write(va, "d", 0, 1, &avail));
	ASSERT_EQ(maps_of(p, m, 8, &avail), 7);
	ASSERT_EQ(avail, 7);
	check_head(m, p);
	check_sub(&m[2], ob, 64 * PG, 2);
	check_mapping(&m[3], "shallow", a1, PG, 3, R | W, vb, 0);
	check_sub(&m[4], ib, 16 * PG, 3);
	check_mapping(&m[5], "deep", a2, PG, 4, R | W, va, 1);
	check_mapping(&m[6], "shallow", a3, PG, 3, R, vb, 0);
	/* Truncated inside the tree: the first records, the same. */
	ASSERT_EQ(maps_of(p, m, 5, &avail), 5);
	ASSERT_EQ(avail, 7);
	check_sub(&m[4], ib, 16 * PG, 3);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

TEST(maps_truncates_and_counts)
{
	mx_handle_t p = 0, t = 0, r = create("trunc", &p, &t), ch, v = vmo(PG);
	uintptr_t a;
	mx_info_maps_t m[4];
	size_t actual, avail, i;

	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R, &a));
	start_ready(p, t, mxt_entry_ready, &ch);
	/* One record's room: the next is not written. */
	memset(m, 0xa5, sizeof(m));
	actual = avail = 99;
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_MAPS, m, sizeof(m[0]),
				     &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 3);
	ASSERT_EQ(m[0].type, MX_INFO_MAPS_TYPE_ASPACE);
	ASSERT_EQ(m[0].depth, 0);
	ASSERT_EQ(m[0].size, 0x7ffffefff000);
	for (i = 0; i < sizeof(m[1]); i++)
		ASSERT_EQ(((unsigned char *)&m[1])[i], 0xa5);
	/* Room for one and a half: one. */
	actual = avail = 99;
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_MAPS, m,
				     sizeof(m[0]) * 3 / 2, &actual, &avail));
	ASSERT_EQ(actual, 1);
	ASSERT_EQ(avail, 3);
	/* None. */
	actual = avail = 99;
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_MAPS, NULL, 0,
				     &actual, &avail));
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(avail, 3);
	/* Without the counts. */
	memset(m, 0, sizeof(m));
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_MAPS, m, sizeof(m),
				     NULL, NULL));
	check_head(m, p);
	check_mapping(&m[2], "", a, PG, 2, R, v, 0);
	/* A buffer that cannot be written. */
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_PROCESS_MAPS,
					 mxt_read_only_page(), sizeof(m),
					 &actual, &avail),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_get_info(p, MX_INFO_PROCESS_MAPS, (void *)16,
					 sizeof(m), &actual, &avail),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

TEST(maps_of_a_process_without_vmar_calls)
{
	mx_handle_t p = 0, t = 0, ch;
	mx_info_maps_t m[4];
	size_t avail;

	ASSERT_OK(mx_process_create(mx_job_default(), "plain", 5, 0, &p,
				    NULL));
	ASSERT_OK(mx_thread_create(p, "main", 4, 0, &t));
	start_ready(p, t, mxt_entry_ready, &ch);
	ASSERT_EQ(maps_of(p, m, 4, &avail), 2);
	ASSERT_EQ(avail, 2);
	check_head(m, p);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

/*
 * Map a VMO named "child" of 3 pages R|W in its own root, write its first
 * page, protect the last page to R, send what it did (child_map), then
 * say ok and block.
 */
static struct {
	uintptr_t addr;
	uint64_t koid;
	int32_t status;
} child_map;

static void entry_maps_itself(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1, v = 0;
	mx_info_handle_basic_t b;

	(void)arg2;
	memset(&b, 0, sizeof(b));
	memset(&child_map, 0, sizeof(child_map));
	child_map.status = mx_vmo_create(3 * PG, 0, &v);
	if (!child_map.status)
		child_map.status = mx_object_set_property(v, MX_PROP_NAME,
							  "child", 5);
	if (!child_map.status)
		child_map.status = mx_vmar_map(mx_vmar_root_self(), 0, v, 0,
					       3 * PG, R | W,
					       &child_map.addr);
	if (!child_map.status) {
		*(volatile char *)child_map.addr = 1;
		child_map.status = mx_vmar_protect(mx_vmar_root_self(),
						   child_map.addr + 2 * PG,
						   PG, R);
	}
	if (!child_map.status)
		child_map.status = mx_object_get_info(v, MX_INFO_HANDLE_BASIC,
						      &b, sizeof(b), NULL,
						      NULL);
	child_map.koid = b.koid;
	mx_channel_write(ch, 0, &child_map, sizeof(child_map), NULL, 0);
	mxt_entry_ready(arg1, 0);
}

TEST(maps_shows_what_the_process_mapped_itself)
{
	mx_handle_t p = 0, t = 0, ch, c1;
	mx_info_maps_t m[6];
	size_t avail;
	uintptr_t stack = mxt_stack(NULL);
	char ok[2];

	ASSERT_OK(mx_process_create(mx_job_default(), "itself", 6, 0, &p,
				    NULL));
	ASSERT_OK(mx_thread_create(p, "main", 4, 0, &t));
	mxt_channel(&ch, &c1);
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)entry_maps_itself, stack,
				   c1, 0));
	read_msg(ch, &child_map, sizeof(child_map));
	read_msg(ch, ok, 2);
	ASSERT_STATUS(child_map.status, MX_OK);
	ASSERT_EQ(maps_of(p, m, 6, &avail), 4);
	ASSERT_EQ(avail, 4);
	check_head(m, p);
	/* The protect split it in two. */
	check_record(&m[2], "child", child_map.addr, 2 * PG, 2, R | W,
		     child_map.koid, 1);
	check_record(&m[3], "child", child_map.addr + 2 * PG, PG, 2, R,
		     child_map.koid, 0);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
}

/* MX_INFO_PROCESS_MAPS of @h into a buffer of four records. */
static mx_status_t maps_status(mx_handle_t h)
{
	mx_info_maps_t m[4];
	size_t actual = 5, avail = 5;

	return mx_object_get_info(h, MX_INFO_PROCESS_MAPS, m, sizeof(m),
				  &actual, &avail);
}

TEST(maps_errors_in_order)
{
	mx_handle_t p = 0, t = 0, ch, nr, never = 0, e = mxt_event();
	mx_info_maps_t m[4];
	size_t actual = 5, avail = 5;

	ASSERT_OK(mx_process_create(mx_job_default(), "errs", 4, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "main", 4, 0, &t));
	ASSERT_OK(mx_process_create(mx_job_default(), "never", 5, 0, &never,
				    NULL));
	/* Never started. */
	ASSERT_STATUS(maps_status(never), MX_ERR_BAD_STATE);
	ASSERT_STATUS(maps_status(mxt_dup(never, 0x3CF & ~MX_RIGHT_READ)),
		      MX_ERR_ACCESS_DENIED);
	start_ready(p, t, mxt_entry_ready, &ch);
	ASSERT_STATUS(maps_status(12345), MX_ERR_BAD_HANDLE);
	nr = mxt_dup(p, 0x3CF & ~MX_RIGHT_READ);
	ASSERT_STATUS(maps_status(nr), MX_ERR_ACCESS_DENIED);
	/* The right before the type. */
	ASSERT_STATUS(maps_status(mxt_dup(e, MX_RIGHT_TRANSFER)),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(maps_status(t), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(maps_status(mx_job_default()), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(maps_status(e), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(maps_status(mx_vmar_root_self()), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(maps_status(mx_process_self()), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_object_get_info(mx_process_self(),
					 MX_INFO_PROCESS_MAPS, NULL, 0,
					 &actual, &avail),
		      MX_ERR_ACCESS_DENIED);
	/* The running one works; killed, it is BAD_STATE. */
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS_MAPS, m, sizeof(m),
				     &actual, &avail));
	ASSERT_EQ(actual, 2);
	ASSERT_OK(mx_task_kill(p));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_STATUS(maps_status(p), MX_ERR_BAD_STATE);
	ASSERT_STATUS(maps_status(nr), MX_ERR_ACCESS_DENIED);
}

/* ---- a second user ---- */

/* The first user's process, root VMAR and a recorded mapping. */
struct theirs {
	mx_handle_t p, r;
	uintptr_t a;
};

static void as_second_user(void *arg)
{
	struct theirs *th = arg;
	mx_handle_t p = 0, t = 0, r, ch, v, c;
	mx_info_maps_t m[4];
	size_t actual = 0, avail = 0;
	uintptr_t a, b;

	/* The first user's handle values mean nothing here. */
	ASSERT_STATUS(maps_status(th->p), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_object_get_info(th->r, MX_INFO_VMAR, m, sizeof(m),
					 &actual, &avail), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_allocate(th->r, 0, PG, 0, &c, &a),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_unmap(th->r, th->a, PG), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_protect(th->r, th->a, PG, R),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmar_destroy(th->r), MX_ERR_BAD_HANDLE);
	/* Its own process, recorded, started, listed. */
	v = vmo(PG);
	r = create("second", &p, &t);
	ASSERT_OK(mx_vmar_map(r, 0, v, 0, PG, R | W, &b));
	ASSERT_TRUE(!mxt_linux_mapped(b));
	start_ready(p, t, mxt_entry_ready, &ch);
	ASSERT_EQ(maps_of(p, m, 4, &avail), 3);
	ASSERT_EQ(avail, 3);
	check_head(m, p);
	check_mapping(&m[2], "", b, PG, 2, R | W, v, 0);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R, &a),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_OK(mx_task_kill(p));
	ASSERT_EQ(mxt_return_code_after_death(p), -1);
	ASSERT_STATUS(mx_vmar_map(r, 0, v, 0, PG, R, &a), MX_ERR_BAD_STATE);
}

TEST(second_user)
{
	mx_handle_t t = 0, ch, v = vmo(PG);
	struct theirs th = { 0, 0, 0 };
	mx_info_maps_t m[4];
	size_t avail;

	if (geteuid() != 0)
		SKIP("needs root to become another user");
	th.r = create("first", &th.p, &t);
	ASSERT_OK(mx_vmar_map(th.r, 0, v, 0, PG, R, &th.a));
	start_ready(th.p, t, mxt_entry_ready, &ch);
	mxt_as_user(1000, as_second_user, &th);
	/* The first user's process is untouched. */
	ASSERT_EQ(maps_of(th.p, m, 4, &avail), 3);
	check_mapping(&m[2], "", th.a, PG, 2, R, v, 0);
	ASSERT_OK(mx_task_kill(th.p));
	ASSERT_EQ(mxt_return_code_after_death(th.p), -1);
}
