// SPDX-License-Identifier: MIT
/*
 * Ticks, the CPRNG and the system: mx_ticks_get, mx_ticks_per_second
 * (reference §6.3, Magenta's elapsed_time_using_ticks), mx_cprng_draw,
 * mx_cprng_add_entropy (§6.4, Magenta's cprng suite), mx_system_get_*
 * and mx_cache_flush (§6.5).
 */
#include "mxtest.h"

#include <sys/sysinfo.h>
#include <sys/utsname.h>

/* ---- ticks ---- */

/* elapsed_time_using_ticks */
TEST(elapsed_time_using_ticks)
{
	uint64_t per_second = mx_ticks_per_second();
	uint64_t t1, t2;
	double secs;

	ASSERT_TRUE(per_second > 0);
	/* Which source: 10^9 is the monotonic clock, else the TSC. */
	printf("# ticks: %" PRIu64 " per second (%s)\n", per_second,
	       per_second == 1000000000u ? "CLOCK_MONOTONIC" : "TSC");
	t1 = mx_ticks_get();
	ASSERT_OK(mx_nanosleep(mx_deadline_after(MX_SEC(1))));
	t2 = mx_ticks_get();
	ASSERT_TRUE(t2 > t1);
	secs = (double)(t2 - t1) / (double)per_second;
	/* A second asleep, give or take a slow machine. */
	ASSERT_TRUE(secs >= 0.9);
	ASSERT_TRUE(secs < 60.0);
	ASSERT_EQ(mx_ticks_per_second(), per_second);
}

/* Ticks and the monotonic clock agree on how long a sleep was. */
TEST(ticks_match_the_clock)
{
	uint64_t per_second = mx_ticks_per_second();
	mx_time_t c1, c2;
	uint64_t t1, t2;
	double ticks_s, clock_s;

	c1 = mxt_now();
	t1 = mx_ticks_get();
	ASSERT_OK(mx_nanosleep(mx_deadline_after(MX_MSEC(300))));
	t2 = mx_ticks_get();
	c2 = mxt_now();
	ticks_s = (double)(t2 - t1) / (double)per_second;
	clock_s = (double)(c2 - c1) / 1e9;
	ASSERT_TRUE(ticks_s <= clock_s * 1.01 + 0.001);
	ASSERT_TRUE(ticks_s >= 0.3 * 0.99);
}

static void *ticks_loop(void *arg)
{
	uint64_t prev = mx_ticks_get(), now;
	int i, *bad = arg;

	for (i = 0; i < 200000; i++) {
		now = mx_ticks_get();
		if (now < prev)
			(*bad)++;
		prev = now;
	}
	return NULL;
}

/* Never backwards, in any thread, on any CPU. */
TEST(ticks_monotonic)
{
	pthread_t th[3];
	int bad[3] = { 0, 0, 0 }, i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, ticks_loop, &bad[i]),
			  0);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
		ASSERT_EQ(bad[i], 0);
	}
}

/* ---- the CPRNG ---- */

/* cprng_test_draw_buf_too_large */
TEST(draw_buf_too_large)
{
	char buf[300];
	size_t actual = 77;

	ASSERT_STATUS(mx_cprng_draw(buf, MX_CPRNG_DRAW_MAX_LEN + 1, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_draw(buf, SIZE_MAX, &actual),
		      MX_ERR_INVALID_ARGS);
	/* Before the pointers are looked at. */
	ASSERT_STATUS(mx_cprng_draw(NULL, 257, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(actual, 77);
}

/* cprng_test_draw_bad_buf */
TEST(draw_bad_buf)
{
	size_t actual = 77;

	ASSERT_STATUS(mx_cprng_draw((void *)4, 4, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_draw((void *)4, 256, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_draw(mxt_read_only_page(), 16, &actual),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_draw((void *)0xffff888000000000ul, 16,
				    &actual), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(actual, 77);
}

TEST(draw_bad_actual)
{
	char buf[16];

	ASSERT_STATUS(mx_cprng_draw(buf, sizeof(buf), NULL),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_draw(buf, sizeof(buf), (size_t *)4),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_draw(buf, sizeof(buf),
				    mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
}

static int zero_bytes(const unsigned char *b, size_t n)
{
	int z = 0;
	size_t i;

	for (i = 0; i < n; i++)
		z += b[i] == 0;
	return z;
}

/* cprng_test_draw_success */
TEST(draw_success)
{
	unsigned char a[MX_CPRNG_DRAW_MAX_LEN], b[MX_CPRNG_DRAW_MAX_LEN];
	size_t actual = 0;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	ASSERT_OK(mx_cprng_draw(a, sizeof(a), &actual));
	ASSERT_EQ(actual, sizeof(a));
	ASSERT_TRUE(zero_bytes(a, sizeof(a)) <= 16);
	actual = 0;
	ASSERT_OK(mx_cprng_draw(b, sizeof(b), &actual));
	ASSERT_EQ(actual, sizeof(b));
	ASSERT_TRUE(memcmp(a, b, sizeof(a)) != 0);
}

TEST(draw_small_and_empty)
{
	unsigned char buf[8] = { 0 };
	size_t actual = 77;

	ASSERT_OK(mx_cprng_draw(buf, 0, &actual));
	ASSERT_EQ(actual, 0);
	ASSERT_OK(mx_cprng_draw(NULL, 0, &actual));
	ASSERT_EQ(actual, 0);
	memset(buf, 0xee, sizeof(buf));
	ASSERT_OK(mx_cprng_draw(buf, 3, &actual));
	ASSERT_EQ(actual, 3);
	/* Exactly len bytes are written. */
	ASSERT_EQ(buf[3], 0xee);
	ASSERT_EQ(buf[7], 0xee);
}

/* cprng_test_add_entropy_bad_buf */
TEST(add_entropy_bad_buf)
{
	ASSERT_STATUS(mx_cprng_add_entropy((void *)4, 4),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_add_entropy(NULL, 16), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_add_entropy((void *)0xffff888000000000ul, 16),
		      MX_ERR_INVALID_ARGS);
}

/* cprng_test_add_entropy_buf_too_large */
TEST(add_entropy_buf_too_large)
{
	char buf[300];

	memset(buf, 1, sizeof(buf));
	ASSERT_STATUS(mx_cprng_add_entropy(buf,
					   MX_CPRNG_ADD_ENTROPY_MAX_LEN + 1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_add_entropy(NULL, SIZE_MAX),
		      MX_ERR_INVALID_ARGS);
}

TEST(add_entropy_success)
{
	char buf[MX_CPRNG_ADD_ENTROPY_MAX_LEN];

	memset(buf, 0x5a, sizeof(buf));
	ASSERT_OK(mx_cprng_add_entropy(buf, sizeof(buf)));
	ASSERT_OK(mx_cprng_add_entropy(buf, 1));
	ASSERT_OK(mx_cprng_add_entropy(NULL, 0));
	/* Read-only memory is fine to read from. */
	ASSERT_OK(mx_cprng_add_entropy(mxt_read_only_page(), 256));
}

/* Anyone may draw and add entropy: no privilege is asked for. */
static void cprng_other_user(void *arg)
{
	unsigned char buf[64];
	size_t actual = 0;

	(void)arg;
	ASSERT_OK(mx_cprng_draw(buf, sizeof(buf), &actual));
	ASSERT_EQ(actual, sizeof(buf));
	ASSERT_OK(mx_cprng_add_entropy(buf, sizeof(buf)));
	ASSERT_STATUS(mx_cprng_add_entropy(buf, 257), MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cprng_draw((void *)4, 4, &actual),
		      MX_ERR_INVALID_ARGS);
}

TEST(cprng_second_user)
{
	mxt_as_user(65534, cprng_other_user, NULL);
}

/* ---- the system ---- */

TEST(num_cpus)
{
	uint32_t n = mx_system_get_num_cpus();

	ASSERT_TRUE(n >= 1);
	ASSERT_EQ(n, (uint32_t)sysconf(_SC_NPROCESSORS_CONF));
	ASSERT_TRUE(n >= (uint32_t)sysconf(_SC_NPROCESSORS_ONLN));
	ASSERT_EQ(mx_system_get_num_cpus(), n);
}

TEST(physmem)
{
	uint64_t m = mx_system_get_physmem();
	struct sysinfo si;

	ASSERT_EQ(sysinfo(&si), 0);
	ASSERT_EQ(m, (uint64_t)si.totalram * si.mem_unit);
	ASSERT_TRUE(m >= 16ull << 20);
	ASSERT_EQ(mx_system_get_physmem(), m);
}

TEST(version)
{
	char buf[256], want[256];
	struct utsname u;
	uint32_t len;

	ASSERT_EQ(uname(&u), 0);
	snprintf(want, sizeof(want), "mx %d.%d.%d on Linux %s",
		 MX_VERSION_MAJOR, MX_VERSION_MINOR, MX_VERSION_PATCH,
		 u.release);
	len = (uint32_t)strlen(want);
	memset(buf, 'x', sizeof(buf));
	ASSERT_OK(mx_system_get_version(buf, sizeof(buf)));
	ASSERT_EQ(strcmp(buf, want), 0);
	ASSERT_EQ(buf[len + 1], 'x');
	/* Exactly the string and its NUL. */
	memset(buf, 'x', sizeof(buf));
	ASSERT_OK(mx_system_get_version(buf, len + 1));
	ASSERT_EQ(strcmp(buf, want), 0);
	/* One byte short: nothing written. */
	memset(buf, 'x', sizeof(buf));
	ASSERT_STATUS(mx_system_get_version(buf, len), MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_EQ(buf[0], 'x');
	ASSERT_STATUS(mx_system_get_version(NULL, 0), MX_ERR_BUFFER_TOO_SMALL);
	ASSERT_STATUS(mx_system_get_version(buf, 1), MX_ERR_BUFFER_TOO_SMALL);
}

TEST(cache_flush_options)
{
	char code[64] = { 0 };

	ASSERT_STATUS(mx_cache_flush(code, sizeof(code), 0),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_cache_flush(code, sizeof(code), MX_CACHE_FLUSH_INSN));
	ASSERT_OK(mx_cache_flush(code, sizeof(code), MX_CACHE_FLUSH_DATA));
	ASSERT_OK(mx_cache_flush(code, sizeof(code),
				 MX_CACHE_FLUSH_INSN | MX_CACHE_FLUSH_DATA));
	ASSERT_EQ(MX_CACHE_FLUSH_INSN, 1);
	ASSERT_EQ(MX_CACHE_FLUSH_DATA, 2);
	ASSERT_STATUS(mx_cache_flush(code, sizeof(code), 4),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cache_flush(code, sizeof(code),
				     MX_CACHE_FLUSH_DATA | 4),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_cache_flush(code, sizeof(code), 0xffffffffu),
		      MX_ERR_INVALID_ARGS);
	ASSERT_OK(mx_cache_flush(NULL, 0, MX_CACHE_FLUSH_DATA));
	/* Plain user code on x86-64: the range is not looked at. */
	ASSERT_OK(mx_cache_flush((void *)4, 4096, MX_CACHE_FLUSH_INSN));
}
