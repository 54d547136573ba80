// SPDX-License-Identifier: MIT
/*
 * The per-user bound on committed VMO pages (module parameter
 * max_user_vmo_pages, docs/security.md): pages are charged to the user
 * who created the VMO, whoever commits them; past the bound a write,
 * COMMIT or clone copy fails with MX_ERR_NO_MEMORY and a write fault
 * raises SIGBUS; what is freed (DECOMMIT, shrink, close) is the user's
 * again; another user is not affected. VMOs count in max_user_objects.
 * The pages count in the memory cgroup of the VMO's creator too.
 *
 * Each case runs as unprivileged uids of its own.
 */
#include "mxtest.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#define PG	4096u
#define BOUND	16u
#define BOUND_S	"16"

static mx_handle_t vmo(uint64_t size)
{
	mx_handle_t h = MX_HANDLE_INVALID;

	ASSERT_OK(mx_vmo_create(size, 0, &h));
	return h;
}

static mx_status_t commit(mx_handle_t h, uint64_t page, uint64_t n)
{
	return mx_vmo_op_range(h, MX_VMO_OP_COMMIT, page * PG, n * PG, NULL, 0);
}

static mx_status_t write_page(mx_handle_t h, uint64_t page)
{
	size_t actual = 0;

	return mx_vmo_write(h, "p", page * PG, 1, &actual);
}

static void decommit(mx_handle_t h, uint64_t page, uint64_t n)
{
	ASSERT_OK(mx_vmo_op_range(h, MX_VMO_OP_DECOMMIT, page * PG, n * PG,
				  NULL, 0));
}

/*
 * Wait (up to 5 s) until @h can commit @page: what a closed VMO or a
 * process's end gives back may go asynchronously.
 */
static void commit_soon(mx_handle_t h, uint64_t page)
{
	mx_time_t give_up = mxt_now() + MX_SEC(5);
	mx_status_t s;

	while ((s = commit(h, page, 1)) == MX_ERR_NO_MEMORY &&
	       mxt_now() < give_up)
		usleep(10000);
	ASSERT_OK(s);
}

/* Another user commits up to the whole bound of its own. */
static void other_user_full_bound(void *arg)
{
	mx_handle_t h = vmo(2 * BOUND * PG);

	(void)arg;
	ASSERT_OK(commit(h, 0, BOUND));
	ASSERT_STATUS(commit(h, BOUND, 1), MX_ERR_NO_MEMORY);
}

static void commit_bound_body(void)
{
	mx_handle_t h, g;

	mxt_become_keeping_root(4601);
	h = vmo(2 * BOUND * PG);
	ASSERT_OK(commit(h, 0, BOUND - 1));
	/* all or nothing: two pages with one left */
	ASSERT_STATUS(commit(h, BOUND - 1, 2), MX_ERR_NO_MEMORY);
	ASSERT_OK(commit(h, BOUND - 1, 1));
	ASSERT_STATUS(commit(h, BOUND, 1), MX_ERR_NO_MEMORY);
	ASSERT_STATUS(write_page(h, BOUND + 1), MX_ERR_NO_MEMORY);
	/* committed pages are not charged twice */
	ASSERT_OK(commit(h, 0, BOUND));
	ASSERT_OK(write_page(h, 3));
	/* a second VMO of the same user shares the bound */
	g = vmo(PG);
	ASSERT_STATUS(write_page(g, 0), MX_ERR_NO_MEMORY);
	/* reads allocate nothing and work at the bound */
	{
		static char buf[2 * BOUND * PG];
		size_t actual = 0;

		ASSERT_OK(mx_vmo_read(h, buf, 0, sizeof(buf), &actual));
		ASSERT_EQ(actual, sizeof(buf));
	}
	/* another user is not affected */
	mxt_as_user(4602, other_user_full_bound, NULL);
	/* a decommit gives pages back */
	decommit(h, 0, 2);
	ASSERT_OK(write_page(g, 0));
	ASSERT_OK(commit(h, BOUND, 1));
	ASSERT_STATUS(commit(h, BOUND + 1, 1), MX_ERR_NO_MEMORY);
	/* so does a shrink */
	ASSERT_OK(mx_vmo_set_size(h, 4 * PG));
	ASSERT_OK(commit(g, 0, 1));
	{
		mx_handle_t k = vmo(BOUND * PG);

		/* h keeps pages 2 and 3, g its one: 13 left */
		ASSERT_OK(commit(k, 0, BOUND - 3));
		ASSERT_STATUS(commit(k, BOUND - 3, 1), MX_ERR_NO_MEMORY);
		/* and a close of the VMO's last handle */
		ASSERT_OK(mx_handle_close(h));
		commit_soon(k, BOUND - 3);
		ASSERT_OK(commit(k, BOUND - 2, 1));
		ASSERT_STATUS(commit(g, 0, 1), MX_OK);
		ASSERT_STATUS(write_page(vmo(PG), 0), MX_ERR_NO_MEMORY);
	}
}

TEST(commit_and_write_up_to_the_bound)
{
	mxt_with_param("max_user_vmo_pages", BOUND_S, commit_bound_body);
}

/* A write fault past the bound raises SIGBUS; a read fault is free. */
static void fault_child(void *arg)
{
	char *p = arg;

	signal(SIGBUS, SIG_DFL);
	p[BOUND * PG] = 1;
	_exit(0);
}

static void fault_bound_body(void)
{
	mx_handle_t h, d;
	char *p;
	int fd = -1, st;
	pid_t pid;

	mxt_become_keeping_root(4603);
	h = vmo(2 * BOUND * PG);
	d = mxt_dup(h, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_handle_to_fd(d, O_CLOEXEC, &fd));
	p = mmap(NULL, 2 * BOUND * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	ASSERT_TRUE(p != MAP_FAILED);
	for (unsigned int i = 0; i < BOUND; i++)
		p[i * PG] = (char)i;
	/* every page reads, allocating nothing */
	for (unsigned int i = 0; i < 2 * BOUND; i++)
		ASSERT_EQ(p[i * PG + 1], 0);
	pid = mxt_fork();
	if (pid == 0)
		fault_child(p);
	st = mxt_wait_child(pid);
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGBUS)
		FAIL("a write fault past the bound: status 0x%x, not SIGBUS",
		     st);
	ASSERT_STATUS(commit(h, BOUND, 1), MX_ERR_NO_MEMORY);
	/* a write fault where nothing was mapped yet */
	{
		char *q = mmap(NULL, 2 * BOUND * PG, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, 0);

		ASSERT_TRUE(q != MAP_FAILED);
		pid = mxt_fork();
		if (pid == 0)
			fault_child(q + PG);
		st = mxt_wait_child(pid);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGBUS)
			FAIL("a first write fault past the bound: status 0x%x",
			     st);
		ASSERT_EQ(munmap(q, 2 * BOUND * PG), 0);
	}
	/* a clone's write fault on its parent's page: the copy is refused */
	{
		mx_handle_t c = 0;
		int cfd = -1;
		char *cp;

		ASSERT_OK(mx_vmo_clone(h, MX_VMO_CLONE_COPY_ON_WRITE, 0,
				       BOUND * PG, &c));
		ASSERT_OK(mx_handle_to_fd(c, O_CLOEXEC, &cfd));
		cp = mmap(NULL, BOUND * PG, PROT_READ | PROT_WRITE, MAP_SHARED,
			  cfd, 0);
		ASSERT_TRUE(cp != MAP_FAILED);
		ASSERT_EQ(cp[3 * PG], 3);
		pid = mxt_fork();
		if (pid == 0)
			fault_child(cp + 3 * PG - BOUND * PG);
		st = mxt_wait_child(pid);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGBUS)
			FAIL("a clone's copy fault past the bound: status 0x%x",
			     st);
		ASSERT_EQ(cp[3 * PG], 3);
		ASSERT_EQ(munmap(cp, BOUND * PG), 0);
		close(cfd);
	}
	/* the fault gave nothing back and took nothing */
	decommit(h, 0, 1);
	p[BOUND * PG] = 7;
	ASSERT_EQ(p[BOUND * PG], 7);
	ASSERT_STATUS(commit(h, 0, 1), MX_ERR_NO_MEMORY);
	/* munmap does not free pages: they are the VMO's */
	ASSERT_EQ(munmap(p, 2 * BOUND * PG), 0);
	ASSERT_STATUS(commit(h, 0, 1), MX_ERR_NO_MEMORY);
}

TEST(a_write_fault_past_the_bound_raises_sigbus)
{
	mxt_with_param("max_user_vmo_pages", BOUND_S, fault_bound_body);
}

/*
 * Pages go to the VMO's creator, whoever commits them: another user that
 * writes into this user's VMO cannot go past this user's bound, and its
 * own bound is untouched.
 */
static void writes_into_others_vmo(void *arg)
{
	int fd = *(int *)arg;
	mx_handle_t ch, v = 0, mine;
	uint32_t nb, nh;
	char buf[4];

	ASSERT_OK(mx_handle_from_fd(fd, &ch));
	close(fd);
	mxt_wait_signal(ch, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(ch, 0, buf, &v, sizeof(buf), 1, &nb, &nh));
	ASSERT_EQ(nh, 1);
	/* the creator is at its bound */
	ASSERT_STATUS(commit(v, BOUND, 1), MX_ERR_NO_MEMORY);
	ASSERT_STATUS(write_page(v, BOUND + 1), MX_ERR_NO_MEMORY);
	/* this user's bound is whole */
	mine = vmo(BOUND * PG);
	ASSERT_OK(commit(mine, 0, BOUND));
	ASSERT_OK(mx_handle_close(mine));
	/* a clone made by this user is this user's: its copies too */
	{
		mx_handle_t c = 0;

		ASSERT_OK(mx_vmo_clone(v, MX_VMO_CLONE_COPY_ON_WRITE, 0,
				       BOUND * PG, &c));
		commit_soon(c, 0);
		ASSERT_OK(commit(c, 1, BOUND - 1));
		ASSERT_STATUS(write_page(mxt_dup(c, MX_RIGHT_SAME_RIGHTS),
					 0), MX_OK);
		ASSERT_STATUS(commit(vmo(PG), 0, 1), MX_ERR_NO_MEMORY);
	}
	ASSERT_OK(mx_channel_write(ch, 0, "ok", 2, NULL, 0));
}

static void creator_body(void)
{
	mx_handle_t h, a, b, d;
	int fd = -1;
	uint32_t nb;
	char buf[4];

	mxt_become_keeping_root(4604);
	h = vmo(2 * BOUND * PG);
	ASSERT_OK(commit(h, 0, BOUND));
	mxt_channel(&a, &b);
	ASSERT_OK(mx_handle_to_fd(b, O_CLOEXEC, &fd));
	d = mxt_dup(h, MX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(mx_channel_write(a, 0, "v", 1, &d, 1));
	mxt_as_user(4605, writes_into_others_vmo, &fd);
	ASSERT_OK(mx_channel_read(a, 0, buf, NULL, sizeof(buf), 0, &nb, NULL));
	ASSERT_EQ(nb, 2);
	/* the creator frees a page: one more fits, not two */
	decommit(h, 0, 1);
	ASSERT_OK(write_page(h, BOUND));
	ASSERT_STATUS(write_page(h, BOUND + 1), MX_ERR_NO_MEMORY);
}

TEST(pages_are_charged_to_the_creator)
{
	mxt_with_param("max_user_vmo_pages", BOUND_S, creator_body);
}

/* A clone's first write copies a page: charged, and refused at the bound. */
static void clone_body(void)
{
	mx_handle_t h, c;
	size_t actual = 0;

	mxt_become_keeping_root(4606);
	h = vmo(BOUND * PG);
	ASSERT_OK(commit(h, 0, BOUND));
	ASSERT_OK(mx_vmo_clone(h, MX_VMO_CLONE_COPY_ON_WRITE, 0, BOUND * PG,
			       &c));
	/* reading through to the parent costs nothing */
	{
		static char buf[BOUND * PG];

		ASSERT_OK(mx_vmo_read(c, buf, 0, sizeof(buf), &actual));
	}
	ASSERT_STATUS(mx_vmo_write(c, "c", 0, 1, &actual), MX_ERR_NO_MEMORY);
	ASSERT_STATUS(commit(c, 0, 1), MX_ERR_NO_MEMORY);
	decommit(h, BOUND - 1, 1);
	ASSERT_OK(mx_vmo_write(c, "c", 0, 1, &actual));
	ASSERT_STATUS(mx_vmo_write(c, "c", PG, 1, &actual), MX_ERR_NO_MEMORY);
	/* the parent's pages stay charged while the clone is alive */
	ASSERT_OK(mx_handle_close(h));
	ASSERT_STATUS(mx_vmo_write(c, "c", PG, 1, &actual), MX_ERR_NO_MEMORY);
}

TEST(clone_copies_are_charged)
{
	mxt_with_param("max_user_vmo_pages", BOUND_S, clone_body);
}

/* The processes' end frees their VMOs' pages. */
static void fill_and_exit(void *arg)
{
	mx_handle_t h = vmo(BOUND * PG);

	(void)arg;
	ASSERT_OK(commit(h, 0, BOUND));
}

static void exit_body(void)
{
	mx_handle_t h;

	mxt_become_keeping_root(4607);
	mxt_as_user(4607, fill_and_exit, NULL);
	h = vmo(BOUND * PG);
	commit_soon(h, 0);
	ASSERT_OK(commit(h, 1, BOUND - 1));
}

TEST(a_process_end_gives_the_pages_back)
{
	mxt_with_param("max_user_vmo_pages", BOUND_S, exit_body);
}

/* Each VMO, clone included, is an object of max_user_objects. */
static void objects_body(void)
{
	mx_handle_t h[3], c = 0x5a5a;

	mxt_become_keeping_root(4608);
	ASSERT_OK(mx_vmo_create(PG, 0, &h[0]));
	ASSERT_OK(mx_vmo_create(PG, 0, &h[1]));
	ASSERT_STATUS(mx_vmo_create(PG, 0, &h[2]), MX_ERR_NO_RESOURCES);
	ASSERT_STATUS(mx_vmo_clone(h[0], MX_VMO_CLONE_COPY_ON_WRITE, 0, PG,
				   &c), MX_ERR_NO_RESOURCES);
	ASSERT_EQ(c, 0x5a5a);
	ASSERT_OK(mx_handle_close(h[1]));
	ASSERT_OK(mx_vmo_clone(h[0], MX_VMO_CLONE_COPY_ON_WRITE, 0, PG, &c));
	ASSERT_STATUS(mx_vmo_create(PG, 0, &h[2]), MX_ERR_NO_RESOURCES);
}

TEST(vmos_count_as_objects)
{
	mxt_with_param("max_user_objects", "2", objects_body);
}

/* A bound of 0: nothing is committed, everything still reads. */
static void zero_body(void)
{
	mx_handle_t h;
	char buf[64];
	size_t actual = 0;

	mxt_become_keeping_root(4609);
	h = vmo(4 * PG);
	ASSERT_STATUS(commit(h, 0, 1), MX_ERR_NO_MEMORY);
	ASSERT_STATUS(write_page(h, 0), MX_ERR_NO_MEMORY);
	ASSERT_OK(mx_vmo_read(h, buf, 0, sizeof(buf), &actual));
	ASSERT_EQ(actual, sizeof(buf));
	/* a zero-length write or commit needs no page */
	ASSERT_OK(mx_vmo_write(h, buf, 0, 0, &actual));
	ASSERT_OK(commit(h, 0, 0));
	ASSERT_OK(mx_vmo_set_size(h, 64 * PG));
}

TEST(a_bound_of_zero)
{
	mxt_with_param("max_user_vmo_pages", "0", zero_body);
}

/* Lowered below what a user has, the bound takes nothing away. */
static void lower_body(void)
{
	mx_handle_t h;

	mxt_become_keeping_root(4610);
	h = vmo(BOUND * PG);
	ASSERT_OK(commit(h, 0, BOUND));
	if (setresuid(0, 0, 0))
		FAIL("setresuid: %s", strerror(errno));
	mxt_param_set("max_user_vmo_pages", "4");
	if (setresuid(4610, 4610, 0))
		FAIL("setresuid: %s", strerror(errno));
	{
		static char buf[BOUND * PG];
		size_t actual = 0;

		memset(buf, 0x3d, sizeof(buf));
		ASSERT_OK(mx_vmo_write(h, buf, 0, sizeof(buf), &actual));
	}
	decommit(h, 0, BOUND - 4);
	ASSERT_STATUS(commit(h, 0, 1), MX_ERR_NO_MEMORY);
	decommit(h, BOUND - 1, 1);
	ASSERT_OK(commit(h, 0, 1));
	ASSERT_STATUS(commit(h, 1, 1), MX_ERR_NO_MEMORY);
}

TEST(lowering_the_bound_keeps_what_is_there)
{
	mxt_with_param("max_user_vmo_pages", BOUND_S, lower_body);
}

/* ---- the creator's memory cgroup */

#define CG_MAX	(8 << 20)

static long long cg_value(const char *dir, const char *file, const char *key)
{
	char path[256], buf[2048], *line, *save = NULL;
	size_t n = key ? strlen(key) : 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (mxt_read_file(path, buf, sizeof(buf)))
		FAIL("read %s: %s", path, strerror(errno));
	if (!key)
		return atoll(buf);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, n) && line[n] == ' ')
			return atoll(line + n + 1);
	FAIL("no %s in %s", key, path);
}

/*
 * The creator, moved into the cgroup: makes a VMO, sends it over the
 * channel whose fd it got, and waits, alive, until told to end.
 */
static void cg_creator(int chfd, int go, int done)
{
	volatile char stack[32 << 10];
	mx_handle_t ch, v;
	char c;

	memset((char *)stack, 1, sizeof(stack));
	if (read(go, &c, 1) != 1)
		_exit(20);
	if (mx_handle_from_fd(chfd, &ch) != MX_OK)
		_exit(21);
	if (mx_vmo_create(4 * (uint64_t)CG_MAX, 0, &v) != MX_OK)
		_exit(22);
	if (mx_channel_write(ch, 0, "v", 1, &v, 1) != MX_OK)
		_exit(23);
	if (read(done, &c, 1) != 1)
		_exit(24);
	_exit(0);
}

/* A creator in a cgroup of its own, alive, and its VMO here. */
struct cg_setup {
	char dir[128];
	pid_t pid;
	int done;
	mx_handle_t v;
};

static void cg_start(struct cg_setup *cg)
{
	char path[160], num[32];
	int go[2], done[2], chfd = -1;
	mx_handle_t a, b;
	uint32_t nb, nh;

	mxt_cgroup_ready();
	snprintf(cg->dir, sizeof(cg->dir), MXT_CGROOT "/mx-vmo-%d",
		 (int)getpid());
	if (mkdir(cg->dir, 0755))
		FAIL("mkdir %s: %s", cg->dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/memory.max", cg->dir);
	snprintf(num, sizeof(num), "%d", CG_MAX);
	ASSERT_EQ(mxt_write_file(path, num), 0);
	snprintf(path, sizeof(path), "%s/memory.swap.max", cg->dir);
	mxt_write_file(path, "0");	/* absent without swap accounting */
	mxt_channel(&a, &b);
	ASSERT_OK(mx_handle_to_fd(b, 0, &chfd));
	ASSERT_EQ(pipe(go), 0);
	ASSERT_EQ(pipe(done), 0);
	cg->pid = mxt_fork();
	if (cg->pid == 0) {
		close(go[1]);
		close(done[1]);
		cg_creator(chfd, go[0], done[0]);
	}
	close(chfd);
	close(go[0]);
	close(done[0]);
	cg->done = done[1];
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dir);
	snprintf(num, sizeof(num), "%d", (int)cg->pid);
	ASSERT_EQ(mxt_write_file(path, num), 0);
	ASSERT_EQ(write(go[1], "g", 1), 1);
	mxt_wait_signal(a, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(a, 0, num, &cg->v, sizeof(num), 1, &nb,
				  &nh));
	ASSERT_EQ(nh, 1);
}

/* The creator ends as it was told to, not killed; the cgroup goes. */
static void cg_end(struct cg_setup *cg)
{
	int status;

	ASSERT_EQ(write(cg->done, "d", 1), 1);
	status = mxt_wait_child(cg->pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("the creator in the cgroup: status 0x%x", status);
	ASSERT_OK(mx_handle_close(cg->v));
	ASSERT_EQ(rmdir(cg->dir), 0);
}

TEST(pages_count_in_the_creators_memory_cgroup)
{
	struct cg_setup cg;
	long long before, after;
	mx_time_t give_up;

	cg_start(&cg);
	/* 2 MiB committed by this process, outside the cgroup, count there */
	before = cg_value(cg.dir, "memory.current", NULL);
	ASSERT_OK(commit(cg.v, 0, 512));
	after = cg_value(cg.dir, "memory.current", NULL);
	printf("# 2 MiB committed: the creator's cgroup up %lld KiB\n",
	       (after - before) >> 10);
	ASSERT_TRUE(after - before >= (3 << 20) / 2);
	decommit(cg.v, 0, 512);
	give_up = mxt_now() + MX_SEC(5);
	while ((after = cg_value(cg.dir, "memory.current", NULL)) >
	       before + (512 << 10) && mxt_now() < give_up)
		usleep(10000);
	ASSERT_TRUE(after <= before + (512 << 10));
	cg_end(&cg);
}

/*
 * At the creator's memory.max a commit or write fails with NO_MEMORY, as
 * a channel write does at the writer's (channel-memory.c), and nobody in
 * the cgroup is killed for it.
 */
TEST(commit_at_the_creators_memory_max_is_no_memory)
{
	struct cg_setup cg;
	unsigned int n = 0;
	mx_status_t s;

	cg_start(&cg);
	while ((s = commit(cg.v, n, 1)) == MX_OK && n < 4 * CG_MAX / PG)
		n++;
	printf("# %u pages committed before %s (memory.max %d)\n", n,
	       mx_status_get_string(s), CG_MAX);
	ASSERT_STATUS(s, MX_ERR_NO_MEMORY);
	ASSERT_TRUE((long long)n * PG <= CG_MAX);
	ASSERT_TRUE(n >= CG_MAX / PG / 2);
	/*
	 * A write past it fails too. Reclaim in the cgroup may free a few
	 * pages of the creator's between two calls, so the first write may
	 * still fit: but not more than a few, and never past memory.max.
	 */
	while ((s = write_page(cg.v, n)) == MX_OK && n < 4 * CG_MAX / PG)
		n++;
	ASSERT_STATUS(s, MX_ERR_NO_MEMORY);
	ASSERT_TRUE((long long)n * PG <= CG_MAX);
	ASSERT_EQ(cg_value(cg.dir, "memory.events", "oom_kill"), 0);
	ASSERT_EQ(waitpid(cg.pid, &(int){ 0 }, WNOHANG), 0);
	/* freed, the pages fit again */
	decommit(cg.v, 0, 64);
	commit_soon(cg.v, n);
	cg_end(&cg);
}
