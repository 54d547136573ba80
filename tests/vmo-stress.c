// SPDX-License-Identifier: MIT
/*
 * VMOs under concurrent change: threads fault on shared mappings of a VMO
 * and of its clone while others shrink and grow it, write it, commit and
 * decommit its pages. Every access must end (a page beyond the size
 * raises SIGBUS, caught here), nothing may hang, and what the mappings
 * show afterwards must be what the calls say the VMO holds.
 */
#include "mxtest.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#define NPAGES	16
#define PG	4096

static atomic_int stop;
static atomic_long faults, sigbus;
static mx_handle_t vmo, cvmo;
static volatile char *map, *cmap;
static __thread sigjmp_buf jump;
static __thread volatile int armed;

static void on_sigbus(int sig)
{
	(void)sig;
	if (armed)
		siglongjmp(jump, 1);
	abort();
}

/* Map @h's whole range through an fd of a duplicate of it. */
static volatile char *map_vmo(mx_handle_t h, size_t len)
{
	mx_handle_t dup = mxt_dup(h, MX_RIGHT_SAME_RIGHTS);
	void *p;
	int fd;

	ASSERT_OK(mx_handle_to_fd(dup, 0, &fd));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	close(fd);
	return p;
}

static void *toucher(void *arg)
{
	volatile char *m = arg;
	static __thread uint64_t seed;
	unsigned int pg;

	seed = (uintptr_t)arg;
	while (!atomic_load(&stop)) {
		pg = mxt_rnd(&seed) % NPAGES;
		armed = 1;
		if (sigsetjmp(jump, 1)) {
			atomic_fetch_add(&sigbus, 1);
			continue;
		}
		if (mxt_rnd(&seed) & 1)
			m[pg * PG + 8] = (char)pg;
		else
			(void)m[pg * PG + 16];
		armed = 0;
		atomic_fetch_add(&faults, 1);
	}
	armed = 0;
	return NULL;
}

static void *changer(void *arg)
{
	uint64_t seed = (uintptr_t)arg;
	uint64_t off;
	size_t actual;
	char buf[64];

	memset(buf, 0x5a, sizeof(buf));
	while (!atomic_load(&stop)) {
		off = (mxt_rnd(&seed) % NPAGES) * PG;
		switch (mxt_rnd(&seed) % 4) {
		case 0:
			mx_vmo_set_size(vmo, (mxt_rnd(&seed) % (NPAGES + 1)) *
					     PG);
			break;
		case 1:
			mx_vmo_write(vmo, buf, off, sizeof(buf), &actual);
			break;
		case 2:
			mx_vmo_op_range(vmo, MX_VMO_OP_DECOMMIT, off, PG,
					NULL, 0);
			break;
		default:
			mx_vmo_op_range(vmo, MX_VMO_OP_COMMIT, off, 2 * PG,
					NULL, 0);
		}
	}
	return NULL;
}

TEST(faults_race_resize_decommit_and_clone_writes)
{
	pthread_t th[6];
	unsigned int i, seconds = mxt_debug_kernel() ? 6 : 3;
	char buf[PG];
	size_t actual;
	mx_time_t end;

	mxt_on_signal(SIGBUS, on_sigbus);
	ASSERT_OK(mx_vmo_create(NPAGES * PG, 0, &vmo));
	ASSERT_OK(mx_vmo_clone(vmo, MX_VMO_CLONE_COPY_ON_WRITE, 0,
			       NPAGES * PG, &cvmo));
	map = map_vmo(vmo, NPAGES * PG);
	cmap = map_vmo(cvmo, NPAGES * PG);
	ASSERT_EQ(pthread_create(&th[0], NULL, toucher, (void *)map), 0);
	ASSERT_EQ(pthread_create(&th[1], NULL, toucher, (void *)(map + 1)), 0);
	ASSERT_EQ(pthread_create(&th[2], NULL, toucher, (void *)cmap), 0);
	ASSERT_EQ(pthread_create(&th[3], NULL, changer, (void *)7), 0);
	ASSERT_EQ(pthread_create(&th[4], NULL, changer, (void *)11), 0);
	ASSERT_EQ(pthread_create(&th[5], NULL, toucher, (void *)(cmap + 2)),
		  0);
	end = mxt_now() + (mx_time_t)seconds * 1000000000ull;
	while (mxt_now() < end) {
		mx_vmo_read(vmo, buf, 0, sizeof(buf), &actual);
		mx_vmo_read(cvmo, buf, PG, sizeof(buf), &actual);
	}
	atomic_store(&stop, 1);
	for (i = 0; i < 6; i++)
		ASSERT_EQ(pthread_join(th[i], NULL), 0);
	printf("# %ld accesses, %ld SIGBUS\n", atomic_load(&faults),
	       atomic_load(&sigbus));
	ASSERT_TRUE(atomic_load(&faults) > 0);

	/* Settled: the mapping shows what the calls say, page by page. */
	ASSERT_OK(mx_vmo_set_size(vmo, NPAGES * PG));
	for (i = 0; i < NPAGES; i++) {
		char want;

		ASSERT_OK(mx_vmo_read(vmo, &want, i * PG + 8, 1, &actual));
		ASSERT_EQ(map[i * PG + 8], want);
		map[i * PG + 24] = (char)(i + 1);
		ASSERT_OK(mx_vmo_read(vmo, &want, i * PG + 24, 1, &actual));
		ASSERT_EQ(want, (char)(i + 1));
		ASSERT_OK(mx_vmo_read(cvmo, &want, i * PG + 8, 1, &actual));
		ASSERT_EQ(cmap[i * PG + 8], want);
	}
	ASSERT_EQ(munmap((void *)map, NPAGES * PG), 0);
	ASSERT_EQ(munmap((void *)cmap, NPAGES * PG), 0);
	ASSERT_OK(mx_handle_close(cvmo));
	ASSERT_OK(mx_handle_close(vmo));
}

/*
 * A cvmo's mapping shows its parent's page until the cvmo writes it;
 * after a decommit in the parent it shows zeros, after a new write the
 * new bytes, never a page the parent has let go.
 */
TEST(clone_mapping_follows_parent_pages)
{
	mx_handle_t p, c;
	volatile char *pm, *cm;
	size_t actual;
	char b = 'x';
	int round;

	ASSERT_OK(mx_vmo_create(2 * PG, 0, &p));
	ASSERT_OK(mx_vmo_clone(p, MX_VMO_CLONE_COPY_ON_WRITE, 0, 2 * PG, &c));
	pm = map_vmo(p, 2 * PG);
	cm = map_vmo(c, 2 * PG);
	for (round = 0; round < 200; round++) {
		b = (char)('a' + round % 26);
		ASSERT_OK(mx_vmo_write(p, &b, 0, 1, &actual));
		ASSERT_EQ(cm[0], b);
		ASSERT_EQ(pm[0], b);
		ASSERT_OK(mx_vmo_op_range(p, MX_VMO_OP_DECOMMIT, 0, PG, NULL,
					  0));
		ASSERT_EQ(cm[0], 0);
		ASSERT_EQ(pm[0], 0);
		pm[0] = b;
		ASSERT_EQ(cm[0], b);
	}
	/* The cvmo's own write leaves the parent alone, both ways. */
	cm[PG] = 'c';
	ASSERT_EQ(pm[PG], 0);
	pm[PG] = 'p';
	ASSERT_EQ(cm[PG], 'c');
	ASSERT_EQ(munmap((void *)pm, 2 * PG), 0);
	ASSERT_EQ(munmap((void *)cm, 2 * PG), 0);
	ASSERT_OK(mx_handle_close(c));
	ASSERT_OK(mx_handle_close(p));
}
