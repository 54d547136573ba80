// SPDX-License-Identifier: MIT
/*
 * VMOs: every mx_vmo_* call with its check order and error paths
 * (reference part 2, §2, and the Linux decisions of docs/manual.md
 * "VMOs"), Magenta's vmo suite (vmo_create_test ... vmo_clone_rights_test,
 * vmo_signal_test), and what Linux adds: the fd of mx_handle_to_fd(),
 * its read/write/mmap, mappings shared between processes, SIGBUS past
 * the end, bad pointers, other users, and races of resizes and
 * decommits against copies and faults.
 *
 * Physical addresses (MX_VMO_OP_LOOKUP) need CAP_SYS_ADMIN; the cases run
 * as root and use LOOKUP to tell which pages a VMO holds.
 */
#include "held.h"

#include <linux/futex.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define PG		4096u
#define KERNEL_PTR	((void *)0xffff800000001000ull)

/* ---- helpers */

static mx_handle_t vmo(uint64_t size)
{
	mx_handle_t h = MX_HANDLE_INVALID;

	ASSERT_OK(mx_vmo_create(size, 0, &h));
	ASSERT_TRUE(h > 0);
	return h;
}

static uint64_t vsize(mx_handle_t h)
{
	uint64_t s = 0xdeadbeef;

	ASSERT_OK(mx_vmo_get_size(h, &s));
	return s;
}

static void vwrite(mx_handle_t h, const void *buf, uint64_t off, size_t len)
{
	size_t actual = 0xdead;

	ASSERT_OK(mx_vmo_write(h, buf, off, len, &actual));
	ASSERT_EQ(actual, len);
}

static void vread(mx_handle_t h, void *buf, uint64_t off, size_t len)
{
	size_t actual = 0xdead;

	ASSERT_OK(mx_vmo_read(h, buf, off, len, &actual));
	ASSERT_EQ(actual, len);
}

/* Write @len bytes of @byte at @off. */
static void fill(mx_handle_t h, uint64_t off, size_t len, int byte)
{
	char *b = malloc(len ? len : 1);

	ASSERT_TRUE(b != NULL);
	memset(b, byte, len);
	vwrite(h, b, off, len);
	free(b);
}

/* The @len bytes at @off are all @byte. */
#define EXPECT_BYTES(h, off, len, byte)					\
	do {								\
		size_t _n = (len), _i;					\
		unsigned char *_b = malloc(_n ? _n : 1);		\
		ASSERT_TRUE(_b != NULL);				\
		memset(_b, ~(byte), _n);				\
		vread((h), _b, (off), _n);				\
		for (_i = 0; _i < _n; _i++)				\
			if (_b[_i] != (unsigned char)(byte))		\
				FAIL("byte %zu of %zu at %llu: 0x%02x, want 0x%02x", \
				     _i, _n, (unsigned long long)(off), _b[_i], \
				     (unsigned char)(byte));		\
		free(_b);						\
	} while (0)

/* The @len bytes at @p are all @byte. */
#define EXPECT_MEM(p, len, byte)					\
	do {								\
		const volatile unsigned char *_p = (const void *)(p);	\
		size_t _n = (len), _i;					\
		for (_i = 0; _i < _n; _i++)				\
			if (_p[_i] != (unsigned char)(byte))		\
				FAIL("%s[%zu]: 0x%02x, want 0x%02x", #p, _i, \
				     _p[_i], (unsigned char)(byte));	\
	} while (0)

/* Handles in the caller's own table. */
static size_t own_handles(void)
{
	mx_debug_process_t info;

	ASSERT_OK(mx_debug_list_handles(mx_process_self(), &info, NULL, 0,
					NULL, NULL));
	return info.handles;
}

/*
 * Whether page @page of @h is present (LOOKUP of its first byte, which
 * must be inside the size; as root).
 */
static int present(mx_handle_t h, uint64_t page)
{
	mx_paddr_t pa = 0;
	mx_status_t s = mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, page * PG, 1,
					&pa, sizeof(pa));

	if (s == MX_ERR_NO_MEMORY)
		return 0;
	if (s != MX_OK)
		FAIL("LOOKUP of page %llu: %s", (unsigned long long)page,
		     mx_status_get_string(s));
	if (pa == 0 || pa % PG)
		FAIL("LOOKUP of page %llu: address 0x%llx",
		     (unsigned long long)page, (unsigned long long)pa);
	return 1;
}

/* Pages present among the first @n. */
static int npresent(mx_handle_t h, uint64_t n)
{
	int k = 0;

	for (uint64_t i = 0; i < n; i++)
		k += present(h, i);
	return k;
}

static mx_paddr_t paddr(mx_handle_t h, uint64_t page)
{
	mx_paddr_t pa = 0;

	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, page * PG, 1, &pa,
				  sizeof(pa)));
	return pa;
}

/* An fd of a duplicate of @h with @rights (O_CLOEXEC). */
static int vmo_fd(mx_handle_t h, mx_rights_t rights)
{
	mx_handle_t d = mxt_dup(h, rights);
	int fd = -1;

	ASSERT_OK(mx_handle_to_fd(d, O_CLOEXEC, &fd));
	ASSERT_TRUE(fd >= 0);
	return fd;
}

/* A MAP_SHARED mapping of @len bytes of @h from @off. */
static void *vmo_map(mx_handle_t h, size_t len, int prot, off_t off)
{
	int fd = vmo_fd(h, MX_RIGHT_SAME_RIGHTS);
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, off);

	if (p == MAP_FAILED)
		FAIL("mmap of a VMO: %s", strerror(errno));
	ASSERT_EQ(close(fd), 0);
	return p;
}

/*
 * Touch a byte and survive SIGBUS/SIGSEGV: 0 when the access worked, else
 * the signal. Per thread, for the races.
 */
static _Thread_local sigjmp_buf probe_jmp;
static _Thread_local volatile int probe_sig;

static void probe_handler(int sig)
{
	probe_sig = sig;
	siglongjmp(probe_jmp, 1);
}

static void probe_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) || sigaction(SIGSEGV, &sa, NULL))
		FAIL("sigaction: %s", strerror(errno));
}

static int peek(const volatile char *p, char *out)
{
	probe_sig = 0;
	if (sigsetjmp(probe_jmp, 1))
		return probe_sig;
	*out = *p;
	return 0;
}

static int poke(volatile char *p, char val)
{
	probe_sig = 0;
	if (sigsetjmp(probe_jmp, 1))
		return probe_sig;
	*p = val;
	return 0;
}

static mx_handle_t closed_handle(void)
{
	mx_handle_t h = mxt_event();

	ASSERT_OK(mx_handle_close(h));
	return h;
}

/* ---- mx_vmo_create */

/* vmo: vmo_create_test */
TEST(create_sizes_zero_to_sixteen_pages)
{
	for (uint64_t i = 0; i <= 16; i++) {
		mx_handle_t h = vmo(i * PG);

		ASSERT_EQ(vsize(h), i * PG);
		ASSERT_OK(mx_handle_close(h));
	}
}

TEST(create_size_not_rounded)
{
	uint64_t sizes[] = { 1, 5, 100, PG - 1, PG + 1, 3 * PG + 17 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		mx_handle_t h = vmo(sizes[i]);

		ASSERT_EQ(vsize(h), sizes[i]);
		ASSERT_OK(mx_handle_close(h));
	}
}

TEST(create_commits_nothing)
{
	mx_handle_t h = vmo(8 * PG);

	ASSERT_EQ(npresent(h, 8), 0);
	EXPECT_BYTES(h, 0, 8 * PG, 0);
	/* reading allocated nothing */
	ASSERT_EQ(npresent(h, 8), 0);
}

TEST(create_largest_size)
{
	mx_handle_t h = vmo(MX_VMO_MAX_SIZE);
	char b[16];

	ASSERT_EQ(vsize(h), MX_VMO_MAX_SIZE);
	/* its last page, far away, reads zero and writes */
	vread(h, b, MX_VMO_MAX_SIZE - sizeof(b), sizeof(b));
	EXPECT_MEM(b, sizeof(b), 0);
	fill(h, MX_VMO_MAX_SIZE - PG, 8, 0x77);
	EXPECT_BYTES(h, MX_VMO_MAX_SIZE - PG, 8, 0x77);
	ASSERT_EQ(present(h, MX_VMO_MAX_SIZE / PG - 1), 1);
	ASSERT_EQ(present(h, 0), 0);
	ASSERT_OK(mx_handle_close(h));
}

TEST(create_too_large_is_no_memory)
{
	mx_handle_t h = 0x5a5a;
	size_t before = own_handles();

	ASSERT_STATUS(mx_vmo_create(MX_VMO_MAX_SIZE + 1, 0, &h),
		      MX_ERR_NO_MEMORY);
	ASSERT_STATUS(mx_vmo_create(UINT64_MAX, 0, &h), MX_ERR_NO_MEMORY);
	ASSERT_EQ(h, 0x5a5a);
	ASSERT_EQ(own_handles(), before);
}

TEST(create_options_invalid_args)
{
	mx_handle_t h = 0x5a5a;

	ASSERT_STATUS(mx_vmo_create(PG, 1, &h), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_create(PG, 0x80000000u, &h), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_create(PG, 0xffffffffu, &h), MX_ERR_INVALID_ARGS);
	/* options come before the size */
	ASSERT_STATUS(mx_vmo_create(UINT64_MAX, 1, &h), MX_ERR_INVALID_ARGS);
	/* ... and before the out pointer */
	ASSERT_STATUS(mx_vmo_create(PG, 1, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(h, 0x5a5a);
}

TEST(create_bad_out_pointer_leaves_no_handle)
{
	size_t before = own_handles();
	void *ro = mxt_read_only_page();

	ASSERT_STATUS(mx_vmo_create(PG, 0, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_create(PG, 0, (mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_create(PG, 0, ro), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_create(PG, 0, KERNEL_PTR), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(*(volatile mx_handle_t *)ro, 0);
	ASSERT_EQ(own_handles(), before);
	/* the size is checked before the out pointer */
	ASSERT_STATUS(mx_vmo_create(UINT64_MAX, 0, NULL), MX_ERR_NO_MEMORY);
}

TEST(handle_basic_type_rights_props)
{
	mx_handle_t h = vmo(PG);
	mx_info_handle_basic_t info = mxt_basic(h);

	ASSERT_EQ(info.type, MX_OBJ_TYPE_VMO);
	ASSERT_EQ(info.type, 3);
	ASSERT_EQ(info.rights, MX_DEFAULT_VMO_RIGHTS);
	ASSERT_EQ(info.rights, MX_RIGHT_DUPLICATE | MX_RIGHT_TRANSFER |
		  MX_RIGHT_READ | MX_RIGHT_WRITE | MX_RIGHT_EXECUTE |
		  MX_RIGHT_MAP | MX_RIGHT_GET_PROPERTY | MX_RIGHT_SET_PROPERTY);
	ASSERT_EQ(info.rights, 0xFF);
	ASSERT_EQ(info.props, MX_OBJ_PROP_WAITABLE);
	ASSERT_EQ(info.related_koid, 0);
	ASSERT_TRUE(info.koid > 0);
	ASSERT_TRUE(mxt_basic(vmo(PG)).koid > info.koid);
}

/* vmo-signal: vmo_signal_test */
TEST(signals_last_handle_and_user_signals)
{
	mx_handle_t h = vmo(PG), d;
	mx_signals_t obs = 0;

	ASSERT_STATUS(mx_object_wait_one(h, MX_USER_SIGNAL_0,
					 mx_deadline_after(MX_MSEC(1)), &obs),
		      MX_ERR_TIMED_OUT);
	ASSERT_EQ(obs, MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(h, 0, MX_USER_SIGNAL_0));
	ASSERT_OK(mx_object_wait_one(h, MX_USER_SIGNAL_0, 0, &obs));
	ASSERT_EQ(obs, MX_USER_SIGNAL_0 | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(h, MX_USER_SIGNAL_0, MX_USER_SIGNAL_ALL));
	ASSERT_EQ(mxt_signals(h), MX_USER_SIGNAL_ALL | MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_object_signal(h, MX_USER_SIGNAL_ALL, 0));
	ASSERT_EQ(mxt_signals(h), MX_SIGNAL_LAST_HANDLE);
	/* only user signals: not bit 3, not LAST_HANDLE */
	ASSERT_STATUS(mx_object_signal(h, 0, MX_EVENT_SIGNALED),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal(h, 0, MX_SIGNAL_LAST_HANDLE),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal(h, MX_OBJECT_SIGNAL_0, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_object_signal_peer(h, 0, MX_USER_SIGNAL_0),
		      MX_ERR_NOT_SUPPORTED);
	/* two handles: LAST_HANDLE clear, back when one is closed */
	d = mxt_dup(h, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(mxt_signals(h), 0);
	ASSERT_EQ(mxt_signals(d), 0);
	ASSERT_OK(mx_handle_close(h));
	ASSERT_EQ(mxt_signals(d), MX_SIGNAL_LAST_HANDLE);
	/* a wait on it is woken by a user signal from another handle */
	ASSERT_OK(mx_object_signal(d, 0, MX_USER_SIGNAL_5));
	mxt_wait_signal(d, MX_USER_SIGNAL_5);
}

TEST(name_property)
{
	mx_handle_t h = vmo(PG), ro;
	char name[MX_MAX_NAME_LEN], in[64];

	memset(name, 0x5a, sizeof(name));
	ASSERT_OK(mx_object_get_property(h, MX_PROP_NAME, name, sizeof(name)));
	for (int i = 0; i < MX_MAX_NAME_LEN; i++)
		ASSERT_EQ(name[i], 0);
	ASSERT_OK(mx_object_set_property(h, MX_PROP_NAME, "a vmo", 5));
	memset(name, 0x5a, sizeof(name));
	ASSERT_OK(mx_object_get_property(h, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_TRUE(strcmp(name, "a vmo") == 0);
	for (int i = 5; i < MX_MAX_NAME_LEN; i++)
		ASSERT_EQ(name[i], 0);
	/* cut to 31 */
	memset(in, 'v', sizeof(in));
	ASSERT_OK(mx_object_set_property(h, MX_PROP_NAME, in, sizeof(in)));
	ASSERT_OK(mx_object_get_property(h, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(strlen(name), 31);
	ASSERT_EQ(strspn(name, "v"), 31);
	ASSERT_STATUS(mx_object_get_property(h, MX_PROP_NAME, name, 31),
		      MX_ERR_BUFFER_TOO_SMALL);
	/* the rights */
	ro = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_SET_PROPERTY);
	ASSERT_STATUS(mx_object_get_property(ro, MX_PROP_NAME, name,
					     sizeof(name)),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_object_set_property(ro, MX_PROP_NAME, "x", 1));
	ro = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_GET_PROPERTY);
	ASSERT_STATUS(mx_object_set_property(ro, MX_PROP_NAME, "y", 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_object_get_property(ro, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_TRUE(strcmp(name, "x") == 0);
}

TEST(duplicate_reduces_rights)
{
	mx_handle_t h = vmo(PG), d, e;

	d = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_EQ(mxt_basic(d).rights, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_EQ(mxt_basic(d).koid, mxt_basic(h).koid);
	e = mxt_dup(d, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(mxt_basic(e).rights, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	ASSERT_STATUS(mx_handle_duplicate(d, MX_RIGHT_WRITE, &e),
		      MX_ERR_INVALID_ARGS);
}

TEST(transfer_through_a_channel)
{
	mx_handle_t h = vmo(2 * PG), a, b, got = 0, d;
	uint32_t nb = 0, nh = 0;
	char buf[8];

	fill(h, PG, 100, 0x42);
	mxt_channel(&a, &b);
	d = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_TRANSFER | MX_RIGHT_MAP);
	ASSERT_OK(mx_channel_write(a, 0, "v", 1, &d, 1));
	ASSERT_STATUS(mx_handle_close(d), MX_ERR_BAD_HANDLE);
	ASSERT_OK(mx_channel_read(b, 0, buf, &got, sizeof(buf), 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_EQ(mxt_basic(got).type, MX_OBJ_TYPE_VMO);
	ASSERT_EQ(mxt_basic(got).koid, mxt_basic(h).koid);
	ASSERT_EQ(mxt_basic(got).rights,
		  MX_RIGHT_READ | MX_RIGHT_TRANSFER | MX_RIGHT_MAP);
	EXPECT_BYTES(got, PG, 100, 0x42);
	ASSERT_STATUS(mx_vmo_write(got, buf, 0, 1, &(size_t){ 0 }),
		      MX_ERR_ACCESS_DENIED);
	/* without TRANSFER it cannot be sent */
	d = mxt_dup(h, MX_RIGHT_READ);
	ASSERT_STATUS(mx_channel_write(a, 0, "v", 1, &d, 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(mxt_basic(d).type, MX_OBJ_TYPE_VMO);
}

/* A child process gets a VMO over a channel, maps it and writes. */
static void share_child(void *arg)
{
	int fd = *(int *)arg;
	mx_handle_t ch, v = 0;
	uint32_t nb, nh;
	char buf[4], *p;

	ASSERT_OK(mx_handle_from_fd(fd, &ch));
	close(fd);
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, buf, &v, sizeof(buf), 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	EXPECT_BYTES(v, 0, 16, 0x11);
	p = vmo_map(v, 2 * PG, PROT_READ | PROT_WRITE, 0);
	EXPECT_MEM(p, 16, 0x11);
	memset(p + PG, 0x22, PG);
	p[0] = 0x33;
	ASSERT_OK(mx_channel_write(ch, 0, "done", 4, NULL, 0));
}

TEST(shared_between_processes)
{
	mx_handle_t h = vmo(2 * PG), a, b, d;
	uint32_t nb, nh;
	char buf[8], *p;
	int fd = -1;

	fill(h, 0, 16, 0x11);
	p = vmo_map(h, 2 * PG, PROT_READ, 0);
	EXPECT_MEM(p + PG, PG, 0);
	mxt_channel(&a, &b);
	ASSERT_OK(mx_handle_to_fd(b, O_CLOEXEC, &fd));
	d = mxt_dup(h, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_channel_write(a, 0, "v", 1, &d, 1));
	mxt_in_child(share_child, &fd);
	ASSERT_OK(mx_channel_read(a, 0, buf, NULL, sizeof(buf), 0, &nb, &nh));
	ASSERT_EQ(nb, 4);
	EXPECT_BYTES(h, PG, PG, 0x22);
	EXPECT_MEM(p + PG, PG, 0x22);
	ASSERT_EQ(p[0], 0x33);
	EXPECT_BYTES(h, 1, 15, 0x11);
}

/* ---- mx_vmo_read, mx_vmo_write */

/* vmo: vmo_read_write_test */
TEST(read_write_four_pages)
{
	mx_handle_t h = vmo(4 * PG);
	static char in[4 * PG], out[4 * PG];
	size_t actual = 0;
	char *p;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 7 + 3);
	ASSERT_OK(mx_vmo_write(h, in, 0, sizeof(in), &actual));
	ASSERT_EQ(actual, sizeof(in));
	actual = 0;
	ASSERT_OK(mx_vmo_read(h, out, 0, sizeof(out), &actual));
	ASSERT_EQ(actual, sizeof(out));
	ASSERT_TRUE(memcmp(in, out, sizeof(in)) == 0);
	p = vmo_map(h, 4 * PG, PROT_READ, 0);
	ASSERT_TRUE(memcmp(p, in, sizeof(in)) == 0);
	ASSERT_EQ(npresent(h, 4), 4);
}

TEST(read_write_unaligned)
{
	mx_handle_t h = vmo(3 * PG);
	char in[PG + 10], out[PG + 10];

	memset(in, 0x6b, sizeof(in));
	vwrite(h, in, PG - 5, sizeof(in));
	EXPECT_BYTES(h, 0, PG - 5, 0);
	EXPECT_BYTES(h, PG - 5, sizeof(in), 0x6b);
	EXPECT_BYTES(h, 2 * PG + 5, PG - 5, 0);
	vread(h, out, PG - 5, sizeof(out));
	ASSERT_TRUE(memcmp(in, out, sizeof(in)) == 0);
	ASSERT_EQ(npresent(h, 3), 3);
}

TEST(read_write_trimmed_at_the_end)
{
	mx_handle_t h = vmo(5000);
	char buf[100];
	size_t actual = 0;

	memset(buf, 0x31, sizeof(buf));
	ASSERT_OK(mx_vmo_write(h, buf, 4990, sizeof(buf), &actual));
	ASSERT_EQ(actual, 10);
	ASSERT_EQ(vsize(h), 5000);
	/* no pre-touch: the bytes past the trimmed length are untouched */
	memset(buf, 0x5a, sizeof(buf));
	actual = 0;
	ASSERT_OK(mx_vmo_read(h, buf, 4990, sizeof(buf), &actual));
	ASSERT_EQ(actual, 10);
	EXPECT_MEM(buf, 10, 0x31);
	EXPECT_MEM(buf + 10, sizeof(buf) - 10, 0x5a);
	/* at the end: nothing, and MX_OK */
	actual = 99;
	ASSERT_OK(mx_vmo_read(h, buf, 5000, sizeof(buf), &actual));
	ASSERT_EQ(actual, 0);
	actual = 99;
	ASSERT_OK(mx_vmo_write(h, buf, 5000, sizeof(buf), &actual));
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(vsize(h), 5000);
	/* a size-0 VMO */
	h = vmo(0);
	actual = 99;
	ASSERT_OK(mx_vmo_read(h, buf, 0, sizeof(buf), &actual));
	ASSERT_EQ(actual, 0);
	actual = 99;
	ASSERT_OK(mx_vmo_write(h, buf, 0, sizeof(buf), &actual));
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(vsize(h), 0);
	EXPECT_MEM(buf + 10, sizeof(buf) - 10, 0x5a);
}

TEST(read_write_out_of_range)
{
	mx_handle_t h = vmo(2 * PG);
	char buf[16];
	size_t actual = 77;

	ASSERT_STATUS(mx_vmo_read(h, buf, 2 * PG + 1, 1, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_write(h, buf, 2 * PG + 1, 1, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_read(h, buf, 2 * PG + 1, 0, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_read(h, buf, UINT64_MAX, 0, &actual),
		      MX_ERR_OUT_OF_RANGE);
	/* offset + len wraps */
	ASSERT_STATUS(mx_vmo_read(h, buf, UINT64_MAX - 4, 16, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_write(h, buf, UINT64_MAX - 4, 16, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_read(h, buf, 1, SIZE_MAX, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_write(h, buf, 1, SIZE_MAX, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_EQ(actual, 77);
	/* no wrap: a huge length is trimmed */
	ASSERT_OK(mx_vmo_read(h, buf, 2 * PG - 4, SIZE_MAX - 2 * PG,
			      &actual));
	ASSERT_EQ(actual, 4);
	/* the range is checked before the buffer is touched */
	ASSERT_STATUS(mx_vmo_read(h, NULL, 2 * PG + 1, 16, &actual),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_write(h, NULL, 2 * PG + 1, 16, &actual),
		      MX_ERR_OUT_OF_RANGE);
	/* a trimmed length of 0 copies nothing */
	actual = 77;
	ASSERT_OK(mx_vmo_read(h, NULL, 2 * PG, 16, &actual));
	ASSERT_EQ(actual, 0);
	ASSERT_EQ(npresent(h, 2), 0);
}

TEST(read_absent_pages_allocates_nothing_write_allocates)
{
	mx_handle_t h = vmo(4 * PG);

	EXPECT_BYTES(h, 0, 4 * PG, 0);
	ASSERT_EQ(npresent(h, 4), 0);
	fill(h, 2 * PG + 100, 1, 0x01);
	ASSERT_EQ(present(h, 0), 0);
	ASSERT_EQ(present(h, 1), 0);
	ASSERT_EQ(present(h, 2), 1);
	ASSERT_EQ(present(h, 3), 0);
	EXPECT_BYTES(h, 2 * PG, 100, 0);
	EXPECT_BYTES(h, 2 * PG + 101, PG - 101, 0);
	/* a zero-length write allocates nothing either */
	vwrite(h, "x", 0, 0);
	ASSERT_EQ(present(h, 0), 0);
}

TEST(read_write_rights)
{
	mx_handle_t h = vmo(PG), r, w, none;
	char b[8] = "abcdefg";
	size_t actual = 77;

	r = mxt_dup(h, MX_RIGHT_READ);
	w = mxt_dup(h, MX_RIGHT_WRITE);
	none = mxt_dup(h, MX_RIGHT_NONE);
	ASSERT_STATUS(mx_vmo_write(r, b, 0, 1, &actual), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_read(w, b, 0, 1, &actual), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_read(none, b, 0, 1, &actual),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_write(none, b, 0, 1, &actual),
		      MX_ERR_ACCESS_DENIED);
	/* the rights come before the range and the pointers */
	ASSERT_STATUS(mx_vmo_write(r, NULL, UINT64_MAX, 16, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_read(w, NULL, UINT64_MAX, 16, NULL),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(actual, 77);
	vwrite(w, b, 0, 8);
	memset(b, 0, sizeof(b));
	vread(r, b, 0, 8);
	ASSERT_TRUE(strcmp(b, "abcdefg") == 0);
}

TEST(read_write_bad_handles)
{
	mx_handle_t ev = mxt_event(), a, b, gone = closed_handle();
	char buf[8];
	size_t actual;

	mxt_channel(&a, &b);
	ASSERT_STATUS(mx_vmo_read(MX_HANDLE_INVALID, buf, 0, 1, &actual),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_write(MX_HANDLE_INVALID, buf, 0, 1, &actual),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_read(gone, buf, 0, 1, &actual),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_write(gone, buf, 0, 1, &actual),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_read(0x7ffffff1, buf, 0, 1, &actual),
		      MX_ERR_BAD_HANDLE);
	/* an event has READ and WRITE: its type is wrong */
	ASSERT_STATUS(mx_vmo_read(ev, buf, 0, 1, &actual), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_write(ev, buf, 0, 1, &actual), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_read(a, buf, 0, 1, &actual), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_write(a, buf, 0, 1, &actual), MX_ERR_WRONG_TYPE);
	/* rights before type */
	ASSERT_STATUS(mx_vmo_read(mxt_dup(ev, MX_RIGHT_WRITE), buf, 0, 1,
				  &actual), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_write(mxt_dup(ev, MX_RIGHT_READ), buf, 0, 1,
				   &actual), MX_ERR_ACCESS_DENIED);
	/* the handle before the pointers */
	ASSERT_STATUS(mx_vmo_read(ev, NULL, 0, 1, NULL), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_read(gone, NULL, 0, 1, NULL), MX_ERR_BAD_HANDLE);
}

TEST(read_bad_data_pointer)
{
	mx_handle_t h = vmo(2 * PG);
	void *ro = mxt_read_only_page();
	size_t actual = 77;

	fill(h, 0, 2 * PG, 0x44);
	ASSERT_STATUS(mx_vmo_read(h, NULL, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_read(h, (void *)8, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_read(h, KERNEL_PTR, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_read(h, ro, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(actual, 77);
	EXPECT_MEM(ro, PG, 0);
	/* NULL with length 0 is fine */
	ASSERT_OK(mx_vmo_read(h, NULL, 0, 0, &actual));
	ASSERT_EQ(actual, 0);
}

TEST(read_fault_midway_keeps_what_was_copied)
{
	mx_handle_t h = vmo(2 * PG);
	char *buf = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t actual = 77;

	ASSERT_TRUE(buf != MAP_FAILED);
	fill(h, 0, 2 * PG, 0x45);
	memset(buf, 0x5a, PG);
	ASSERT_EQ(mprotect(buf + PG, PG, PROT_READ), 0);
	ASSERT_STATUS(mx_vmo_read(h, buf, 0, 2 * PG, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(actual, 77);
	EXPECT_MEM(buf, PG, 0x45);
	EXPECT_MEM(buf + PG, PG, 0);
}

TEST(write_bad_data_pointer)
{
	mx_handle_t h = vmo(2 * PG);
	char *buf = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t actual = 77;

	ASSERT_TRUE(buf != MAP_FAILED);
	ASSERT_STATUS(mx_vmo_write(h, NULL, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_write(h, (void *)8, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_write(h, KERNEL_PTR, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(actual, 77);
	EXPECT_BYTES(h, 0, 2 * PG, 0);
	/* a fault in the second page: the first page was written */
	memset(buf, 0x46, PG);
	ASSERT_EQ(mprotect(buf + PG, PG, PROT_NONE), 0);
	ASSERT_STATUS(mx_vmo_write(h, buf, 0, 2 * PG, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(actual, 77);
	EXPECT_BYTES(h, 0, PG, 0x46);
	EXPECT_BYTES(h, PG, PG, 0);
	ASSERT_OK(mx_vmo_write(h, NULL, 0, 0, &actual));
	ASSERT_EQ(actual, 0);
}

TEST(actual_pointer_bad_after_the_data_moved)
{
	mx_handle_t h = vmo(PG);
	void *ro = mxt_read_only_page();
	char b[8];

	ASSERT_STATUS(mx_vmo_write(h, "12345678", 0, 8, NULL),
		      MX_ERR_INVALID_ARGS);
	vread(h, b, 0, 8);
	ASSERT_TRUE(memcmp(b, "12345678", 8) == 0);
	ASSERT_STATUS(mx_vmo_write(h, "abcdefgh", 0, 8, ro),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_write(h, "ABCDEFGH", 8, 8, KERNEL_PTR),
		      MX_ERR_INVALID_ARGS);
	vread(h, b, 0, 8);
	ASSERT_TRUE(memcmp(b, "abcdefgh", 8) == 0);
	vread(h, b, 8, 8);
	ASSERT_TRUE(memcmp(b, "ABCDEFGH", 8) == 0);
	memset(b, 0, sizeof(b));
	ASSERT_STATUS(mx_vmo_read(h, b, 0, 8, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_TRUE(memcmp(b, "abcdefgh", 8) == 0);
	memset(b, 0, sizeof(b));
	ASSERT_STATUS(mx_vmo_read(h, b, 8, 8, ro), MX_ERR_INVALID_ARGS);
	ASSERT_TRUE(memcmp(b, "ABCDEFGH", 8) == 0);
	ASSERT_EQ(*(volatile size_t *)ro, 0);
}

/* ---- mx_vmo_get_size, mx_vmo_set_size */

TEST(get_size_needs_no_right)
{
	mx_handle_t h = vmo(3 * PG + 1), none = mxt_dup(h, MX_RIGHT_NONE);

	ASSERT_EQ(vsize(none), 3 * PG + 1);
	ASSERT_OK(mx_vmo_set_size(h, 7));
	ASSERT_EQ(vsize(none), 7);
}

TEST(get_size_bad_pointer_and_handles)
{
	mx_handle_t h = vmo(PG), ev = mxt_event();
	void *ro = mxt_read_only_page();
	uint64_t s = 77;

	ASSERT_STATUS(mx_vmo_get_size(h, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_get_size(h, ro), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_get_size(h, KERNEL_PTR), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(*(volatile uint64_t *)ro, 0);
	ASSERT_STATUS(mx_vmo_get_size(MX_HANDLE_INVALID, &s),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_get_size(closed_handle(), &s), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_get_size(ev, &s), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_get_size(mxt_dup(ev, MX_RIGHT_NONE), &s),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_get_size(mx_process_self(), &s),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_get_size(ev, NULL), MX_ERR_WRONG_TYPE);
	ASSERT_EQ(s, 77);
}

/* vmo: vmo_resize_test */
TEST(set_size_same_grow_shrink)
{
	mx_handle_t h = vmo(4 * PG);

	ASSERT_EQ(vsize(h), 4 * PG);
	ASSERT_OK(mx_vmo_set_size(h, 4 * PG));
	ASSERT_EQ(vsize(h), 4 * PG);
	ASSERT_OK(mx_vmo_set_size(h, 10 * PG + 3));
	ASSERT_EQ(vsize(h), 10 * PG + 3);
	ASSERT_OK(mx_vmo_set_size(h, 1));
	ASSERT_EQ(vsize(h), 1);
	ASSERT_OK(mx_vmo_set_size(h, 0));
	ASSERT_EQ(vsize(h), 0);
	ASSERT_OK(mx_vmo_set_size(h, MX_VMO_MAX_SIZE));
	ASSERT_EQ(vsize(h), MX_VMO_MAX_SIZE);
	ASSERT_STATUS(mx_vmo_set_size(h, UINT64_MAX), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_set_size(h, MX_VMO_MAX_SIZE + 1),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_EQ(vsize(h), MX_VMO_MAX_SIZE);
	ASSERT_OK(mx_vmo_set_size(h, PG));
	ASSERT_EQ(vsize(h), PG);
}

TEST(set_size_rights_and_handles)
{
	mx_handle_t h = vmo(PG), ev = mxt_event();

	ASSERT_STATUS(mx_vmo_set_size(mxt_dup(h, MX_RIGHT_READ |
					      MX_RIGHT_MAP), 2 * PG),
		      MX_ERR_ACCESS_DENIED);
	/* the right before the size */
	ASSERT_STATUS(mx_vmo_set_size(mxt_dup(h, MX_RIGHT_READ), UINT64_MAX),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(vsize(h), PG);
	ASSERT_OK(mx_vmo_set_size(mxt_dup(h, MX_RIGHT_WRITE), 2 * PG));
	ASSERT_EQ(vsize(h), 2 * PG);
	ASSERT_STATUS(mx_vmo_set_size(MX_HANDLE_INVALID, PG),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_set_size(closed_handle(), PG), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_set_size(ev, PG), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_set_size(mxt_dup(ev, MX_RIGHT_READ), PG),
		      MX_ERR_ACCESS_DENIED);
}

TEST(shrink_frees_whole_pages_and_keeps_the_partial_tail)
{
	mx_handle_t h = vmo(4 * PG);

	fill(h, 0, 4 * PG, 0x55);
	ASSERT_EQ(npresent(h, 4), 4);
	/* ROUNDUP(PG + 1) = 2 pages kept */
	ASSERT_OK(mx_vmo_set_size(h, PG + 1));
	ASSERT_EQ(vsize(h), PG + 1);
	ASSERT_EQ(present(h, 0), 1);
	ASSERT_EQ(present(h, 1), 1);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 2 * PG, PG,
				      &(mx_paddr_t){ 0 }, 8),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_read(h, &(char){ 0 }, PG + 2, 1, &(size_t){ 0 }),
		      MX_ERR_OUT_OF_RANGE);
	/* growing allocates nothing; the freed pages read zero */
	ASSERT_OK(mx_vmo_set_size(h, 4 * PG));
	ASSERT_EQ(present(h, 2), 0);
	ASSERT_EQ(present(h, 3), 0);
	EXPECT_BYTES(h, 2 * PG, 2 * PG, 0);
	/* the tail of the last partial page was not zeroed */
	EXPECT_BYTES(h, 0, 2 * PG, 0x55);
	ASSERT_OK(mx_vmo_set_size(h, 100));
	ASSERT_OK(mx_vmo_set_size(h, 2 * PG));
	ASSERT_EQ(present(h, 1), 0);
	ASSERT_OK(mx_vmo_set_size(h, PG));
	EXPECT_BYTES(h, 0, PG, 0x55);
	ASSERT_OK(mx_vmo_set_size(h, 0));
	ASSERT_OK(mx_vmo_set_size(h, 2 * PG));
	ASSERT_EQ(npresent(h, 2), 0);
	EXPECT_BYTES(h, 0, 2 * PG, 0);
}

TEST(grow_allocates_nothing)
{
	mx_handle_t h = vmo(0);

	ASSERT_OK(mx_vmo_set_size(h, 64 * PG));
	ASSERT_EQ(npresent(h, 64), 0);
	EXPECT_BYTES(h, 0, 64 * PG, 0);
	ASSERT_EQ(npresent(h, 64), 0);
}

/* ---- mx_vmo_op_range */

TEST(op_range_checks_no_right)
{
	mx_handle_t h = vmo(2 * PG), none = mxt_dup(h, MX_RIGHT_NONE);
	mx_paddr_t pa[2];

	ASSERT_OK(mx_vmo_op_range(none, MX_VMO_OP_COMMIT, 0, 2 * PG, NULL, 0));
	ASSERT_EQ(npresent(h, 2), 2);
	ASSERT_OK(mx_vmo_op_range(none, MX_VMO_OP_LOOKUP, 0, 2 * PG, pa,
				  sizeof(pa)));
	ASSERT_EQ(pa[0], paddr(h, 0));
	ASSERT_EQ(pa[1], paddr(h, 1));
	ASSERT_OK(mx_vmo_op_range(none, MX_VMO_OP_CACHE_SYNC, 0, 2 * PG, NULL,
				  0));
	ASSERT_OK(mx_vmo_op_range(none, MX_VMO_OP_DECOMMIT, 0, 2 * PG, NULL,
				  0));
	ASSERT_EQ(npresent(h, 2), 0);
}

TEST(op_range_unknown_op_and_bad_handles)
{
	mx_handle_t h = vmo(PG), ev = mxt_event();

	ASSERT_STATUS(mx_vmo_op_range(h, 0, 0, PG, NULL, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(h, 10, 0, PG, NULL, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(h, 0xffffffffu, 0, PG, NULL, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(MX_HANDLE_INVALID, MX_VMO_OP_COMMIT, 0,
				      PG, NULL, 0), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_op_range(closed_handle(), MX_VMO_OP_COMMIT, 0,
				      PG, NULL, 0), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_op_range(ev, MX_VMO_OP_COMMIT, 0, PG, NULL, 0),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_op_range(mxt_dup(ev, MX_RIGHT_NONE),
				      MX_VMO_OP_COMMIT, 0, PG, NULL, 0),
		      MX_ERR_WRONG_TYPE);
	/* the handle before the op */
	ASSERT_STATUS(mx_vmo_op_range(ev, 0, 0, PG, NULL, 0),
		      MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_op_range(MX_HANDLE_INVALID, 0, 0, PG, NULL, 0),
		      MX_ERR_BAD_HANDLE);
}

TEST(lock_and_unlock_not_supported)
{
	mx_handle_t h = vmo(PG);

	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOCK, 0, PG, NULL, 0),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_UNLOCK, 0, PG, NULL, 0),
		      MX_ERR_NOT_SUPPORTED);
}

/* vmo: vmo_commit_test (the calls) */
TEST(commit_decommit_recommit)
{
	mx_handle_t h = vmo(4 * PG);

	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 4 * PG, NULL, 0));
	ASSERT_EQ(npresent(h, 4), 4);
	EXPECT_BYTES(h, 0, 4 * PG, 0);
	fill(h, 0, 4 * PG, 0x12);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, PG, 2 * PG, NULL, 0));
	ASSERT_EQ(present(h, 0), 1);
	ASSERT_EQ(present(h, 1), 0);
	ASSERT_EQ(present(h, 2), 0);
	ASSERT_EQ(present(h, 3), 1);
	EXPECT_BYTES(h, 0, PG, 0x12);
	EXPECT_BYTES(h, PG, 2 * PG, 0);
	EXPECT_BYTES(h, 3 * PG, PG, 0x12);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 4 * PG, NULL, 0));
	ASSERT_EQ(npresent(h, 4), 4);
	/* commit does not clear what is there */
	EXPECT_BYTES(h, 0, PG, 0x12);
	EXPECT_BYTES(h, PG, 2 * PG, 0);
	EXPECT_BYTES(h, 3 * PG, PG, 0x12);
	/* decommitting absent pages is fine */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0, 4 * PG, NULL, 0));
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0, 4 * PG, NULL, 0));
	ASSERT_EQ(npresent(h, 4), 0);
}

TEST(commit_range_checks_and_trimming)
{
	mx_handle_t h = vmo(3 * PG);

	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 3 * PG + 1, 1,
				      NULL, 0), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, UINT64_MAX - 4, 16,
				      NULL, 0), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 3 * PG + 1, 1,
				      NULL, 0), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, UINT64_MAX - 4,
				      16, NULL, 0), MX_ERR_OUT_OF_RANGE);
	ASSERT_EQ(npresent(h, 3), 0);
	/* at the end, or of length 0: nothing and MX_OK */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 3 * PG, 16, NULL, 0));
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, PG, 0, NULL, 0));
	ASSERT_EQ(npresent(h, 3), 0);
	/* an unaligned byte commits its page */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, PG + 1, 1, NULL, 0));
	ASSERT_EQ(present(h, 0), 0);
	ASSERT_EQ(present(h, 1), 1);
	ASSERT_EQ(present(h, 2), 0);
	/* a range straddling two pages commits both */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0, 3 * PG, NULL, 0));
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, PG - 1, 2, NULL, 0));
	ASSERT_EQ(present(h, 0), 1);
	ASSERT_EQ(present(h, 1), 1);
	ASSERT_EQ(present(h, 2), 0);
	/* the length is trimmed to the size */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 2 * PG, UINT64_MAX -
				  2 * PG, NULL, 0));
	ASSERT_EQ(npresent(h, 3), 3);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, PG, UINT64_MAX - PG,
				  NULL, 0));
	ASSERT_EQ(present(h, 0), 1);
	ASSERT_EQ(present(h, 1), 0);
	ASSERT_EQ(present(h, 2), 0);
	/* a partial last page is committed whole */
	ASSERT_OK(mx_vmo_set_size(h, 2 * PG + 10));
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 2 * PG + 10, NULL,
				  0));
	ASSERT_EQ(npresent(h, 2), 2);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 2 * PG, 10,
				  &(mx_paddr_t){ 0 }, 8));
}

/* vmo: vmo_decommit_misaligned_test */
TEST(decommit_misaligned_frees_the_whole_page)
{
	mx_handle_t h = vmo(2 * PG);

	fill(h, 0, 2 * PG, 0x21);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0x10, 0x100, NULL, 0));
	ASSERT_EQ(present(h, 0), 0);
	ASSERT_EQ(present(h, 1), 1);
	EXPECT_BYTES(h, 0, PG, 0);
	EXPECT_BYTES(h, PG, PG, 0x21);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0x10, 0x100, NULL, 0));
	ASSERT_EQ(present(h, 0), 1);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0x10, 0x100, NULL, 0));
	ASSERT_EQ(present(h, 0), 0);
	/* a range over a page boundary frees both pages */
	fill(h, 0, 2 * PG, 0x22);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, PG - 1, 2, NULL, 0));
	ASSERT_EQ(npresent(h, 2), 0);
	EXPECT_BYTES(h, 0, 2 * PG, 0);
}

/* vmo: vmo_lookup_test */
TEST(lookup)
{
	mx_handle_t h = vmo(4 * PG);
	mx_paddr_t pa[5];

	memset(pa, 0x5a, sizeof(pa));
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 4 * PG, pa,
				      4 * sizeof(pa[0])), MX_ERR_NO_MEMORY);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 4 * PG, NULL, 0));
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 4 * PG, pa,
				  4 * sizeof(pa[0])));
	for (int i = 0; i < 4; i++) {
		ASSERT_TRUE(pa[i] != 0);
		ASSERT_EQ(pa[i] % PG, 0);
		for (int j = 0; j < i; j++)
			ASSERT_NE(pa[i], pa[j]);
	}
	/* the slot past the table is untouched */
	ASSERT_EQ(pa[4], (mx_paddr_t)0x5a5a5a5a5a5a5a5aull);
	/* offset 1: still four pages, page aligned */
	{
		mx_paddr_t pb[4];

		ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 1, 4 * PG - 1,
					  pb, sizeof(pb)));
		ASSERT_TRUE(memcmp(pa, pb, sizeof(pb)) == 0);
		ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, PG + 5, 1, pb,
					  sizeof(pb[0])));
		ASSERT_EQ(pb[0], pa[1]);
	}
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 0, pa,
				      sizeof(pa)), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 4 * PG + 1, 1, pa,
				      sizeof(pa)), MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 1, 4 * PG, pa,
				      sizeof(pa)), MX_ERR_OUT_OF_RANGE);
	/* one more byte needs one more slot */
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 4 * PG + 1, pa,
				      4 * sizeof(pa[0])),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 1, 4 * PG - 1, pa,
				      4 * sizeof(pa[0]) - 1),
		      MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, PG, pa, 0),
		      MX_ERR_BUFFER_TOO_SMALL);
	/* the buffer's size comes before the range */
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 8 * PG, pa,
				      4 * sizeof(pa[0])),
		      MX_ERR_BUFFER_TOO_SMALL);
	/* and a NULL buffer before everything */
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 8 * PG, NULL,
				      0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 0, NULL,
				      sizeof(pa)), MX_ERR_INVALID_ARGS);
	/* one absent page in the range */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 2 * PG, 1, NULL, 0));
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 4 * PG, pa,
				      sizeof(pa)), MX_ERR_NO_MEMORY);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 3 * PG, PG, pa,
				  sizeof(pa)));
}

TEST(lookup_bad_buffer)
{
	mx_handle_t h = vmo(2 * PG);
	void *ro = mxt_read_only_page();

	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 2 * PG, NULL, 0));
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 2 * PG, ro, 16),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 2 * PG,
				      KERNEL_PTR, 16), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 2 * PG,
				      (void *)8, 16), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(*(volatile uint64_t *)ro, 0);
}

static void lookup_unprivileged(void *arg)
{
	mx_handle_t h = vmo(2 * PG);
	mx_paddr_t pa[2] = { 0x5a, 0x5a };

	(void)arg;
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 2 * PG, NULL, 0));
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 2 * PG, pa,
				      sizeof(pa)), MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(pa[0], 0x5a);
	ASSERT_EQ(pa[1], 0x5a);
	/* the argument checks come first */
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 2 * PG, NULL,
				      0), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 2 * PG, pa,
				      8), MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, 0, pa,
				      sizeof(pa)), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 2 * PG + 1, 1, pa,
				      sizeof(pa)), MX_ERR_OUT_OF_RANGE);
	/* an absent page does not tell either */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0, PG, NULL, 0));
	ASSERT_STATUS(mx_vmo_op_range(h, MX_VMO_OP_LOOKUP, 0, PG, pa,
				      sizeof(pa)), MX_ERR_ACCESS_DENIED);
}

TEST(lookup_needs_cap_sys_admin)
{
	mxt_as_user(4501, lookup_unprivileged, NULL);
}

TEST(cache_ops)
{
	mx_handle_t h = vmo(3 * PG);
	uint32_t ops[] = { MX_VMO_OP_CACHE_SYNC, MX_VMO_OP_CACHE_INVALIDATE,
			   MX_VMO_OP_CACHE_CLEAN,
			   MX_VMO_OP_CACHE_CLEAN_INVALIDATE };

	fill(h, PG, PG, 0x3c);
	for (size_t i = 0; i < 4; i++) {
		ASSERT_OK(mx_vmo_op_range(h, ops[i], 0, 3 * PG, NULL, 0));
		ASSERT_OK(mx_vmo_op_range(h, ops[i], 5, 10, NULL, 0));
		/* buffer and its size are ignored */
		ASSERT_OK(mx_vmo_op_range(h, ops[i], 0, PG, (void *)8, 3));
		ASSERT_STATUS(mx_vmo_op_range(h, ops[i], 0, 0, NULL, 0),
			      MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_vmo_op_range(h, ops[i], PG, 0, NULL, 0),
			      MX_ERR_INVALID_ARGS);
		ASSERT_STATUS(mx_vmo_op_range(h, ops[i], 0, 3 * PG + 1, NULL,
					      0), MX_ERR_OUT_OF_RANGE);
		ASSERT_STATUS(mx_vmo_op_range(h, ops[i], 3 * PG, 1, NULL, 0),
			      MX_ERR_OUT_OF_RANGE);
		ASSERT_STATUS(mx_vmo_op_range(h, ops[i], UINT64_MAX - 4, 16,
					      NULL, 0), MX_ERR_OUT_OF_RANGE);
	}
	/* nothing was done to the pages */
	ASSERT_EQ(present(h, 0), 0);
	ASSERT_EQ(present(h, 1), 1);
	ASSERT_EQ(present(h, 2), 0);
	EXPECT_BYTES(h, PG, PG, 0x3c);
}

/* vmo: vmo_cache_test */
TEST(set_cache_policy)
{
	mx_handle_t h = vmo(PG), ev = mxt_event();

	for (uint32_t p = 0; p <= MX_CACHE_POLICY_MASK; p++)
		ASSERT_STATUS(mx_vmo_set_cache_policy(h, p),
			      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_vmo_set_cache_policy(h, MX_CACHE_POLICY_UNCACHED),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_vmo_set_cache_policy(h, 4), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_set_cache_policy(h, 0x80000001u),
		      MX_ERR_INVALID_ARGS);
	/* the policy is checked before the handle */
	ASSERT_STATUS(mx_vmo_set_cache_policy(MX_HANDLE_INVALID, 4),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_set_cache_policy(ev, 8), MX_ERR_INVALID_ARGS);
	/* MAP needed */
	ASSERT_STATUS(mx_vmo_set_cache_policy(mxt_dup(h, MX_DEFAULT_VMO_RIGHTS &
						      ~MX_RIGHT_MAP), 1),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_set_cache_policy(mxt_dup(h, MX_RIGHT_MAP), 1),
		      MX_ERR_NOT_SUPPORTED);
	ASSERT_STATUS(mx_vmo_set_cache_policy(MX_HANDLE_INVALID, 1),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_set_cache_policy(closed_handle(), 1),
		      MX_ERR_BAD_HANDLE);
	/* an event has no MAP right: rights come before the type */
	ASSERT_STATUS(mx_vmo_set_cache_policy(ev, 1), MX_ERR_ACCESS_DENIED);
}

/* ---- mx_vmo_clone */

static mx_handle_t clone_of(mx_handle_t h, uint64_t off, uint64_t size)
{
	mx_handle_t c = MX_HANDLE_INVALID;

	ASSERT_OK(mx_vmo_clone(h, MX_VMO_CLONE_COPY_ON_WRITE, off, size, &c));
	ASSERT_TRUE(c > 0);
	return c;
}

static void get_name(mx_handle_t h, char name[MX_MAX_NAME_LEN])
{
	memset(name, 0x5a, MX_MAX_NAME_LEN);
	ASSERT_OK(mx_object_get_property(h, MX_PROP_NAME, name,
					 MX_MAX_NAME_LEN));
}

/* vmo: vmo_clone_test_1 */
TEST(clone_test_1_name_and_clone_of_clone)
{
	mx_handle_t h = vmo(4 * PG), c, cc;
	char name[MX_MAX_NAME_LEN];

	ASSERT_OK(mx_object_set_property(h, MX_PROP_NAME, "test1", 5));
	fill(h, 0, 4 * PG, 0x71);
	c = clone_of(h, 0, 4 * PG);
	ASSERT_EQ(mxt_basic(c).type, MX_OBJ_TYPE_VMO);
	ASSERT_NE(mxt_basic(c).koid, mxt_basic(h).koid);
	ASSERT_EQ(vsize(c), 4 * PG);
	get_name(c, name);
	ASSERT_TRUE(strcmp(name, "test1") == 0);
	cc = clone_of(c, 0, 4 * PG);
	get_name(cc, name);
	ASSERT_TRUE(strcmp(name, "test1") == 0);
	EXPECT_BYTES(cc, 0, 4 * PG, 0x71);
	ASSERT_EQ(npresent(c, 4), 4);
	ASSERT_EQ(paddr(cc, 2), paddr(h, 2));
	ASSERT_OK(mx_handle_close(cc));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(h));
}

/* vmo: vmo_clone_test_2 */
TEST(clone_test_2_copy_on_write)
{
	mx_handle_t h = vmo(4 * PG), c;
	mx_paddr_t p2;

	fill(h, 0, 4 * PG, 0x01);
	c = clone_of(h, 0, 4 * PG);
	/* the clone reads the parent's data and holds no page */
	EXPECT_BYTES(c, 0, 4 * PG, 0x01);
	p2 = paddr(h, 2);
	ASSERT_EQ(paddr(c, 2), p2);
	/* a clone write copies that page only */
	fill(c, 2 * PG + 10, 1, 0x02);
	EXPECT_BYTES(c, 2 * PG, 10, 0x01);
	EXPECT_BYTES(c, 2 * PG + 10, 1, 0x02);
	EXPECT_BYTES(c, 2 * PG + 11, PG - 11, 0x01);
	EXPECT_BYTES(h, 0, 4 * PG, 0x01);
	ASSERT_EQ(paddr(h, 2), p2);
	ASSERT_NE(paddr(c, 2), p2);
	ASSERT_EQ(paddr(c, 1), paddr(h, 1));
	/* a parent write on an uncopied page shows in the clone */
	fill(h, PG, PG, 0x03);
	EXPECT_BYTES(c, PG, PG, 0x03);
	/* ... not on the copied one */
	fill(h, 2 * PG, PG, 0x04);
	EXPECT_BYTES(c, 2 * PG, 10, 0x01);
	EXPECT_BYTES(c, 2 * PG + 10, 1, 0x02);
}

TEST(clone_sees_pages_the_parent_allocates_later)
{
	mx_handle_t h = vmo(4 * PG), c = clone_of(h, 0, 4 * PG);

	EXPECT_BYTES(c, 0, 4 * PG, 0);
	ASSERT_EQ(npresent(h, 4), 0);
	fill(h, 3 * PG, PG, 0x09);
	EXPECT_BYTES(c, 3 * PG, PG, 0x09);
	ASSERT_EQ(paddr(c, 3), paddr(h, 3));
	/* a commit of the parent: zero pages, seen by the clone */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, PG, NULL, 0));
	ASSERT_EQ(paddr(c, 0), paddr(h, 0));
}

TEST(clone_commit_decommit)
{
	mx_handle_t h = vmo(2 * PG), c;

	fill(h, 0, 2 * PG, 0x13);
	c = clone_of(h, 0, 2 * PG);
	/* a commit in the clone makes zero pages: the parent no longer shows */
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_COMMIT, 0, PG, NULL, 0));
	ASSERT_NE(paddr(c, 0), paddr(h, 0));
	EXPECT_BYTES(c, 0, PG, 0);
	EXPECT_BYTES(c, PG, PG, 0x13);
	EXPECT_BYTES(h, 0, 2 * PG, 0x13);
	fill(h, 0, PG, 0x14);
	EXPECT_BYTES(c, 0, PG, 0);
	/* a decommit in the clone shows the parent again */
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_DECOMMIT, 0, PG, NULL, 0));
	EXPECT_BYTES(c, 0, PG, 0x14);
	ASSERT_EQ(paddr(c, 0), paddr(h, 0));
	fill(c, PG, 1, 0x15);
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_DECOMMIT, PG, PG, NULL, 0));
	EXPECT_BYTES(c, PG, PG, 0x13);
	/* a decommit in the parent: the clone reads zero there */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, PG, PG, NULL, 0));
	EXPECT_BYTES(c, PG, PG, 0);
	ASSERT_STATUS(mx_vmo_op_range(c, MX_VMO_OP_LOOKUP, PG, PG,
				      &(mx_paddr_t){ 0 }, 8),
		      MX_ERR_NO_MEMORY);
}

/* vmo: vmo_clone_test_4 (the calls; the mapping half is below) */
TEST(clone_test_4_offsets_and_parent_growth)
{
	mx_handle_t h = vmo(4 * PG), c = 0x5a5a;

	fill(h, 0, 4 * PG, 0x41);
	ASSERT_STATUS(mx_vmo_clone(h, MX_VMO_CLONE_COPY_ON_WRITE, 1, PG, &c),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_clone(h, MX_VMO_CLONE_COPY_ON_WRITE, PG - 1, PG,
				   &c), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(c, 0x5a5a);
	fill(h, PG, 1, 0x42);
	c = clone_of(h, PG, 4 * PG);
	ASSERT_EQ(vsize(c), 4 * PG);
	EXPECT_BYTES(c, 0, 1, 0x42);
	EXPECT_BYTES(c, 1, 3 * PG - 1, 0x41);
	/* beyond the parent's end: zero */
	EXPECT_BYTES(c, 3 * PG, PG, 0);
	/* the parent grows and writes there: the clone sees it */
	ASSERT_OK(mx_vmo_set_size(h, 5 * PG));
	fill(h, 4 * PG, 8, 99);
	EXPECT_BYTES(c, 3 * PG, 8, 99);
	EXPECT_BYTES(c, 3 * PG + 8, PG - 8, 0);
	/* the clone's own size is not the parent's */
	ASSERT_OK(mx_vmo_set_size(h, 0));
	ASSERT_EQ(vsize(c), 4 * PG);
	EXPECT_BYTES(c, 0, 4 * PG, 0);
	/* growing again shows nothing: the parent's pages were freed */
	ASSERT_OK(mx_vmo_set_size(h, 5 * PG));
	EXPECT_BYTES(c, 0, 4 * PG, 0);
	fill(h, 2 * PG, 1, 0x43);
	EXPECT_BYTES(c, PG, 1, 0x43);
}

TEST(clone_beyond_the_parent_and_unrounded)
{
	mx_handle_t h = vmo(PG), c;

	fill(h, 0, PG, 0x61);
	c = clone_of(h, 16 * PG, 5);
	ASSERT_EQ(vsize(c), 5);
	EXPECT_BYTES(c, 0, 5, 0);
	fill(c, 0, 5, 0x62);
	EXPECT_BYTES(h, 0, PG, 0x61);
	c = clone_of(h, 0, 0);
	ASSERT_EQ(vsize(c), 0);
	ASSERT_OK(mx_vmo_set_size(c, PG));
	EXPECT_BYTES(c, 0, PG, 0x61);
	c = clone_of(h, MX_VMO_MAX_SIZE - PG, PG);
	EXPECT_BYTES(c, 0, PG, 0);
	c = clone_of(h, 0, MX_VMO_MAX_SIZE);
	ASSERT_EQ(vsize(c), MX_VMO_MAX_SIZE);
	EXPECT_BYTES(c, 0, PG, 0x61);
}

/* vmo: vmo_clone_rights_test */
TEST(clone_rights_test)
{
	mx_handle_t h = vmo(PG), r, c;
	char name[MX_MAX_NAME_LEN];

	ASSERT_OK(mx_object_set_property(h, MX_PROP_NAME, "original", 8));
	r = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_DUPLICATE);
	c = clone_of(r, 0, PG);
	ASSERT_EQ(mxt_basic(c).rights, MX_RIGHT_READ | MX_RIGHT_DUPLICATE |
		  MX_RIGHT_WRITE | MX_RIGHT_GET_PROPERTY |
		  MX_RIGHT_SET_PROPERTY);
	ASSERT_EQ(mxt_basic(c).rights, 0xCD);
	/* the source could not read the name: not copied */
	get_name(c, name);
	ASSERT_EQ(name[0], 0);
	ASSERT_OK(mx_object_set_property(c, MX_PROP_NAME, "clone", 5));
	get_name(c, name);
	ASSERT_TRUE(strcmp(name, "clone") == 0);
	get_name(h, name);
	ASSERT_TRUE(strcmp(name, "original") == 0);
	/* with GET_PROPERTY it is copied */
	r = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_DUPLICATE |
		    MX_RIGHT_GET_PROPERTY);
	c = clone_of(r, 0, PG);
	ASSERT_EQ(mxt_basic(c).rights, 0xCD);
	get_name(c, name);
	ASSERT_TRUE(strcmp(name, "original") == 0);
	/* MAP, EXECUTE and TRANSFER only if the source had them */
	r = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_DUPLICATE | MX_RIGHT_MAP);
	ASSERT_EQ(mxt_basic(clone_of(r, 0, PG)).rights, 0xCD | MX_RIGHT_MAP);
	ASSERT_EQ(mxt_basic(clone_of(h, 0, PG)).rights, 0xFF);
}

TEST(clone_check_order)
{
	mx_handle_t h = vmo(PG), ev = mxt_event(), c = 0x5a5a;
	size_t before;

	ASSERT_STATUS(mx_vmo_clone(mxt_dup(h, MX_RIGHT_READ), 1, 0, PG, &c),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_clone(mxt_dup(h, MX_RIGHT_DUPLICATE), 1, 0, PG,
				   &c), MX_ERR_ACCESS_DENIED);
	/* the rights before the options */
	ASSERT_STATUS(mx_vmo_clone(mxt_dup(h, MX_RIGHT_READ), 0, 0, PG, &c),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_clone(MX_HANDLE_INVALID, 1, 0, PG, &c),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_vmo_clone(closed_handle(), 1, 0, PG, &c),
		      MX_ERR_BAD_HANDLE);
	/* an event has DUPLICATE and READ */
	ASSERT_STATUS(mx_vmo_clone(ev, 1, 0, PG, &c), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_vmo_clone(ev, 0, 0, PG, &c), MX_ERR_WRONG_TYPE);
	/* bit 0 of the options */
	ASSERT_STATUS(mx_vmo_clone(h, 0, 0, PG, &c), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_clone(h, 2, 0, PG, &c), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_clone(h, 0, 1, UINT64_MAX, &c),
		      MX_ERR_INVALID_ARGS);
	/* then the size, the offset's alignment, the sum */
	ASSERT_STATUS(mx_vmo_clone(h, 1, 0, MX_VMO_MAX_SIZE + 1, &c),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_clone(h, 1, 1, UINT64_MAX, &c),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_clone(h, 1, 1, PG, &c), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_clone(h, 1, MX_VMO_MAX_SIZE, 2 * PG, &c),
		      MX_ERR_OUT_OF_RANGE);
	ASSERT_STATUS(mx_vmo_clone(h, 1, MX_VMO_MAX_SIZE, MX_VMO_MAX_SIZE,
				   &c), MX_ERR_OUT_OF_RANGE);
	ASSERT_EQ(c, 0x5a5a);
	/* other option bits are ignored with bit 0 set */
	ASSERT_OK(mx_vmo_clone(h, 3, 0, PG, &c));
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_vmo_clone(h, 0xffffffffu, 0, PG, &c));
	ASSERT_OK(mx_handle_close(c));
	/* a bad out pointer: no handle is left */
	before = own_handles();
	ASSERT_STATUS(mx_vmo_clone(h, 1, 0, PG, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_clone(h, 1, 0, PG, mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_clone(h, 1, 0, PG, KERNEL_PTR),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(own_handles(), before);
}

TEST(clone_outlives_its_parent_handles)
{
	mx_handle_t h = vmo(2 * PG), c;

	fill(h, 0, 2 * PG, 0x5c);
	c = clone_of(h, 0, 2 * PG);
	ASSERT_OK(mx_handle_close(h));
	EXPECT_BYTES(c, 0, 2 * PG, 0x5c);
	fill(c, 0, 1, 0x5d);
	EXPECT_BYTES(c, 1, 2 * PG - 1, 0x5c);
}

TEST(clone_chain_of_64)
{
	mx_handle_t h = vmo(PG), cur = h, c = 0x5a5a;
	int i;

	fill(h, 0, PG, 0x64);
	for (i = 1; i <= 64; i++)
		cur = clone_of(cur, 0, PG);
	EXPECT_BYTES(cur, 0, PG, 0x64);
	ASSERT_EQ(paddr(cur, 0), paddr(h, 0));
	ASSERT_STATUS(mx_vmo_clone(cur, 1, 0, PG, &c), MX_ERR_NO_RESOURCES);
	ASSERT_EQ(c, 0x5a5a);
	fill(h, 0, 1, 0x65);
	EXPECT_BYTES(cur, 0, 1, 0x65);
}

/* ---- mappings of a VMO, through the fd of mx_handle_to_fd() */

/* Run @fn(@arg) in a child with default signal handling: its end. */
static int child_status(void (*fn)(void *), void *arg)
{
	pid_t pid = mxt_fork();

	if (pid == 0) {
		signal(SIGBUS, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
		fn(arg);
		fflush(NULL);
		_exit(0);
	}
	return mxt_wait_child(pid);
}

static void read_byte(void *arg)
{
	(void)*(volatile char *)arg;
}

static void write_byte(void *arg)
{
	*(volatile char *)arg = 1;
}

#define ASSERT_KILLED_BY_SIGBUS(fn, addr)				\
	do {								\
		int _st = child_status((fn), (addr));			\
		if (!WIFSIGNALED(_st) || WTERMSIG(_st) != SIGBUS)	\
			FAIL("%s(%s): status 0x%x, not killed by SIGBUS", \
			     #fn, #addr, _st);				\
	} while (0)

TEST(map_read_of_absent_pages_is_zero_and_commits_nothing)
{
	mx_handle_t h = vmo(4 * PG);
	char *r = vmo_map(h, 4 * PG, PROT_READ, 0);
	char *rw = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0);

	EXPECT_MEM(r, 4 * PG, 0);
	EXPECT_MEM(rw, 4 * PG, 0);
	ASSERT_EQ(npresent(h, 4), 0);
	/* a write fault allocates that page only */
	rw[PG + 1] = 0x17;
	ASSERT_EQ(present(h, 0), 0);
	ASSERT_EQ(present(h, 1), 1);
	ASSERT_EQ(present(h, 2), 0);
	ASSERT_EQ(r[PG + 1], 0x17);
}

TEST(map_and_syscalls_see_each_other)
{
	mx_handle_t h = vmo(4 * PG);
	char *p = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0);

	memset(p, 0x27, PG);
	EXPECT_BYTES(h, 0, PG, 0x27);
	/* page 1 is read-faulted (the zero page), then written by a call */
	EXPECT_MEM(p + PG, PG, 0);
	fill(h, PG, PG, 0x28);
	EXPECT_MEM(p + PG, PG, 0x28);
	/* a present page written by a call */
	fill(h, 0, 16, 0x29);
	EXPECT_MEM(p, 16, 0x29);
	/* written through the map after a call wrote */
	p[PG + 5] = 0x2a;
	EXPECT_BYTES(h, PG + 5, 1, 0x2a);
	ASSERT_EQ(npresent(h, 4), 2);
}

TEST(two_mappings_and_an_offset)
{
	mx_handle_t h = vmo(4 * PG);
	char *p = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0);
	char *q = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0);
	char *o = vmo_map(h, 2 * PG, PROT_READ, 2 * PG);

	EXPECT_MEM(q + 2 * PG, PG, 0);
	EXPECT_MEM(o, PG, 0);
	memset(p + 2 * PG, 0x37, PG);
	EXPECT_MEM(q + 2 * PG, PG, 0x37);
	EXPECT_MEM(o, PG, 0x37);
	q[3 * PG] = 0x38;
	ASSERT_EQ(p[3 * PG], 0x38);
	ASSERT_EQ(o[PG], 0x38);
	ASSERT_EQ(npresent(h, 4), 2);
}

/* vmo: vmo_commit_test (the mappings) and vmo_zero_page_test */
TEST(commit_and_decommit_while_mapped)
{
	mx_handle_t h = vmo(4 * PG);
	char *a = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0);
	char *b = vmo_map(h, 3 * PG, PROT_READ, PG);
	/* a mapping past the end maps, and faults when touched */
	char *c = vmo_map(h, PG, PROT_READ, 8 * PG);

	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 4 * PG, NULL, 0));
	memset(a, 0x47, 4 * PG);
	EXPECT_MEM(b, 3 * PG, 0x47);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, PG, 2 * PG, NULL, 0));
	ASSERT_EQ(present(h, 1), 0);
	ASSERT_EQ(present(h, 2), 0);
	EXPECT_MEM(a + PG, 2 * PG, 0);
	EXPECT_MEM(b, 2 * PG, 0);
	EXPECT_MEM(a, PG, 0x47);
	EXPECT_MEM(b + 2 * PG, PG, 0x47);
	/* and it reads zero without allocating */
	ASSERT_EQ(present(h, 1), 0);
	/* written again through the map */
	a[PG] = 0x48;
	ASSERT_EQ(b[0], 0x48);
	EXPECT_BYTES(h, PG, 1, 0x48);
	ASSERT_EQ(present(h, 1), 1);
	/* a commit keeps what the mappings show */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, 4 * PG, NULL, 0));
	ASSERT_EQ(b[0], 0x48);
	EXPECT_MEM(a + 2 * PG, PG, 0);
	a[2 * PG] = 0x49;
	EXPECT_BYTES(h, 2 * PG, 1, 0x49);
	ASSERT_KILLED_BY_SIGBUS(read_byte, c);
	/* a misaligned decommit under a map */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0x10, 0x100, NULL, 0));
	EXPECT_MEM(a, PG, 0);
}

TEST(shrink_under_a_mapping_raises_sigbus)
{
	mx_handle_t h = vmo(4 * PG);
	char *p = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0), v = 0;

	memset(p, 0x57, 4 * PG);
	ASSERT_OK(mx_vmo_set_size(h, PG + 10));
	/* the page holding the new end stays whole */
	EXPECT_MEM(p, 2 * PG, 0x57);
	p[PG + 100] = 0x58;
	ASSERT_KILLED_BY_SIGBUS(read_byte, p + 2 * PG);
	ASSERT_KILLED_BY_SIGBUS(write_byte, p + 3 * PG + 5);
	probe_init();
	ASSERT_EQ(peek(p + 2 * PG, &v), SIGBUS);
	ASSERT_EQ(poke(p + 3 * PG, 1), SIGBUS);
	ASSERT_EQ(npresent(h, 2), 2);
	/* grown again: zero, nothing allocated until written */
	ASSERT_OK(mx_vmo_set_size(h, 4 * PG));
	ASSERT_EQ(peek(p + 2 * PG, &v), 0);
	ASSERT_EQ(v, 0);
	EXPECT_MEM(p + 2 * PG, 2 * PG, 0);
	ASSERT_EQ(present(h, 2), 0);
	ASSERT_EQ(present(h, 3), 0);
	ASSERT_EQ(poke(p + 3 * PG, 0x59), 0);
	EXPECT_BYTES(h, 3 * PG, 1, 0x59);
	/* to zero: every page faults */
	ASSERT_OK(mx_vmo_set_size(h, 0));
	ASSERT_EQ(peek(p, &v), SIGBUS);
	ASSERT_KILLED_BY_SIGBUS(read_byte, p);
	/* set_size to the same size while mapped */
	ASSERT_OK(mx_vmo_set_size(h, 0));
}

TEST(mapping_longer_than_the_vmo)
{
	mx_handle_t h = vmo(100);
	char *p = vmo_map(h, 3 * PG, PROT_READ | PROT_WRITE, 0);

	/* the page holding byte 99 is whole */
	p[PG - 1] = 0x67;
	p[0] = 0x68;
	EXPECT_BYTES(h, 0, 1, 0x68);
	ASSERT_KILLED_BY_SIGBUS(read_byte, p + PG);
	ASSERT_KILLED_BY_SIGBUS(write_byte, p + 2 * PG);
	/* the bytes past the size reappear when it grows within the page */
	ASSERT_OK(mx_vmo_set_size(h, PG));
	EXPECT_BYTES(h, PG - 1, 1, 0x67);
}

TEST(mapping_outlives_handles_and_fd)
{
	mx_handle_t h = vmo(2 * PG), back = 0;
	char *p = vmo_map(h, 2 * PG, PROT_READ | PROT_WRITE, 0);
	int fd;

	fill(h, 0, 10, 0x77);
	fd = vmo_fd(h, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_handle_close(h));
	/* no handle: the fd keeps it, and gives handles again */
	ASSERT_OK(mx_handle_from_fd(fd, &back));
	EXPECT_BYTES(back, 0, 10, 0x77);
	ASSERT_OK(mx_handle_close(back));
	ASSERT_EQ(close(fd), 0);
	/* no handle, no fd: the mapping keeps it */
	EXPECT_MEM(p, 10, 0x77);
	memset(p + PG, 0x78, PG);
	EXPECT_MEM(p + PG, PG, 0x78);
	ASSERT_EQ(munmap(p, 2 * PG), 0);
}

/* vmo: vmo_clone_test_3 */
TEST(clone_test_3_through_mappings)
{
	mx_handle_t h = vmo(4 * PG), c;
	char *pp, *cp;

	fill(h, 0, 2 * PG, 0x81);
	c = clone_of(h, 0, 4 * PG);
	pp = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0);
	cp = vmo_map(c, 4 * PG, PROT_READ | PROT_WRITE, 0);
	/* the clone reads the parent's pages, allocating nothing */
	EXPECT_MEM(cp, 2 * PG, 0x81);
	EXPECT_MEM(cp + 2 * PG, 2 * PG, 0);
	ASSERT_EQ(paddr(c, 0), paddr(h, 0));
	/* a write through the clone's map copies; the parent is unchanged */
	cp[10] = 0x82;
	ASSERT_EQ(pp[10], (char)0x81);
	EXPECT_BYTES(h, 0, PG, 0x81);
	ASSERT_EQ(cp[11], (char)0x81);
	ASSERT_NE(paddr(c, 0), paddr(h, 0));
	/* the parent's later writes: seen where the clone has not copied */
	pp[PG] = 0x83;
	ASSERT_EQ(cp[PG], (char)0x83);
	pp[20] = 0x84;
	ASSERT_EQ(cp[20], (char)0x81);
	/* a page the parent allocates later, after the clone read zero */
	pp[3 * PG] = 0x85;
	ASSERT_EQ(cp[3 * PG], (char)0x85);
	fill(h, 2 * PG, 1, 0x86);
	ASSERT_EQ(cp[2 * PG], (char)0x86);
	/* a syscall write of the clone copies, and the map shows it */
	fill(c, PG + 1, 1, 0x87);
	ASSERT_EQ(cp[PG + 1], (char)0x87);
	ASSERT_EQ(cp[PG], (char)0x83);
	ASSERT_EQ(pp[PG + 1], (char)0x81);
	pp[PG] = 0x88;
	ASSERT_EQ(cp[PG], (char)0x83);
}

/* vmo: vmo_clone_test_4 (the mapping) */
TEST(clone_test_4_parent_shrinks_under_a_mapped_clone)
{
	mx_handle_t h = vmo(3 * PG), c;
	char *cp;

	fill(h, 0, 3 * PG, 0x91);
	c = clone_of(h, 0, 3 * PG);
	cp = vmo_map(c, 3 * PG, PROT_READ | PROT_WRITE, 0);
	EXPECT_MEM(cp, 3 * PG, 0x91);
	cp[0] = 0x92;
	ASSERT_OK(mx_vmo_set_size(h, 0));
	/* the clone's copy stays; the rest was the parent's, gone */
	ASSERT_EQ(cp[0], (char)0x92);
	EXPECT_MEM(cp + 1, PG - 1, 0x91);
	EXPECT_MEM(cp + PG, 2 * PG, 0);
	EXPECT_BYTES(c, PG, 2 * PG, 0);
	ASSERT_EQ(vsize(c), 3 * PG);
	/* the parent grows: its new pages show in the clone's map */
	ASSERT_OK(mx_vmo_set_size(h, 3 * PG));
	fill(h, 2 * PG, 4, 99);
	ASSERT_EQ(cp[2 * PG], 99);
}

/* ---- the fd */

TEST(to_fd_needs_transfer_and_takes_the_handle)
{
	mx_handle_t h = vmo(PG), d = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_MAP);
	int fd = -1;

	ASSERT_STATUS(mx_handle_to_fd(d, O_CLOEXEC, &fd), MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(fd, -1);
	ASSERT_EQ(mxt_basic(d).type, MX_OBJ_TYPE_VMO);
	d = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_TRANSFER);
	ASSERT_OK(mx_handle_to_fd(d, 0, &fd));
	ASSERT_TRUE(fd >= 0);
	ASSERT_STATUS(mx_handle_close(d), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ASSERT_EQ(close(fd), 0);
	ASSERT_OK(mx_handle_to_fd(mxt_dup(h, MX_RIGHT_SAME_RIGHTS), O_CLOEXEC,
				  &fd));
	ASSERT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST(fd_read_write_seek_stat)
{
	mx_handle_t h = vmo(3 * PG + 100);
	int fd = vmo_fd(h, MX_RIGHT_SAME_RIGHTS);
	uint64_t size = 3 * PG + 100;
	char buf[256];
	struct stat st;

	ASSERT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	ASSERT_EQ(fstat(fd, &st), 0);
	ASSERT_EQ(st.st_size, size);
	fill(h, 10, 5, 'a');
	ASSERT_EQ(pread(fd, buf, 5, 10), 5);
	ASSERT_TRUE(memcmp(buf, "aaaaa", 5) == 0);
	ASSERT_EQ(pwrite(fd, "hello", 5, PG - 2), 5);
	vread(h, buf, PG - 2, 5);
	ASSERT_TRUE(memcmp(buf, "hello", 5) == 0);
	/* the file position */
	ASSERT_EQ(lseek(fd, 0, SEEK_CUR), 0);
	ASSERT_EQ(write(fd, "xyz", 3), 3);
	ASSERT_EQ(lseek(fd, 0, SEEK_CUR), 3);
	ASSERT_EQ(read(fd, buf, 3), 3);
	ASSERT_TRUE(memcmp(buf, "\0\0\0", 3) == 0);
	ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
	ASSERT_EQ(read(fd, buf, 6), 6);
	ASSERT_TRUE(memcmp(buf, "xyz\0\0\0", 6) == 0);
	vread(h, buf, 0, 3);
	ASSERT_TRUE(memcmp(buf, "xyz", 3) == 0);
	ASSERT_EQ(lseek(fd, 0, SEEK_END), (off_t)size);
	/* at the end: reads give 0, writes ENOSPC, the size stays */
	ASSERT_EQ(read(fd, buf, sizeof(buf)), 0);
	errno = 0;
	ASSERT_EQ(write(fd, "z", 1), -1);
	ASSERT_EQ(errno, ENOSPC);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), size + 100), 0);
	errno = 0;
	ASSERT_EQ(pwrite(fd, "z", 1, size + 100), -1);
	ASSERT_EQ(errno, ENOSPC);
	/* across the end: short */
	ASSERT_EQ(pwrite(fd, buf, sizeof(buf), size - 10), 10);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), size - 20), 20);
	ASSERT_EQ(vsize(h), size);
	ASSERT_EQ(fstat(fd, &st), 0);
	ASSERT_EQ(st.st_size, size);
	/* the size follows set_size */
	ASSERT_OK(mx_vmo_set_size(h, PG));
	ASSERT_EQ(fstat(fd, &st), 0);
	ASSERT_EQ(st.st_size, PG);
	ASSERT_EQ(lseek(fd, 0, SEEK_END), PG);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), PG - 5), 5);
	/* reads of absent pages allocate nothing */
	ASSERT_OK(mx_vmo_set_size(h, 8 * PG));
	ASSERT_EQ(pread(fd, buf, sizeof(buf), 5 * PG), (ssize_t)sizeof(buf));
	EXPECT_MEM(buf, sizeof(buf), 0);
	ASSERT_EQ(present(h, 5), 0);
}

TEST(fd_access_follows_the_rights)
{
	mx_handle_t h = vmo(2 * PG);
	int ro, wo;
	char b[4];
	void *p;

	ro = vmo_fd(h, MX_RIGHT_READ | MX_RIGHT_MAP | MX_RIGHT_TRANSFER);
	ASSERT_EQ(fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
	errno = 0;
	ASSERT_EQ(write(ro, "x", 1), -1);
	ASSERT_EQ(errno, EBADF);
	ASSERT_EQ(pwrite(ro, "x", 1, 0), -1);
	ASSERT_EQ(errno, EBADF);
	ASSERT_EQ(pread(ro, b, 4, 0), 4);
	errno = 0;
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) ==
		    MAP_FAILED);
	ASSERT_EQ(errno, EACCES);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	/* and the mapping cannot be made writable */
	errno = 0;
	ASSERT_EQ(mprotect(p, PG, PROT_READ | PROT_WRITE), -1);
	ASSERT_EQ(errno, EACCES);
	EXPECT_BYTES(h, 0, 2 * PG, 0);

	wo = vmo_fd(h, MX_RIGHT_WRITE | MX_RIGHT_MAP | MX_RIGHT_TRANSFER);
	ASSERT_EQ(fcntl(wo, F_GETFL) & O_ACCMODE, O_WRONLY);
	errno = 0;
	ASSERT_EQ(read(wo, b, 1), -1);
	ASSERT_EQ(errno, EBADF);
	ASSERT_EQ(pwrite(wo, "w", 1, 0), 1);
	EXPECT_BYTES(h, 0, 1, 'w');
	/* no READ: no mapping at all */
	errno = 0;
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ, MAP_SHARED, wo, 0) == MAP_FAILED);
	ASSERT_EQ(errno, EACCES);
}

TEST(mmap_needs_map_and_the_rights_of_its_protection)
{
	mx_handle_t h = vmo(2 * PG);
	int fd;
	void *p;

	/* without MAP */
	fd = vmo_fd(h, MX_DEFAULT_VMO_RIGHTS & ~MX_RIGHT_MAP);
	errno = 0;
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
	ASSERT_EQ(errno, EACCES);
	errno = 0;
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0) ==
		    MAP_FAILED);
	ASSERT_EQ(errno, EACCES);
	/* but read and write work */
	ASSERT_EQ(pwrite(fd, "m", 1, 0), 1);
	close(fd);
	/* without EXECUTE */
	fd = vmo_fd(h, MX_DEFAULT_VMO_RIGHTS & ~MX_RIGHT_EXECUTE);
	errno = 0;
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0) ==
		    MAP_FAILED);
	ASSERT_EQ(errno, EACCES);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	errno = 0;
	ASSERT_EQ(mprotect(p, PG, PROT_READ | PROT_EXEC), -1);
	ASSERT_EQ(errno, EACCES);
	close(fd);
	/* with EXECUTE */
	fd = vmo_fd(h, MX_DEFAULT_VMO_RIGHTS);
	p = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_EQ(*(char *)p, 'm');
	/* private: only without PROT_WRITE */
	errno = 0;
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
			 0) == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_EQ(*(char *)p, 'm');
	fill(h, 0, 1, 'n');
	ASSERT_EQ(*(volatile char *)p, 'n');
	errno = 0;
	ASSERT_EQ(mprotect(p, PG, PROT_READ | PROT_WRITE), -1);
	ASSERT_EQ(errno, EACCES);
}

TEST(from_fd_gives_a_new_handle_each_time)
{
	mx_rights_t rights = MX_RIGHT_READ | MX_RIGHT_MAP | MX_RIGHT_TRANSFER |
			     MX_RIGHT_DUPLICATE;
	mx_handle_t h = vmo(PG), a = 0, b = 0;
	int fd = vmo_fd(h, rights);
	size_t before;

	fill(h, 0, 4, 0x11);
	ASSERT_OK(mx_handle_from_fd(fd, &a));
	ASSERT_OK(mx_handle_from_fd(fd, &b));
	ASSERT_NE(a, b);
	ASSERT_NE(a, h);
	ASSERT_EQ(mxt_basic(a).koid, mxt_basic(h).koid);
	ASSERT_EQ(mxt_basic(b).koid, mxt_basic(h).koid);
	ASSERT_EQ(mxt_basic(a).rights, rights);
	ASSERT_EQ(mxt_basic(b).rights, rights);
	EXPECT_BYTES(a, 0, 4, 0x11);
	ASSERT_STATUS(mx_vmo_write(a, "x", 0, 1, &(size_t){ 0 }),
		      MX_ERR_ACCESS_DENIED);
	/* the fd stays usable */
	ASSERT_EQ(pread(fd, &(char){ 0 }, 1, 0), 1);
	/* and a bad out pointer leaves no handle */
	before = own_handles();
	ASSERT_STATUS(mx_handle_from_fd(fd, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_handle_from_fd(fd, mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(own_handles(), before);
	ASSERT_OK(mx_handle_close(a));
	ASSERT_OK(mx_handle_close(b));
	ASSERT_OK(mx_handle_close(h));
	/* the fd alone keeps the VMO */
	ASSERT_OK(mx_handle_from_fd(fd, &a));
	EXPECT_BYTES(a, 0, 4, 0x11);
	/* other objects' fds still give their handle once (decision 9) */
	{
		mx_handle_t ev = mxt_event(), got = 0;
		int efd = -1;

		ASSERT_OK(mx_handle_to_fd(ev, O_CLOEXEC, &efd));
		ASSERT_OK(mx_handle_from_fd(efd, &got));
		ASSERT_EQ(mxt_basic(got).type, MX_OBJ_TYPE_EVENT);
		ASSERT_STATUS(mx_handle_from_fd(efd, &got), MX_ERR_BAD_STATE);
		errno = 0;
		ASSERT_TRUE(mmap(NULL, PG, PROT_READ, MAP_SHARED, efd, 0) ==
			    MAP_FAILED);
	}
}

/* Mapped VMO memory is special to Linux (decision 8). */
TEST(special_memory)
{
	mx_handle_t h = vmo(2 * PG);
	char *p = vmo_map(h, 2 * PG, PROT_READ | PROT_WRITE, 0);
	char buf[16];
	struct iovec local = { buf, sizeof(buf) }, remote = { p, sizeof(buf) };
	int fd, pfd[2];
	long r;

	memset(p, 0x21, PG);
	/* process_vm_readv cannot reach it */
	ASSERT_EQ(process_vm_readv(getpid(), &local, 1, &remote, 1, 0), -1);
	/* /proc/self/mem can */
	fd = open("/proc/self/mem", O_RDWR);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(pread(fd, buf, sizeof(buf), (off_t)(uintptr_t)p),
		  (ssize_t)sizeof(buf));
	EXPECT_MEM(buf, sizeof(buf), 0x21);
	memset(buf, 0x22, sizeof(buf));
	ASSERT_EQ(pwrite(fd, buf, sizeof(buf), (off_t)(uintptr_t)(p + PG)),
		  (ssize_t)sizeof(buf));
	EXPECT_BYTES(h, PG, sizeof(buf), 0x22);
	close(fd);
	/* nor vmsplice */
	ASSERT_EQ(pipe(pfd), 0);
	ASSERT_EQ(vmsplice(pfd[1], &remote, 1, 0), -1);
	/* shared futexes: EFAULT; private ones work */
	*(volatile int *)p = 5;
	errno = 0;
	r = syscall(SYS_futex, p, FUTEX_WAKE, 1, NULL, NULL, 0);
	ASSERT_EQ(r, -1);
	ASSERT_EQ(errno, EFAULT);
	errno = 0;
	r = syscall(SYS_futex, p, FUTEX_WAIT, 4, NULL, NULL, 0);
	ASSERT_EQ(r, -1);
	ASSERT_EQ(errno, EFAULT);
	r = syscall(SYS_futex, p, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	ASSERT_EQ(r, 0);
	errno = 0;
	r = syscall(SYS_futex, p, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0);
	ASSERT_EQ(r, -1);
	ASSERT_EQ(errno, EAGAIN);
}

struct futex_waiter {
	int *word;
	long r;
};

static void *futex_wait_thread(void *arg)
{
	struct futex_waiter *w = arg;

	w->r = syscall(SYS_futex, w->word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL,
		       0);
	return NULL;
}

TEST(private_futex_wait_and_wake_on_vmo_memory)
{
	mx_handle_t h = vmo(PG);
	int *word = vmo_map(h, PG, PROT_READ | PROT_WRITE, 0);
	struct futex_waiter w = { word, -2 };
	pthread_t t;
	long woken = 0;

	ASSERT_EQ(pthread_create(&t, NULL, futex_wait_thread, &w), 0);
	for (int i = 0; i < 5000 && woken == 0; i++) {
		usleep(1000);
		woken = syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL,
				NULL, 0);
	}
	ASSERT_EQ(woken, 1);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	ASSERT_EQ(w.r, 0);
}

/* ---- copies between a VMO and a mapping of a VMO */

TEST(copy_between_a_vmo_and_its_own_mapping)
{
	mx_handle_t h = vmo(4 * PG), c;
	char *p = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0), *cp;

	/* the source is an absent page of the same VMO: a read fault */
	fill(h, 0, PG, 0x31);
	vwrite(h, p + 2 * PG, 0, PG);
	EXPECT_BYTES(h, 0, PG, 0);
	/* the destination is an absent page of the same VMO: a write fault */
	fill(h, PG, PG, 0x32);
	vread(h, p + 3 * PG, PG, PG);
	EXPECT_BYTES(h, 3 * PG, PG, 0x32);
	/* overlapping within one page */
	vwrite(h, p + PG, PG + 1, PG - 1);
	EXPECT_BYTES(h, PG, PG, 0x32);
	/* a clone's mapping as the destination of a read of its parent */
	c = clone_of(h, 0, 4 * PG);
	cp = vmo_map(c, 4 * PG, PROT_READ | PROT_WRITE, 0);
	vread(h, cp, 3 * PG, PG);
	EXPECT_MEM(cp, PG, 0x32);
	EXPECT_BYTES(h, 0, PG, 0);
	/* the parent's map as the source of a write of its clone */
	vwrite(c, p + PG, 2 * PG, PG);
	EXPECT_BYTES(c, 2 * PG, PG, 0x32);
	EXPECT_MEM(p + 2 * PG, PG, 0);
}

/* ---- another user */

static void another_user_body(void *arg)
{
	mx_handle_t h = vmo(3 * PG), c, *fromroot = arg;
	char *p;
	int fd;

	(void)fromroot;
	fill(h, 0, 3 * PG, 0xa1);
	c = clone_of(h, PG, 2 * PG);
	EXPECT_BYTES(c, 0, 2 * PG, 0xa1);
	p = vmo_map(h, 3 * PG, PROT_READ | PROT_WRITE, 0);
	EXPECT_MEM(p, 3 * PG, 0xa1);
	p[0] = 0x11;
	EXPECT_BYTES(h, 0, 1, 0x11);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0, PG, NULL, 0));
	EXPECT_MEM(p, PG, 0);
	ASSERT_OK(mx_vmo_set_size(h, PG));
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_COMMIT, 0, PG, NULL, 0));
	ASSERT_STATUS(mx_vmo_set_cache_policy(h, 1), MX_ERR_NOT_SUPPORTED);
	fd = vmo_fd(h, MX_RIGHT_SAME_RIGHTS);
	ASSERT_EQ(pwrite(fd, "u", 1, 5), 1);
	EXPECT_BYTES(h, 5, 1, 'u');
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(h));
}

TEST(everything_works_as_another_user)
{
	mxt_as_user(4502, another_user_body, NULL);
}

/* Root's VMO, sent to a process of another user. */
static void other_user_gets_a_vmo(void *arg)
{
	int fd = *(int *)arg;
	mx_handle_t ch, v = 0;
	uint32_t nb, nh;
	char buf[4], *p;

	mxt_become(4503);
	ASSERT_OK(mx_handle_from_fd(fd, &ch));
	close(fd);
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, buf, &v, sizeof(buf), 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	ASSERT_EQ(mxt_basic(v).rights, MX_RIGHT_READ | MX_RIGHT_MAP |
		  MX_RIGHT_TRANSFER);
	EXPECT_BYTES(v, 0, PG, 0xb1);
	/* what the handle does not allow, the other user cannot do */
	ASSERT_STATUS(mx_vmo_write(v, "x", 0, 1, &(size_t){ 0 }),
		      MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_set_size(v, 0), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_clone(v, 1, 0, PG, &ch), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_vmo_op_range(v, MX_VMO_OP_LOOKUP, 0, PG,
				      &(mx_paddr_t){ 0 }, 8),
		      MX_ERR_ACCESS_DENIED);
	/* no DUPLICATE: the handle itself goes into the fd */
	ASSERT_OK(mx_handle_to_fd(v, O_CLOEXEC, &fd));
	errno = 0;
	ASSERT_TRUE(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) ==
		    MAP_FAILED);
	ASSERT_EQ(errno, EACCES);
	ASSERT_EQ(pwrite(fd, "x", 1, 0), -1);
	ASSERT_EQ(errno, EBADF);
	p = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	EXPECT_MEM(p, PG, 0xb1);
}

TEST(a_read_only_handle_for_another_user)
{
	mx_handle_t h = vmo(PG), a, b, d;
	int fd = -1;

	fill(h, 0, PG, 0xb1);
	mxt_channel(&a, &b);
	ASSERT_OK(mx_handle_to_fd(b, O_CLOEXEC, &fd));
	d = mxt_dup(h, MX_RIGHT_READ | MX_RIGHT_MAP | MX_RIGHT_TRANSFER);
	ASSERT_OK(mx_channel_write(a, 0, "v", 1, &d, 1));
	mxt_in_child(other_user_gets_a_vmo, &fd);
	EXPECT_BYTES(h, 0, PG, 0xb1);
	ASSERT_EQ(vsize(h), PG);
}

/* ---- races */

#define RACE_PAGES	16u
#define STABLE_PAGES	2u	/* never shrunk away */

struct race {
	mx_handle_t h;
	char *map;
	int stop;
	unsigned long rw_ok, rw_oor, sigbus, faults, resizes;
	const char *bad;	/* the first wrong result, or NULL */
	long bad_value;
};

static void race_bad(struct race *r, const char *what, long value)
{
	const char *none = NULL;

	if (__atomic_compare_exchange_n(&r->bad, &none, what, 0,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		r->bad_value = value;
}

static int race_stopped(struct race *r)
{
	return __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE);
}

static void *race_resizer(void *arg)
{
	struct race *r = arg;
	uint64_t seed = 1;
	mx_status_t s;

	while (!race_stopped(r)) {
		uint64_t x = mxt_rnd(&seed), off = (x % RACE_PAGES) * PG + x % 7;
		uint64_t len = (x >> 8) % (4 * PG);
		mx_handle_t c;

		s = mx_vmo_set_size(r->h, STABLE_PAGES * PG + (x >> 20) % PG);
		if (s != MX_OK)
			race_bad(r, "set_size shrink", s);
		s = mx_vmo_set_size(r->h, RACE_PAGES * PG);
		if (s != MX_OK)
			race_bad(r, "set_size grow", s);
		s = mx_vmo_op_range(r->h, MX_VMO_OP_DECOMMIT, off, len, NULL, 0);
		if (s != MX_OK)
			race_bad(r, "decommit", s);
		s = mx_vmo_op_range(r->h, MX_VMO_OP_COMMIT, off, len / 2, NULL,
				    0);
		if (s != MX_OK)
			race_bad(r, "commit", s);
		s = mx_vmo_clone(r->h, MX_VMO_CLONE_COPY_ON_WRITE, 0,
				 RACE_PAGES * PG, &c);
		if (s != MX_OK) {
			race_bad(r, "clone", s);
		} else {
			char b[64];
			size_t a;

			s = mx_vmo_read(c, b, off, sizeof(b), &a);
			if (s != MX_OK)
				race_bad(r, "clone read", s);
			mx_handle_close(c);
		}
		__atomic_fetch_add(&r->resizes, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *race_copier(void *arg)
{
	struct race *r = arg;
	static _Thread_local char buf[3 * PG];
	uint64_t seed = (uint64_t)(uintptr_t)&seed;

	while (!race_stopped(r)) {
		uint64_t x = mxt_rnd(&seed), off = x % (RACE_PAGES * PG);
		size_t len = (x >> 16) % sizeof(buf), actual = SIZE_MAX;
		mx_status_t s;

		if (x & (1ull << 60))
			s = mx_vmo_write(r->h, buf, off, len, &actual);
		else
			s = mx_vmo_read(r->h, buf, off, len, &actual);
		if (s == MX_OK && actual <= len)
			__atomic_fetch_add(&r->rw_ok, 1, __ATOMIC_RELAXED);
		else if (s == MX_ERR_OUT_OF_RANGE && actual == SIZE_MAX)
			__atomic_fetch_add(&r->rw_oor, 1, __ATOMIC_RELAXED);
		else
			race_bad(r, s == MX_OK ? "copy: actual > len" :
				 "copy status", s == MX_OK ? (long)actual : s);
	}
	return NULL;
}

/* Faults anywhere in the mapping: each works or raises SIGBUS. */
static void *race_faulter(void *arg)
{
	struct race *r = arg;
	uint64_t seed = (uint64_t)(uintptr_t)&seed;
	char v;

	while (!race_stopped(r)) {
		uint64_t x = mxt_rnd(&seed);
		char *p = r->map + x % (RACE_PAGES * PG);
		int sig = (x & (1ull << 62)) ? poke(p, (char)x) : peek(p, &v);

		if (sig == SIGBUS)
			__atomic_fetch_add(&r->sigbus, 1, __ATOMIC_RELAXED);
		else if (sig != 0)
			race_bad(r, "fault: signal", sig);
		__atomic_fetch_add(&r->faults, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Faults in the pages that always exist: never a signal. */
static void *race_stable_faulter(void *arg)
{
	struct race *r = arg;
	uint64_t seed = (uint64_t)(uintptr_t)&seed;
	char v;

	while (!race_stopped(r)) {
		uint64_t x = mxt_rnd(&seed);
		char *p = r->map + x % (STABLE_PAGES * PG);
		int sig = (x & (1ull << 62)) ? poke(p, (char)x) : peek(p, &v);

		if (sig != 0)
			race_bad(r, "fault in the stable pages: signal", sig);
		__atomic_fetch_add(&r->faults, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * Run @n threads of @fns on @r, over a mapping of a new VMO of
 * RACE_PAGES, for 3 seconds (6 on a debug kernel) or until one finds
 * something wrong.
 */
static void run_race(struct race *r, void *(*const *fns)(void *), int n)
{
	mx_time_t end = mxt_now() + MX_SEC(mxt_debug_kernel() ? 6 : 3);
	pthread_t t[8];

	ASSERT_TRUE(n <= 8);
	r->h = vmo(RACE_PAGES * PG);
	r->map = vmo_map(r->h, RACE_PAGES * PG, PROT_READ | PROT_WRITE, 0);
	probe_init();
	for (int i = 0; i < n; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, fns[i], r), 0);
	while (mxt_now() < end && !__atomic_load_n(&r->bad, __ATOMIC_ACQUIRE))
		usleep(10000);
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < n; i++)
		ASSERT_EQ(pthread_join(t[i], NULL), 0);
}

TEST(race_resize_decommit_against_copies_and_faults)
{
	static struct race r;
	void *(*const fns[])(void *) = { race_resizer, race_copier,
					 race_copier, race_faulter,
					 race_faulter, race_stable_faulter };

	run_race(&r, fns, sizeof(fns) / sizeof(fns[0]));
	printf("# %lu resize rounds, %lu copies (%lu out of range), %lu faults"
	       " (%lu SIGBUS)\n", r.resizes, r.rw_ok + r.rw_oor, r.rw_oor,
	       r.faults, r.sigbus);
	if (r.bad)
		FAIL("%s: %ld", r.bad, r.bad_value);
	ASSERT_TRUE(r.resizes > 0 && r.rw_ok > 0 && r.faults > 0);
	/* the VMO is whole afterwards */
	ASSERT_OK(mx_vmo_set_size(r.h, RACE_PAGES * PG));
	fill(r.h, 0, RACE_PAGES * PG, 0xe1);
	EXPECT_MEM(r.map, RACE_PAGES * PG, 0xe1);
	ASSERT_EQ(npresent(r.h, RACE_PAGES), RACE_PAGES);
	ASSERT_OK(mx_vmo_op_range(r.h, MX_VMO_OP_DECOMMIT, 0, RACE_PAGES * PG,
				  NULL, 0));
	ASSERT_EQ(npresent(r.h, RACE_PAGES), 0);
	EXPECT_MEM(r.map, RACE_PAGES * PG, 0);
}

/* Two processes map one VMO while a third party shrinks and grows it. */
static void race_child(void *arg)
{
	struct race *r = arg;
	char v;

	probe_init();
	for (int i = 0; i < 20000; i++) {
		char *p = r->map + ((unsigned)i * 613u) % (RACE_PAGES * PG);
		int sig = (i & 1) ? poke(p, 1) : peek(p, &v);

		if (sig != 0 && sig != SIGBUS)
			FAIL("signal %d at %p", sig, (void *)p);
	}
}

TEST(race_resize_against_faults_of_another_process)
{
	static struct race r;
	pthread_t t;

	r.h = vmo(RACE_PAGES * PG);
	r.map = vmo_map(r.h, RACE_PAGES * PG, PROT_READ | PROT_WRITE, 0);
	ASSERT_EQ(pthread_create(&t, NULL, race_resizer, &r), 0);
	mxt_in_child(race_child, &r);
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	if (r.bad)
		FAIL("%s: %ld", r.bad, r.bad_value);
}

/* ---- held faults: a copy held at its user page while the VMO changes */

struct held_ctx {
	mx_handle_t h, other;
	uint64_t size;
	uint32_t op;
	mx_status_t status;
};

static void during_close(void *arg)
{
	struct held_ctx *c = arg;

	c->status = mx_handle_close(c->h);
}

static void during_set_size(void *arg)
{
	struct held_ctx *c = arg;

	c->status = mx_vmo_set_size(c->other, c->size);
}

static void during_op(void *arg)
{
	struct held_ctx *c = arg;

	c->status = mx_vmo_op_range(c->other, c->op, 0, UINT64_MAX, NULL, 0);
}

TEST(held_write_while_its_handle_is_closed)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99 };
	mx_handle_t keep;
	size_t actual = 0;
	void *page;

	c.h = vmo(2 * PG);
	keep = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	fill(c.h, 0, 2 * PG, 0xc1);
	page = mxt_held_page(&held, during_close, &c, false);
	/* the held page turns into zeros: they land in the VMO */
	ASSERT_OK(mx_vmo_write(c.h, page, PG, PG, &actual));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(actual, PG);
	ASSERT_STATUS(mx_handle_close(c.h), MX_ERR_BAD_HANDLE);
	EXPECT_BYTES(keep, 0, PG, 0xc1);
	EXPECT_BYTES(keep, PG, PG, 0);
}

TEST(held_read_while_its_last_handle_is_closed)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99 };
	size_t actual = 0;
	void *page;

	c.h = vmo(2 * PG);
	fill(c.h, 0, 2 * PG, 0xc2);
	page = mxt_held_page(&held, during_close, &c, false);
	ASSERT_OK(mx_vmo_read(c.h, page, 0, PG, &actual));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(actual, PG);
	EXPECT_MEM(page, PG, 0xc2);
	ASSERT_STATUS(mx_handle_close(c.h), MX_ERR_BAD_HANDLE);
}

TEST(held_actual_while_the_handle_is_closed)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99 };
	mx_handle_t keep;
	size_t *actual;

	c.h = vmo(PG);
	keep = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	actual = mxt_held_page(&held, during_close, &c, false);
	ASSERT_OK(mx_vmo_write(c.h, "12345678", 8, 8, actual));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(*actual, 8);
	EXPECT_BYTES(keep, 0, 8, 0);
	{
		char b[8];

		vread(keep, b, 8, 8);
		ASSERT_TRUE(memcmp(b, "12345678", 8) == 0);
	}
}

TEST(held_read_while_the_vmo_shrinks)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99, .size = 0 };
	size_t actual = 77;
	unsigned char *page;
	mx_status_t s;

	c.h = vmo(3 * PG);
	c.other = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	fill(c.h, 0, 3 * PG, 0xc3);
	page = mxt_held_page(&held, during_set_size, &c, false);
	s = mx_vmo_read(c.h, page, 2 * PG, PG, &actual);
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	printf("# read held while the VMO shrank to 0: %s, actual %zu, "
	       "first byte 0x%02x\n", mx_status_get_string(s), actual, page[0]);
	if (s == MX_OK) {
		ASSERT_TRUE(actual <= PG);
		/* the old data or zeros, nothing else */
		for (size_t i = 0; i < PG; i++)
			if (page[i] != 0xc3 && page[i] != 0)
				FAIL("byte %zu: 0x%02x", i, page[i]);
	} else {
		ASSERT_STATUS(s, MX_ERR_OUT_OF_RANGE);
	}
	ASSERT_EQ(vsize(c.h), 0);
	ASSERT_OK(mx_vmo_set_size(c.h, 3 * PG));
	ASSERT_EQ(npresent(c.h, 3), 0);
	EXPECT_BYTES(c.h, 0, 3 * PG, 0);
}

TEST(held_write_while_the_vmo_shrinks)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99, .size = PG };
	size_t actual = 77;
	void *page;
	mx_status_t s;

	c.h = vmo(3 * PG);
	c.other = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	fill(c.h, 0, 3 * PG, 0xc4);
	page = mxt_held_page(&held, during_set_size, &c, false);
	s = mx_vmo_write(c.h, page, 2 * PG, PG, &actual);
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	printf("# write held while the VMO shrank: %s, actual %zu\n",
	       mx_status_get_string(s), actual);
	if (s == MX_OK)
		ASSERT_TRUE(actual <= PG);
	else
		ASSERT_STATUS(s, MX_ERR_OUT_OF_RANGE);
	/* the write never put a page past the new size, nor grew it */
	ASSERT_EQ(vsize(c.h), PG);
	ASSERT_OK(mx_vmo_set_size(c.h, 3 * PG));
	ASSERT_EQ(present(c.h, 0), 1);
	ASSERT_EQ(present(c.h, 1), 0);
	ASSERT_EQ(present(c.h, 2), 0);
	EXPECT_BYTES(c.h, 0, PG, 0xc4);
	EXPECT_BYTES(c.h, PG, 2 * PG, 0);
}

TEST(held_write_while_the_page_is_decommitted)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99, .op = MX_VMO_OP_DECOMMIT };
	size_t actual = 77;
	void *page;

	c.h = vmo(2 * PG);
	c.other = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	fill(c.h, 0, 2 * PG, 0xc5);
	page = mxt_held_page(&held, during_op, &c, false);
	ASSERT_OK(mx_vmo_write(c.h, page, 100, PG, &actual));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(actual, PG);
	EXPECT_BYTES(c.h, 0, 2 * PG, 0);
}

TEST(held_lookup_while_the_pages_are_decommitted)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99, .op = MX_VMO_OP_DECOMMIT };
	void *page;
	mx_status_t s;

	c.h = vmo(4 * PG);
	c.other = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_vmo_op_range(c.h, MX_VMO_OP_COMMIT, 0, 4 * PG, NULL, 0));
	page = mxt_held_page(&held, during_op, &c, false);
	s = mx_vmo_op_range(c.h, MX_VMO_OP_LOOKUP, 0, 4 * PG, page, PG);
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	if (s != MX_OK)
		ASSERT_STATUS(s, MX_ERR_NO_MEMORY);
	ASSERT_EQ(npresent(c.h, 4), 0);
}

TEST(held_write_whose_page_goes_away)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99 };
	size_t actual = 77;
	void *page;

	c.h = vmo(2 * PG);
	c.other = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	c.size = 2 * PG;
	page = mxt_held_page(&held, during_set_size, &c, true);
	ASSERT_STATUS(mx_vmo_write(c.h, page, 0, PG, &actual),
		      MX_ERR_INVALID_ARGS);
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	ASSERT_EQ(actual, 77);
	EXPECT_BYTES(c.h, 0, 2 * PG, 0);
}

TEST(held_clone_out_while_the_parent_is_closed)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99 };
	mx_handle_t *out;
	size_t before;

	c.h = vmo(PG);
	fill(c.h, 0, PG, 0xc6);
	before = own_handles();
	out = mxt_held_page(&held, during_close, &c, false);
	ASSERT_OK(mx_vmo_clone(c.h, 1, 0, PG, out));
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	EXPECT_BYTES(*out, 0, PG, 0xc6);
	/* the parent's handle went, the clone's came */
	ASSERT_EQ(own_handles(), before);
}

/* ---- more of clones and mappings */

TEST(clone_chain_shows_the_nearest_page)
{
	mx_handle_t a = vmo(2 * PG), b, c;
	char *cm;

	fill(a, 0, 2 * PG, 0x01);
	b = clone_of(a, 0, 2 * PG);
	c = clone_of(b, 0, 2 * PG);
	cm = vmo_map(c, 2 * PG, PROT_READ, 0);
	EXPECT_MEM(cm, 2 * PG, 0x01);
	/* b copies page 0: c now sees b's page */
	fill(b, 0, PG, 0x02);
	EXPECT_BYTES(c, 0, PG, 0x02);
	EXPECT_MEM(cm, PG, 0x02);
	ASSERT_EQ(paddr(c, 0), paddr(b, 0));
	ASSERT_EQ(paddr(c, 1), paddr(a, 1));
	/* a's later writes no longer show on page 0, still on page 1 */
	fill(a, 0, 2 * PG, 0x03);
	EXPECT_MEM(cm, PG, 0x02);
	EXPECT_MEM(cm + PG, PG, 0x03);
	/* b lets go of its copy: a's page shows again */
	ASSERT_OK(mx_vmo_op_range(b, MX_VMO_OP_DECOMMIT, 0, PG, NULL, 0));
	EXPECT_MEM(cm, PG, 0x03);
	EXPECT_BYTES(c, 0, PG, 0x03);
	/* a lets go too: zero */
	ASSERT_OK(mx_vmo_op_range(a, MX_VMO_OP_DECOMMIT, 0, PG, NULL, 0));
	EXPECT_MEM(cm, PG, 0);
	EXPECT_BYTES(c, 0, PG, 0);
	/* a writes a new page there: it shows through two levels */
	fill(a, 0, 1, 0x04);
	ASSERT_EQ(cm[0], 0x04);
	/* the middle goes away (no handle): the chain holds */
	ASSERT_OK(mx_handle_close(b));
	fill(a, PG, 1, 0x05);
	ASSERT_EQ(cm[PG], 0x05);
}

TEST(clone_mapping_after_parent_decommit_and_clone_commit)
{
	mx_handle_t h = vmo(3 * PG), c;
	char *cm, *pm;

	fill(h, 0, 3 * PG, 0x11);
	c = clone_of(h, 0, 3 * PG);
	cm = vmo_map(c, 3 * PG, PROT_READ | PROT_WRITE, 0);
	pm = vmo_map(h, 3 * PG, PROT_READ | PROT_WRITE, 0);
	EXPECT_MEM(cm, 3 * PG, 0x11);
	/* the parent's page goes: the clone's map must not keep it */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 0, PG, NULL, 0));
	EXPECT_MEM(cm, PG, 0);
	pm[0] = 0x12;
	ASSERT_EQ(cm[0], 0x12);
	/* the clone commits page 1: its map shows the clone's zero page */
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_COMMIT, PG, PG, NULL, 0));
	EXPECT_MEM(cm + PG, PG, 0);
	pm[PG] = 0x13;
	ASSERT_EQ(cm[PG], 0);
	/* and decommits it: the parent's page again */
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_DECOMMIT, PG, PG, NULL, 0));
	ASSERT_EQ(cm[PG], 0x13);
	/* a clone write fault on a page the parent lacks copies zeros */
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 2 * PG, PG, NULL, 0));
	cm[2 * PG + 1] = 0x14;
	ASSERT_EQ(cm[2 * PG], 0);
	pm[2 * PG] = 0x15;
	ASSERT_EQ(cm[2 * PG], 0);
	ASSERT_EQ(cm[2 * PG + 1], 0x14);
	ASSERT_EQ(pm[2 * PG + 1], 0);
	/* the parent shrinks to 0 and grows: the clone's own page stays */
	ASSERT_OK(mx_vmo_set_size(h, 0));
	ASSERT_OK(mx_vmo_set_size(h, 3 * PG));
	EXPECT_MEM(cm, 2 * PG, 0);
	ASSERT_EQ(cm[2 * PG + 1], 0x14);
}

/* Mappings copied by fork() are the same mappings. */
static void fork_child_writes(void *arg)
{
	char *p = arg;

	p[0] = 0x21;		/* the zero page, read-faulted before fork */
	p[PG] = 0x22;		/* a page of the VMO, present */
	p[3 * PG] = 0x23;	/* a clone's map of its parent's page */
}

TEST(mappings_across_fork)
{
	mx_handle_t h = vmo(3 * PG), c;
	char *p, *cp, *both;

	fill(h, PG, PG, 0x20);
	c = clone_of(h, 0, 3 * PG);
	/* one region: the VMO's map, then the clone's */
	both = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		    0);
	ASSERT_TRUE(both != MAP_FAILED);
	{
		int fd = vmo_fd(h, MX_RIGHT_SAME_RIGHTS);
		int cfd = vmo_fd(c, MX_RIGHT_SAME_RIGHTS);

		p = mmap(both, 3 * PG, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, fd, 0);
		cp = mmap(both + 3 * PG, PG, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_FIXED, cfd, PG);
		ASSERT_TRUE(p == both && cp == both + 3 * PG);
		close(fd);
		close(cfd);
	}
	ASSERT_EQ(p[0], 0);
	ASSERT_EQ(p[PG], 0x20);
	ASSERT_EQ(cp[0], 0x20);
	mxt_in_child(fork_child_writes, both);
	EXPECT_BYTES(h, 0, 1, 0x21);
	ASSERT_EQ(p[0], 0x21);
	ASSERT_EQ(p[PG], 0x22);
	/* the child's write to the clone's map copied the page in the clone */
	ASSERT_EQ(cp[0], 0x23);
	EXPECT_BYTES(c, PG, 1, 0x23);
	EXPECT_BYTES(h, PG, 1, 0x22);
	EXPECT_BYTES(h, PG + 1, PG - 1, 0x20);
	EXPECT_BYTES(c, PG + 1, PG - 1, 0x20);
}

TEST(mapping_at_the_largest_file_offset)
{
	mx_handle_t h = vmo(MX_VMO_MAX_SIZE);
	/* the last page below 2^63 that Linux lets a file map */
	off_t off = (off_t)((INT64_MAX - PG) & ~(int64_t)(PG - 1));
	char *p = vmo_map(h, PG, PROT_READ | PROT_WRITE, off);

	ASSERT_EQ(p[5], 0);
	p[5] = 0x31;
	EXPECT_BYTES(h, (uint64_t)off + 5, 1, 0x31);
	fill(h, (uint64_t)off + 6, 1, 0x32);
	ASSERT_EQ(p[6], 0x32);
	ASSERT_EQ(present(h, (uint64_t)off / PG), 1);
}

/* A call's copy into or out of a mapped page past the end fails cleanly. */
TEST(copies_to_and_from_a_page_past_the_end)
{
	mx_handle_t h = vmo(2 * PG), other = vmo(PG);
	char *p = vmo_map(h, 2 * PG, PROT_READ | PROT_WRITE, 0);
	int fd = vmo_fd(other, MX_RIGHT_SAME_RIGHTS);
	size_t actual = 77;

	fill(other, 0, PG, 0x41);
	fill(h, 0, PG, 0x42);
	ASSERT_OK(mx_vmo_set_size(h, PG));
	/* no SIGBUS to the caller: the calls fail */
	ASSERT_STATUS(mx_vmo_read(other, p + PG, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	EXPECT_BYTES(other, 0, PG, 0x41);
	ASSERT_STATUS(mx_vmo_write(other, p + PG, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(actual, 77);
	/* nothing could be read from the source: nothing changed */
	EXPECT_BYTES(other, 0, PG, 0x41);
	/* the same VMO's own map past its end */
	ASSERT_STATUS(mx_vmo_read(h, p + PG, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_vmo_write(h, p + PG, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	EXPECT_BYTES(h, 0, PG, 0x42);
	errno = 0;
	ASSERT_EQ(pread(fd, p + PG, 16, 0), -1);
	ASSERT_EQ(errno, EFAULT);
	errno = 0;
	ASSERT_EQ(pwrite(fd, p + PG, 16, 0), -1);
	ASSERT_EQ(errno, EFAULT);
	EXPECT_BYTES(other, 0, PG, 0x41);
}

/*
 * A write whose source faults changes the VMO only where bytes were read
 * from the source: the rest of the range keeps its data (no zero fill).
 */
TEST(write_fault_leaves_the_rest_of_the_range)
{
	mx_handle_t h = vmo(3 * PG);
	char *buf = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t actual = 77;

	ASSERT_TRUE(buf != MAP_FAILED);
	fill(h, 0, 3 * PG, 0x99);
	/* wholly unreadable sources */
	ASSERT_STATUS(mx_vmo_write(h, KERNEL_PTR, 0, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	EXPECT_BYTES(h, 0, 3 * PG, 0x99);
	ASSERT_EQ(mprotect(buf + PG, PG, PROT_NONE), 0);
	ASSERT_STATUS(mx_vmo_write(h, buf + PG, 100, 16, &actual),
		      MX_ERR_INVALID_ARGS);
	EXPECT_BYTES(h, 0, 3 * PG, 0x99);
	/* the source faults after its first page */
	memset(buf, 0x46, PG);
	ASSERT_STATUS(mx_vmo_write(h, buf, PG, 2 * PG, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(actual, 77);
	EXPECT_BYTES(h, 0, PG, 0x99);
	EXPECT_BYTES(h, PG, PG, 0x46);
	EXPECT_BYTES(h, 2 * PG, PG, 0x99);
}

TEST(fd_write_fault_leaves_the_rest_of_the_range)
{
	mx_handle_t h = vmo(3 * PG);
	char *buf = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = vmo_fd(h, MX_RIGHT_SAME_RIGHTS);

	ASSERT_TRUE(buf != MAP_FAILED);
	fill(h, 0, 3 * PG, 0x99);
	errno = 0;
	ASSERT_EQ(pwrite(fd, KERNEL_PTR, 16, 100), -1);
	ASSERT_EQ(errno, EFAULT);
	EXPECT_BYTES(h, 0, 3 * PG, 0x99);
	ASSERT_EQ(mprotect(buf + PG, PG, PROT_NONE), 0);
	errno = 0;
	ASSERT_EQ(pwrite(fd, buf + PG, 16, 100), -1);
	ASSERT_EQ(errno, EFAULT);
	EXPECT_BYTES(h, 0, 3 * PG, 0x99);
	/* a short write, the rest kept */
	memset(buf, 0x46, PG);
	ASSERT_EQ(pwrite(fd, buf, 2 * PG, 10), PG);
	EXPECT_BYTES(h, 0, 10, 0x99);
	EXPECT_BYTES(h, 10, PG, 0x46);
	EXPECT_BYTES(h, PG + 10, 2 * PG - 10, 0x99);
}

/* The fd's read and write with a map of the same VMO as the buffer. */
TEST(fd_copies_with_its_own_mapping)
{
	mx_handle_t h = vmo(4 * PG), c;
	int fd = vmo_fd(h, MX_RIGHT_SAME_RIGHTS), cfd;
	char *p = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0), *cp;

	fill(h, 0, PG, 0x51);
	/* into an absent page of itself: a write fault during the read */
	ASSERT_EQ(pread(fd, p + 2 * PG, PG, 0), PG);
	EXPECT_BYTES(h, 2 * PG, PG, 0x51);
	/* from an absent page of itself: a read fault during the write */
	ASSERT_EQ(pwrite(fd, p + 3 * PG, PG, 0), PG);
	EXPECT_BYTES(h, 0, PG, 0);
	/* a clone's fd reading into its parent's map, and back */
	c = clone_of(h, 0, 4 * PG);
	cfd = vmo_fd(c, MX_RIGHT_SAME_RIGHTS);
	cp = vmo_map(c, 4 * PG, PROT_READ | PROT_WRITE, 0);
	ASSERT_EQ(pwrite(cfd, p + 2 * PG, PG, PG), PG);
	EXPECT_BYTES(c, PG, PG, 0x51);
	EXPECT_BYTES(h, PG, PG, 0);
	ASSERT_EQ(pread(fd, cp + 3 * PG, PG, 2 * PG), PG);
	EXPECT_BYTES(c, 3 * PG, PG, 0x51);
	EXPECT_BYTES(h, 3 * PG, PG, 0);
}

TEST(last_handle_with_an_fd)
{
	mx_handle_t h = vmo(PG), d = mxt_dup(h, MX_RIGHT_SAME_RIGHTS), e = 0;
	int fd = -1;

	ASSERT_EQ(mxt_signals(h), 0);
	ASSERT_OK(mx_handle_to_fd(d, O_CLOEXEC, &fd));
	/* the handle went into the fd: h is the last */
	ASSERT_EQ(mxt_signals(h), MX_SIGNAL_LAST_HANDLE);
	ASSERT_OK(mx_handle_from_fd(fd, &e));
	ASSERT_EQ(mxt_signals(h), 0);
	ASSERT_OK(mx_handle_close(e));
	ASSERT_EQ(mxt_signals(h), MX_SIGNAL_LAST_HANDLE);
}

/* ---- held faults in the fd's read and write */

TEST(held_pwrite_while_the_vmo_shrinks)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99, .size = PG };
	int fd;
	void *page;
	ssize_t n;

	c.h = vmo(3 * PG);
	c.other = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	fill(c.h, 0, 3 * PG, 0xd1);
	fd = vmo_fd(c.h, MX_RIGHT_SAME_RIGHTS);
	page = mxt_held_page(&held, during_set_size, &c, false);
	errno = 0;
	n = pwrite(fd, page, PG, 2 * PG);
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	printf("# pwrite held while the VMO shrank: %zd (%s)\n", n,
	       n < 0 ? strerror(errno) : "no error");
	if (n < 0)
		ASSERT_EQ(errno, ENOSPC);
	else
		ASSERT_TRUE(n <= (ssize_t)PG);
	ASSERT_EQ(vsize(c.h), PG);
	ASSERT_OK(mx_vmo_set_size(c.h, 3 * PG));
	ASSERT_EQ(present(c.h, 1), 0);
	ASSERT_EQ(present(c.h, 2), 0);
	EXPECT_BYTES(c.h, 0, PG, 0xd1);
	EXPECT_BYTES(c.h, PG, 2 * PG, 0);
}

TEST(held_pread_while_the_vmo_shrinks)
{
	struct mxt_held held;
	struct held_ctx c = { .status = 99, .size = 0 };
	unsigned char *page;
	ssize_t n;
	int fd;

	c.h = vmo(3 * PG);
	c.other = mxt_dup(c.h, MX_RIGHT_SAME_RIGHTS);
	fill(c.h, 0, 3 * PG, 0xd2);
	fd = vmo_fd(c.h, MX_RIGHT_SAME_RIGHTS);
	page = mxt_held_page(&held, during_set_size, &c, false);
	n = pread(fd, page, PG, 2 * PG);
	mxt_held_done(&held);
	ASSERT_OK(c.status);
	printf("# pread held while the VMO shrank: %zd\n", n);
	ASSERT_TRUE(n >= 0 && n <= (ssize_t)PG);
	for (ssize_t i = 0; i < n; i++)
		if (page[i] != 0xd2 && page[i] != 0)
			FAIL("byte %zd: 0x%02x", i, page[i]);
	ASSERT_OK(mx_vmo_set_size(c.h, 3 * PG));
	ASSERT_EQ(npresent(c.h, 3), 0);
}

/* ---- races of copy-on-write */

struct cow_race {
	mx_handle_t parent, clone;
	int rounds;
	mx_status_t bad;
};

static void *cow_parent_thread(void *arg)
{
	struct cow_race *r = arg;
	mx_status_t s;

	for (int i = 0; i < r->rounds; i++) {
		s = (i & 1) ? mx_vmo_op_range(r->parent, MX_VMO_OP_DECOMMIT, 0,
					      PG, NULL, 0)
			    : mx_vmo_write(r->parent, "pppppppp", 0, 8,
					   &(size_t){ 0 });
		if (s != MX_OK)
			r->bad = s;
	}
	return NULL;
}

/*
 * A clone's write never gets lost, whatever its parent does to the page
 * at the same time: the copy made for it holds it.
 */
TEST(race_clone_writes_against_parent_writes_and_decommits)
{
	struct cow_race r = { .rounds = 2000, .bad = MX_OK };
	pthread_t t;
	int lost = 0;

	r.parent = vmo(PG);
	ASSERT_EQ(pthread_create(&t, NULL, cow_parent_thread, &r), 0);
	for (int i = 0; i < 500; i++) {
		unsigned char b = 0;
		uint32_t mark = 0xc0de0000u | (uint32_t)i;

		r.clone = clone_of(r.parent, 0, PG);
		vwrite(r.clone, &mark, 100, sizeof(mark));
		vwrite(r.clone, &mark, 200, sizeof(mark));
		{
			uint32_t got[2];

			vread(r.clone, &got[0], 100, 4);
			vread(r.clone, &got[1], 200, 4);
			if (got[0] != mark || got[1] != mark)
				lost++;
		}
		vread(r.clone, &b, 0, 1);
		if (b != 0 && b != 'p')
			FAIL("clone byte 0: 0x%02x", b);
		ASSERT_OK(mx_handle_close(r.clone));
	}
	ASSERT_EQ(pthread_join(t, NULL), 0);
	ASSERT_OK(r.bad);
	ASSERT_EQ(lost, 0);
}

/* The same through the clone's map: faults against the parent's changes. */
static void *cow_map_parent_thread(void *arg)
{
	struct cow_race *r = arg;

	for (int i = 0; i < __atomic_load_n(&r->rounds, __ATOMIC_ACQUIRE) &&
			!__atomic_load_n(&r->bad, __ATOMIC_ACQUIRE); i++) {
		mx_status_t s;

		switch (i % 3) {
		case 0:
			/* the parent's size may be 0 just now */
			s = mx_vmo_write(r->parent, "qqqqqqqq", 8, 8,
					 &(size_t){ 0 });
			if (s == MX_ERR_OUT_OF_RANGE)
				s = MX_OK;
			break;
		case 1:
			s = mx_vmo_op_range(r->parent, MX_VMO_OP_DECOMMIT, 0,
					    2 * PG, NULL, 0);
			break;
		default:
			s = mx_vmo_set_size(r->parent, (i & 4) ? 0 : 2 * PG);
		}
		if (s != MX_OK)
			r->bad = s;
	}
	return NULL;
}

TEST(race_clone_map_faults_against_parent_changes)
{
	struct cow_race r = { .rounds = 20000, .bad = MX_OK };
	pthread_t t;

	r.parent = vmo(2 * PG);
	ASSERT_EQ(pthread_create(&t, NULL, cow_map_parent_thread, &r), 0);
	for (int i = 0; i < 300; i++) {
		mx_handle_t c = clone_of(r.parent, 0, 2 * PG);
		volatile char *m = vmo_map(c, 2 * PG, PROT_READ | PROT_WRITE, 0);
		char v = m[8];

		if (v != 0 && v != 'q')
			FAIL("round %d: clone reads 0x%02x", i, v);
		m[PG + 3] = (char)i;
		m[3] = (char)(i + 1);
		v = m[9];
		if (v != 0 && v != 'q')
			FAIL("round %d: clone reads 0x%02x after its write", i,
			     v);
		if (m[PG + 3] != (char)i || m[3] != (char)(i + 1))
			FAIL("round %d: the clone's own write was lost", i);
		EXPECT_BYTES(c, PG + 3, 1, (unsigned char)i);
		EXPECT_BYTES(c, 3, 1, (unsigned char)(i + 1));
		ASSERT_EQ(munmap((void *)m, 2 * PG), 0);
		ASSERT_OK(mx_handle_close(c));
	}
	__atomic_store_n(&r.rounds, 0, __ATOMIC_RELEASE);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	ASSERT_OK(r.bad);
}

/* ---- /proc/self/mem (ptrace's access) and VMA splits */

TEST(proc_mem_follows_rights_size_and_copy_on_write)
{
	mx_handle_t h = vmo(2 * PG), c;
	char *ro, *rw, *cp, b[8];
	int mem = open("/proc/self/mem", O_RDWR), fd;

	ASSERT_TRUE(mem >= 0);
	fill(h, 0, 2 * PG, 0x61);
	/* a read-only handle's map: read, not written, even forced */
	fd = vmo_fd(h, MX_RIGHT_READ | MX_RIGHT_MAP | MX_RIGHT_TRANSFER);
	ro = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	close(fd);
	ASSERT_EQ(pread(mem, b, 8, (off_t)(uintptr_t)ro), 8);
	EXPECT_MEM(b, 8, 0x61);
	ASSERT_EQ(pwrite(mem, "xxxxxxxx", 8, (off_t)(uintptr_t)ro), -1);
	EXPECT_BYTES(h, 0, 2 * PG, 0x61);
	/* a writable handle's map made read-only: not written either */
	rw = vmo_map(h, 2 * PG, PROT_READ | PROT_WRITE, 0);
	ASSERT_EQ(mprotect(rw, 2 * PG, PROT_READ), 0);
	ASSERT_EQ(pwrite(mem, "xxxxxxxx", 8, (off_t)(uintptr_t)rw), -1);
	EXPECT_BYTES(h, 0, 2 * PG, 0x61);
	ASSERT_EQ(mprotect(rw, 2 * PG, PROT_READ | PROT_WRITE), 0);
	ASSERT_EQ(pwrite(mem, "yyyyyyyy", 8, (off_t)(uintptr_t)rw), 8);
	EXPECT_BYTES(h, 0, 8, 'y');
	/* past the end: nothing read, nothing written, nothing allocated */
	ASSERT_OK(mx_vmo_set_size(h, PG));
	ASSERT_EQ(pread(mem, b, 8, (off_t)(uintptr_t)(rw + PG)), -1);
	ASSERT_EQ(pwrite(mem, "zzzzzzzz", 8, (off_t)(uintptr_t)(rw + PG)), -1);
	ASSERT_OK(mx_vmo_set_size(h, 2 * PG));
	ASSERT_EQ(present(h, 1), 0);
	EXPECT_BYTES(h, PG, PG, 0);
	/* into a clone's map of its parent's page: the clone copies */
	c = clone_of(h, 0, 2 * PG);
	cp = vmo_map(c, 2 * PG, PROT_READ | PROT_WRITE, 0);
	ASSERT_EQ(cp[0], 'y');
	ASSERT_EQ(pwrite(mem, "cccc", 4, (off_t)(uintptr_t)cp), 4);
	ASSERT_EQ(cp[0], 'c');
	EXPECT_BYTES(c, 0, 4, 'c');
	EXPECT_BYTES(h, 0, 8, 'y');
	ASSERT_EQ(rw[0], 'y');
	ASSERT_NE(paddr(c, 0), paddr(h, 0));
}

TEST(split_and_moved_mappings)
{
	mx_handle_t h = vmo(4 * PG), d;
	char *p = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0), *q;

	memset(p, 0x71, 4 * PG);
	d = mxt_dup(h, MX_RIGHT_SAME_RIGHTS);
	/* only the mapping holds the VMO from here */
	ASSERT_OK(mx_handle_close(h));
	ASSERT_EQ(munmap(p + PG, PG), 0);
	ASSERT_EQ(mprotect(p + 3 * PG, PG, PROT_READ), 0);
	/* moved elsewhere */
	q = mremap(p + 2 * PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		   p + PG);
	ASSERT_TRUE(q == p + PG);
	EXPECT_MEM(p, PG, 0x71);
	EXPECT_MEM(q, PG, 0x71);
	q[1] = 0x72;
	EXPECT_BYTES(d, 2 * PG + 1, 1, 0x72);
	/* the VMO still reaches the moved map: decommit and shrink */
	ASSERT_OK(mx_vmo_op_range(d, MX_VMO_OP_DECOMMIT, 2 * PG, PG, NULL, 0));
	EXPECT_MEM(q, PG, 0);
	ASSERT_OK(mx_vmo_set_size(d, PG));
	ASSERT_KILLED_BY_SIGBUS(read_byte, q);
	ASSERT_KILLED_BY_SIGBUS(read_byte, p + 3 * PG);
	EXPECT_MEM(p, PG, 0x71);
	ASSERT_OK(mx_handle_close(d));
	/* the pieces go one by one; what is left still works */
	ASSERT_EQ(munmap(q, PG), 0);
	ASSERT_EQ(munmap(p + 3 * PG, PG), 0);
	for (int i = 0; i < 64; i++)
		fill(vmo(PG), 0, PG, 0x7f);
	EXPECT_MEM(p, PG, 0x71);
	p[5] = 0x73;
	ASSERT_EQ(p[5], 0x73);
	ASSERT_EQ(munmap(p, PG), 0);
}

/* ---- the bad input again, as another user */

static void run_case(void *fn)
{
	((void (*)(void))fn)();
}

TEST(bad_input_as_another_user)
{
	void (*cases[])(void) = {
		create_options_invalid_args,
		create_too_large_is_no_memory,
		create_bad_out_pointer_leaves_no_handle,
		handle_basic_type_rights_props,
		signals_last_handle_and_user_signals,
		name_property,
		duplicate_reduces_rights,
		transfer_through_a_channel,
		read_write_rights,
		read_write_bad_handles,
		read_bad_data_pointer,
		read_fault_midway_keeps_what_was_copied,
		write_bad_data_pointer,
		actual_pointer_bad_after_the_data_moved,
		get_size_needs_no_right,
		get_size_bad_pointer_and_handles,
		set_size_rights_and_handles,
		op_range_unknown_op_and_bad_handles,
		lock_and_unlock_not_supported,
		set_cache_policy,
		clone_rights_test,
		clone_check_order,
		to_fd_needs_transfer_and_takes_the_handle,
		fd_access_follows_the_rights,
		mmap_needs_map_and_the_rights_of_its_protection,
		from_fd_gives_a_new_handle_each_time,
		fd_write_fault_leaves_the_rest_of_the_range,
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		mxt_as_user(4504, run_case, (void *)cases[i]);
}

/* ---- what other Linux calls do with a VMO's memory */

TEST(madvise_mlock_msync_keep_the_data)
{
	mx_handle_t h = vmo(4 * PG);
	char *p = vmo_map(h, 4 * PG, PROT_READ | PROT_WRITE, 0);
	int advice[] = { MADV_DONTNEED, MADV_REMOVE, MADV_COLD, MADV_PAGEOUT,
			 MADV_WILLNEED, MADV_POPULATE_READ,
			 MADV_POPULATE_WRITE, MADV_FREE };

	memset(p, 0x5e, 2 * PG);
	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++) {
		int r = madvise(p, 4 * PG, advice[i]);

		printf("# madvise %d: %s\n", advice[i], r ? strerror(errno) :
		       "0");
		EXPECT_MEM(p, 2 * PG, 0x5e);
		EXPECT_BYTES(h, 0, 2 * PG, 0x5e);
		EXPECT_BYTES(h, 2 * PG, 2 * PG, 0);
	}
	/* populating wrote nothing; whatever it made reads zero */
	EXPECT_MEM(p + 2 * PG, 2 * PG, 0);
	if (mlock(p, 4 * PG) == 0)
		ASSERT_EQ(munlock(p, 4 * PG), 0);
	EXPECT_MEM(p, 2 * PG, 0x5e);
	p[3 * PG] = 1;
	EXPECT_BYTES(h, 3 * PG, 1, 1);
}

/*
 * A VMO's memory has nothing to write back: msync() of a shared map and
 * fsync() of the fd succeed at once, as for a memfd.
 */
TEST(msync_and_fsync_succeed)
{
	mx_handle_t h = vmo(2 * PG);
	char *p = vmo_map(h, 2 * PG, PROT_READ | PROT_WRITE, 0);
	int fd = vmo_fd(h, MX_RIGHT_SAME_RIGHTS);

	p[0] = 1;
	ASSERT_EQ(msync(p, 2 * PG, MS_ASYNC), 0);
	if (msync(p, 2 * PG, MS_SYNC))
		FAIL("msync(MS_SYNC): %s", strerror(errno));
	if (fsync(fd))
		FAIL("fsync: %s", strerror(errno));
	if (fdatasync(fd))
		FAIL("fdatasync: %s", strerror(errno));
	EXPECT_BYTES(h, 0, 1, 1);
}

TEST(channel_copies_with_vmo_memory)
{
	mx_handle_t h = vmo(3 * PG), a, b;
	char *p = vmo_map(h, 3 * PG, PROT_READ | PROT_WRITE, 0);
	uint32_t nb = 0;

	mxt_channel(&a, &b);
	/* absent pages as the message: zeros */
	ASSERT_OK(mx_channel_write(a, 0, p, PG, NULL, 0));
	memset(p + PG, 0x6e, PG);
	ASSERT_OK(mx_channel_write(a, 0, p + PG, PG, NULL, 0));
	/* read into a VMO's absent page: a write fault in the call */
	ASSERT_OK(mx_channel_read(b, 0, p + 2 * PG, NULL, PG, 0, &nb, NULL));
	ASSERT_EQ(nb, PG);
	EXPECT_BYTES(h, 2 * PG, PG, 0);
	ASSERT_OK(mx_channel_read(b, 0, p, NULL, PG, 0, &nb, NULL));
	EXPECT_BYTES(h, 0, PG, 0x6e);
	/* past the end: the calls fail (the message read is lost) */
	ASSERT_OK(mx_channel_write(a, 0, "lost", 4, NULL, 0));
	ASSERT_OK(mx_vmo_set_size(h, PG));
	ASSERT_STATUS(mx_channel_read(b, 0, p + PG, NULL, PG, 0, &nb, NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_channel_write(a, 0, p + PG, 16, NULL, 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_EQ(mxt_signals(b) & MX_CHANNEL_READABLE, 0);
	ASSERT_OK(mx_channel_write(a, 0, "hello", 5, NULL, 0));
	ASSERT_OK(mx_channel_read(b, 0, p, NULL, PG, 0, &nb, NULL));
	ASSERT_EQ(nb, 5);
	ASSERT_TRUE(memcmp(p, "hello", 5) == 0);
	ASSERT_EQ(mxt_signals(b) & MX_CHANNEL_READABLE, 0);
}

/* A VMO's fd sent over a unix socket gives the receiver handles. */
static void fd_receiver(void *arg)
{
	int sock = *(int *)arg, fd = mxt_recv_fd(sock);
	mx_handle_t v = 0;

	mxt_become(4505);
	ASSERT_OK(mx_handle_from_fd(fd, &v));
	ASSERT_EQ(mxt_basic(v).rights, MX_RIGHT_READ | MX_RIGHT_TRANSFER |
		  MX_RIGHT_MAP);
	EXPECT_BYTES(v, 0, PG, 0x7a);
	ASSERT_STATUS(mx_vmo_write(v, "x", 0, 1, &(size_t){ 0 }),
		      MX_ERR_ACCESS_DENIED);
	errno = 0;
	ASSERT_EQ(write(fd, "x", 1), -1);
	ASSERT_EQ(errno, EBADF);
}

TEST(vmo_fd_over_a_unix_socket)
{
	mx_handle_t h = vmo(PG);
	int sv[2], fd;

	fill(h, 0, PG, 0x7a);
	ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	fd = vmo_fd(h, MX_RIGHT_READ | MX_RIGHT_TRANSFER | MX_RIGHT_MAP);
	mxt_send_fd(sv[0], fd);
	close(fd);
	mxt_in_child(fd_receiver, &sv[1]);
	EXPECT_BYTES(h, 0, PG, 0x7a);
}

/* fork()s and maps come and go while the VMO shrinks and grows. */
static void *race_forker(void *arg)
{
	struct race *r = arg;

	while (!race_stopped(r)) {
		pid_t pid = fork();
		int st;

		if (pid < 0) {
			race_bad(r, "fork", errno);
			break;
		}
		if (pid == 0) {
			char v;

			for (unsigned int i = 0; i < RACE_PAGES; i++) {
				int sig = (i & 1) ? poke(r->map + i * PG, 2) :
						    peek(r->map + i * PG, &v);

				if (sig && sig != SIGBUS)
					_exit(3);
			}
			_exit(0);
		}
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			race_bad(r, "forked child", st);
		__atomic_fetch_add(&r->faults, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *race_mapper(void *arg)
{
	struct race *r = arg;
	char v;

	while (!race_stopped(r)) {
		char *p = vmo_map(r->h, RACE_PAGES * PG, PROT_READ | PROT_WRITE,
				  0);

		for (unsigned int i = 0; i < RACE_PAGES; i += 3) {
			int sig = (i & 1) ? poke(p + i * PG, 3) :
					    peek(p + i * PG, &v);

			if (sig && sig != SIGBUS)
				race_bad(r, "mapper: signal", sig);
		}
		if (munmap(p, RACE_PAGES * PG))
			race_bad(r, "munmap", errno);
		__atomic_fetch_add(&r->rw_ok, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

TEST(race_fork_and_maps_against_resizes)
{
	static struct race r;
	void *(*const fns[])(void *) = { race_resizer, race_forker,
					 race_mapper, race_faulter };

	run_race(&r, fns, sizeof(fns) / sizeof(fns[0]));
	printf("# %lu resize rounds, %lu maps, %lu forks and faults\n",
	       r.resizes, r.rw_ok, r.faults);
	if (r.bad)
		FAIL("%s: %ld", r.bad, r.bad_value);
	ASSERT_OK(mx_vmo_set_size(r.h, RACE_PAGES * PG));
	fill(r.h, 0, RACE_PAGES * PG, 0xe2);
	EXPECT_MEM(r.map, RACE_PAGES * PG, 0xe2);
}

/* Every clone's map follows: a wide family, then a deep one. */
TEST(clone_families_under_maps)
{
	enum { WIDE = 20, DEEP = 10 };
	mx_handle_t a = vmo(2 * PG), w[WIDE], d[DEEP + 1];
	char *wm[WIDE], *dm[DEEP + 1];
	int i;

	for (i = 0; i < WIDE; i++) {
		w[i] = clone_of(a, 0, 2 * PG);
		wm[i] = vmo_map(w[i], 2 * PG, PROT_READ | PROT_WRITE, 0);
		ASSERT_EQ(wm[i][0], 0);
	}
	/* the parent's new page reaches every clone's map */
	fill(a, 0, 1, 0x81);
	for (i = 0; i < WIDE; i++)
		ASSERT_EQ(wm[i][0], (char)0x81);
	/* one clone's copy is its own */
	wm[7][0] = 0x82;
	for (i = 0; i < WIDE; i++)
		ASSERT_EQ(wm[i][0], (char)(i == 7 ? 0x82 : 0x81));
	fill(a, 0, 1, 0x83);
	for (i = 0; i < WIDE; i++)
		ASSERT_EQ(wm[i][0], (char)(i == 7 ? 0x82 : 0x83));

	d[0] = a;
	dm[0] = vmo_map(a, 2 * PG, PROT_READ | PROT_WRITE, 0);
	for (i = 1; i <= DEEP; i++) {
		d[i] = clone_of(d[i - 1], 0, 2 * PG);
		dm[i] = vmo_map(d[i], 2 * PG, PROT_READ | PROT_WRITE, 0);
		ASSERT_EQ(dm[i][0], (char)0x83);
		ASSERT_EQ(dm[i][PG], 0);
	}
	/* a new page at the top shows at every depth */
	dm[0][PG] = 0x84;
	for (i = 1; i <= DEEP; i++)
		ASSERT_EQ(dm[i][PG], (char)0x84);
	/* level 5 copies: 6 and below see its copy, 1 to 4 the top's */
	dm[5][PG] = 0x85;
	dm[0][PG] = 0x86;
	for (i = 1; i <= DEEP; i++)
		ASSERT_EQ(dm[i][PG], (char)(i < 5 ? 0x86 : 0x85));
	/* level 5 lets go: the top's page again all the way down */
	ASSERT_OK(mx_vmo_op_range(d[5], MX_VMO_OP_DECOMMIT, PG, PG, NULL, 0));
	for (i = 1; i <= DEEP; i++)
		ASSERT_EQ(dm[i][PG], (char)0x86);
	/* the top shrinks: zero everywhere below, SIGBUS at the top */
	ASSERT_OK(mx_vmo_set_size(a, PG));
	for (i = 1; i <= DEEP; i++)
		ASSERT_EQ(dm[i][PG], 0);
	ASSERT_KILLED_BY_SIGBUS(read_byte, dm[0] + PG);
	for (i = 0; i < WIDE; i++)
		ASSERT_EQ(wm[i][PG], 0);
}

/*
 * A fault may map the present pages around it: those entries follow the
 * VMO as the faulted one does (writes, decommits, shrinks, clones).
 */
TEST(pages_mapped_around_a_fault_follow_the_vmo)
{
	mx_handle_t h = vmo(32 * PG), c;
	char *p, *q, *cp, v = 0;
	int i;

	for (i = 0; i < 32; i++)
		fill(h, (uint64_t)i * PG, PG, 0x10 + i);
	p = vmo_map(h, 32 * PG, PROT_READ | PROT_WRITE, 0);
	q = vmo_map(h, 16 * PG, PROT_READ, 8 * PG);
	/* one read fault each */
	ASSERT_EQ(p[0], 0x10);
	ASSERT_EQ(q[0], 0x18);
	fill(h, 7 * PG, 1, 0x77);
	ASSERT_EQ(p[7 * PG], 0x77);
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, 9 * PG, PG, NULL, 0));
	EXPECT_MEM(p + 9 * PG, PG, 0);
	EXPECT_MEM(q + PG, PG, 0);
	ASSERT_EQ(present(h, 9), 0);
	/* written through the map where the decommit was: a new page */
	p[9 * PG] = 0x79;
	ASSERT_EQ(q[PG], 0x79);
	EXPECT_BYTES(h, 9 * PG, 1, 0x79);
	/* the read-only map stays read-only around its fault */
	probe_init();
	ASSERT_EQ(poke(q + 2 * PG, 1), SIGSEGV);
	EXPECT_BYTES(h, 10 * PG, 1, 0x1a);
	/* a shrink takes away what was mapped around */
	ASSERT_OK(mx_vmo_set_size(h, 4 * PG));
	ASSERT_EQ(peek(p + 3 * PG, &v), 0);
	ASSERT_EQ(v, 0x13);
	ASSERT_EQ(peek(p + 4 * PG, &v), SIGBUS);
	ASSERT_EQ(peek(p + 15 * PG, &v), SIGBUS);
	ASSERT_EQ(peek(q, &v), SIGBUS);
	ASSERT_OK(mx_vmo_set_size(h, 32 * PG));
	EXPECT_MEM(p + 4 * PG, 12 * PG, 0);
	/* a clone: its own pages around a fault, its parent's stay shown */
	for (i = 0; i < 16; i++)
		fill(h, (uint64_t)i * PG, 1, 0x40 + i);
	c = clone_of(h, 0, 16 * PG);
	for (i = 1; i < 16; i += 2)
		fill(c, (uint64_t)i * PG, 1, 0x60 + i);
	cp = vmo_map(c, 16 * PG, PROT_READ | PROT_WRITE, 0);
	ASSERT_EQ(cp[PG], 0x61);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(cp[i * PG], (char)((i & 1) ? 0x60 + i : 0x40 + i));
	/* the parent's later writes show where the clone has no page */
	for (i = 0; i < 16; i++)
		fill(h, (uint64_t)i * PG, 1, 0x20 + i);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(cp[i * PG], (char)((i & 1) ? 0x60 + i : 0x20 + i));
	/* the clone lets go of its pages: the parent's show */
	ASSERT_OK(mx_vmo_op_range(c, MX_VMO_OP_DECOMMIT, 0, 16 * PG, NULL, 0));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(cp[i * PG], (char)(0x20 + i));
	/* and its writes through the map copy, leaving the parent alone */
	cp[2 * PG] = 0x02;
	ASSERT_EQ(p[2 * PG], 0x22);
	ASSERT_EQ(cp[3 * PG], 0x23);
}
