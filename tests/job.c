// SPDX-License-Identifier: MIT
/*
 * Jobs: mx_job_create, the job tree, processes in jobs, mx_task_kill on a
 * job, MX_JOB_NO_PROCESSES / MX_JOB_NO_JOBS. Magenta's jobs.c cases that
 * need no policy (basic_test, create_test, kill_test, wait_test,
 * max_height_smoke) are here, and the root job each user has.
 */
#include "mxtest.h"

#include <pthread.h>

/*
 * Start a process in @job that blocks until killed; return once it runs.
 * Its thread handle stays open (closing it would kill the process).
 */
static mx_handle_t start_in(mx_handle_t job, mx_handle_t *ch_out)
{
	mx_handle_t p = 0, t = 0, c0 = 0, c1 = 0;
	char ok[2];

	ASSERT_OK(mx_process_create(job, "member", 6, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "main", 4, 0, &t));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_process_start(p, t, (uintptr_t)mxt_entry_ready,
				   mxt_stack(NULL), c1, 0));
	mxt_wait_signal(c0, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(c0, 0, ok, NULL, 2, 0, NULL, NULL));
	if (ch_out)
		*ch_out = c0;
	return p;
}

static mx_handle_t new_job(mx_handle_t parent)
{
	mx_handle_t j = 0;

	ASSERT_OK(mx_job_create(parent, 0, &j));
	ASSERT_TRUE(j > 0);
	return j;
}

/* basic_test */
TEST(child_and_grandchild_jobs)
{
	mx_handle_t root = mx_job_default(), j = new_job(root), g = new_job(j);
	mx_info_handle_basic_t b = mxt_basic(j);

	ASSERT_EQ(b.type, MX_OBJ_TYPE_JOB);
	ASSERT_EQ(b.rights, 0xFCF);
	ASSERT_EQ(b.related_koid, mxt_basic(root).koid);
	ASSERT_EQ(mxt_basic(g).related_koid, b.koid);
	ASSERT_NE(mxt_basic(g).koid, b.koid);
	/* A new job has neither; a job with a child has NO_PROCESSES only. */
	ASSERT_EQ(mxt_signals(g), MX_JOB_NO_PROCESSES | MX_JOB_NO_JOBS |
		  MX_SIGNAL_LAST_HANDLE);
	ASSERT_EQ(mxt_signals(j), MX_JOB_NO_PROCESSES | MX_SIGNAL_LAST_HANDLE);
	/* The child job counts until it is gone. */
	ASSERT_OK(mx_handle_close(g));
	ASSERT_EQ(mxt_signals(j), MX_JOB_NO_PROCESSES | MX_JOB_NO_JOBS |
		  MX_SIGNAL_LAST_HANDLE);
}

TEST(create_errors_in_order)
{
	mx_handle_t root = mx_job_default(), j = 0, ro = 0, ev = mxt_event();

	ro = mxt_dup(root, MX_RIGHT_READ);
	ASSERT_STATUS(mx_job_create(MX_HANDLE_INVALID, 1, &j),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_job_create(MX_HANDLE_INVALID, 0, &j),
		      MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_job_create(ro, 0, &j), MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(mx_job_create(ev, 0, &j), MX_ERR_WRONG_TYPE);
	ASSERT_STATUS(mx_job_create(mx_process_self(), 0, &j),
		      MX_ERR_WRONG_TYPE);
	ASSERT_EQ(j, 0);
	/* A failed copy-out leaves nothing behind: no child job. */
	j = new_job(root);
	ASSERT_STATUS(mx_job_create(j, 0, (mx_handle_t *)1),
		      MX_ERR_INVALID_ARGS);
	ASSERT_STATUS(mx_job_create(j, 0, mxt_read_only_page()),
		      MX_ERR_INVALID_ARGS);
	ASSERT_TRUE(mxt_signals(j) & MX_JOB_NO_JOBS);
}

/* create_test */
TEST(processes_in_parent_and_child_jobs)
{
	mx_handle_t root = mx_job_default(), j = new_job(root), p = 0, q = 0;

	ASSERT_OK(mx_process_create(root, "in-root", 7, 0, &p, NULL));
	ASSERT_EQ(mxt_basic(p).related_koid, mxt_basic(root).koid);
	ASSERT_OK(mx_process_create(j, "in-child", 8, 0, &q, NULL));
	ASSERT_EQ(mxt_basic(q).related_koid, mxt_basic(j).koid);
	/* An unstarted process is a member too. */
	ASSERT_EQ(mxt_signals(j), MX_SIGNAL_LAST_HANDLE | MX_JOB_NO_JOBS);
	ASSERT_OK(mx_handle_close(q));
	ASSERT_EQ(mxt_signals(j), MX_SIGNAL_LAST_HANDLE | MX_JOB_NO_JOBS |
		  MX_JOB_NO_PROCESSES);
}

/* kill_test */
TEST(kill_ends_its_process)
{
	mx_handle_t j = new_job(mx_job_default()), ch = 0;
	mx_handle_t p = start_in(j, &ch);
	mx_info_process_t info;

	ASSERT_EQ(mxt_signals(j), MX_SIGNAL_LAST_HANDLE | MX_JOB_NO_JOBS);
	ASSERT_OK(mx_task_kill(j));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS, &info, sizeof(info),
				     NULL, NULL));
	ASSERT_EQ(info.exited, 1);
	ASSERT_EQ(info.return_code, -1);
	mxt_wait_signal(ch, MX_CHANNEL_PEER_CLOSED);
	mxt_wait_signal(j, MX_JOB_NO_PROCESSES);
	ASSERT_EQ(mxt_signals(j), MX_JOB_NO_PROCESSES | MX_JOB_NO_JOBS |
		  MX_SIGNAL_LAST_HANDLE);
	/* Idempotent. */
	ASSERT_OK(mx_task_kill(j));
}

/* wait_test */
TEST(no_processes_once_the_last_one_dies)
{
	mx_handle_t j = new_job(mx_job_default());
	mx_handle_t p = start_in(j, NULL);

	ASSERT_STATUS(mx_object_wait_one(j, MX_JOB_NO_PROCESSES,
					 mx_deadline_after(MX_MSEC(1)), NULL),
		      MX_ERR_TIMED_OUT);
	ASSERT_OK(mx_task_kill(p));
	mxt_wait_signal(j, MX_JOB_NO_PROCESSES);
}

TEST(kill_reaches_grandchildren_and_closes_the_job)
{
	mx_handle_t j = new_job(mx_job_default()), c = new_job(j);
	mx_handle_t g = new_job(c), p1 = start_in(j, NULL);
	mx_handle_t p2 = start_in(c, NULL), p3 = start_in(g, NULL), q = 0;

	ASSERT_OK(mx_task_kill(j));
	mxt_wait_signal(p1, MX_TASK_TERMINATED);
	mxt_wait_signal(p2, MX_TASK_TERMINATED);
	mxt_wait_signal(p3, MX_TASK_TERMINATED);
	/* Nothing can be added to a killed job or below it. */
	ASSERT_STATUS(mx_process_create(j, "late", 4, 0, &q, NULL),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_process_create(g, "late", 4, 0, &q, NULL),
		      MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_job_create(c, 0, &q), MX_ERR_BAD_STATE);
	ASSERT_EQ(q, 0);
}

TEST(kill_of_an_unstarted_member)
{
	mx_handle_t j = new_job(mx_job_default()), p = 0, t = 0, ev = 0;
	mx_info_process_t info;

	ASSERT_OK(mx_process_create(j, "never", 5, 0, &p, NULL));
	ASSERT_OK(mx_thread_create(p, "t", 1, 0, &t));
	ASSERT_OK(mx_task_kill(j));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
	ASSERT_OK(mx_object_get_info(p, MX_INFO_PROCESS, &info, sizeof(info),
				     NULL, NULL));
	/* As Magenta's: DYING and DEAD read as started. */
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 1);
	ASSERT_EQ(info.return_code, -1);
	ev = mxt_event();
	ASSERT_STATUS(mx_process_start(p, t, (uintptr_t)mxt_entry_ready,
				       mxt_stack(NULL), ev, 0),
		      MX_ERR_BAD_STATE);
}

TEST(kill_needs_destroy_right)
{
	mx_handle_t j = new_job(mx_job_default()), p = start_in(j, NULL);
	mx_handle_t nd = mxt_dup(j, MX_DEFAULT_JOB_RIGHTS & ~MX_RIGHT_DESTROY);

	ASSERT_STATUS(mx_task_kill(nd), MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(mxt_signals(p) & MX_TASK_TERMINATED, 0);
	ASSERT_STATUS(mx_task_kill(MX_HANDLE_INVALID), MX_ERR_BAD_HANDLE);
	/* The right is checked before the type: an event has no DESTROY. */
	ASSERT_STATUS(mx_task_kill(mxt_event()), MX_ERR_ACCESS_DENIED);
	/* A process needs WRITE on the job to be made in it. */
	ASSERT_STATUS(mx_process_create(mxt_dup(j, MX_RIGHT_READ), "x", 1, 0,
					&nd, NULL), MX_ERR_ACCESS_DENIED);
	ASSERT_OK(mx_task_kill(j));
	mxt_wait_signal(p, MX_TASK_TERMINATED);
}

/* The root job holds every ambient process: it cannot be killed. */
TEST(root_job_cannot_be_killed)
{
	ASSERT_STATUS(mx_task_kill(mx_job_default()), MX_ERR_ACCESS_DENIED);
	ASSERT_EQ(mxt_signals(mx_process_self()) & MX_TASK_TERMINATED, 0);
}

/* max_height_smoke */
TEST(max_height)
{
	mx_handle_t j = mx_job_default(), next = 0, p = 0;
	mx_status_t s = MX_OK;
	int levels = 0;

	while (levels < 128) {
		s = mx_job_create(j, 0, &next);
		if (s != MX_OK)
			break;
		j = next;
		levels++;
	}
	ASSERT_STATUS(s, MX_ERR_OUT_OF_RANGE);
	ASSERT_EQ(levels, 32);
	/* A process can still be made at the bottom. */
	ASSERT_OK(mx_process_create(j, "deep", 4, 0, &p, NULL));
}

TEST(job_name_property)
{
	mx_handle_t j = new_job(mx_job_default());
	char name[MX_MAX_NAME_LEN];

	ASSERT_OK(mx_object_get_property(j, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(name[0], '\0');
	ASSERT_OK(mx_object_set_property(j, MX_PROP_NAME, "batch", 5));
	ASSERT_OK(mx_object_get_property(j, MX_PROP_NAME, name, sizeof(name)));
	ASSERT_EQ(strcmp(name, "batch"), 0);
}

/* ---- a kill storm: killers and starters race on one job ---- */

#define STORM_STARTERS	3
#define STORM_EACH	8

static mx_handle_t storm_job, storm_going;
static int storm_started;

static void *storm_starter(void *arg)
{
	mx_handle_t p[STORM_EACH], t = 0, c0 = 0, c1 = 0;
	int i, n = 0;

	(void)arg;
	for (i = 0; i < STORM_EACH; i++) {
		if (mx_process_create(storm_job, "storm", 5, 0, &p[n],
				      NULL) != MX_OK)
			break;	/* the job was killed */
		/* The kill may reach the new process before its thread. */
		if (mx_thread_create(p[n], "t", 1, 0, &t) == MX_ERR_BAD_STATE) {
			n++;
			break;
		}
		if (mx_channel_create(0, &c0, &c1) != MX_OK)
			return (void *)1;
		/* May fail with BAD_STATE once the kill reached it. */
		if (mx_process_start(p[n], t, (uintptr_t)mxt_entry_ready,
				     mxt_stack(NULL), c1, 0) == MX_OK &&
		    i == 0 &&
		    __atomic_add_fetch(&storm_started, 1, __ATOMIC_SEQ_CST) ==
			    STORM_STARTERS)
			mx_object_signal(storm_going, 0, MX_EVENT_SIGNALED);
		n++;
	}
	for (i = 0; i < n; i++)
		if (mx_object_wait_one(p[i], MX_TASK_TERMINATED,
				       MX_TIME_INFINITE, NULL) != MX_OK)
			return (void *)1;
	return NULL;
}

static void *storm_killer(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 50; i++) {
		mx_handle_t p = 0, t = 0;

		/* Kill members one by one through their own handles too. */
		if (mx_process_create(storm_job, "v", 1, 0, &p, NULL) != MX_OK)
			break;
		mx_thread_create(p, "t", 1, 0, &t);
		mx_task_kill(p);
		mx_handle_close(p);
		mx_handle_close(t);
	}
	return NULL;
}

TEST(kill_storm)
{
	pthread_t st[STORM_STARTERS], killer;
	void *r;
	int i;

	storm_job = new_job(mx_job_default());
	storm_going = mxt_event();
	ASSERT_EQ(pthread_create(&killer, NULL, storm_killer, NULL), 0);
	for (i = 0; i < STORM_STARTERS; i++)
		ASSERT_EQ(pthread_create(&st[i], NULL, storm_starter, NULL), 0);
	/* Once each has one running, kill the job while they go on. */
	mxt_wait_signal(storm_going, MX_EVENT_SIGNALED);
	ASSERT_OK(mx_task_kill(storm_job));
	for (i = 0; i < STORM_STARTERS; i++) {
		ASSERT_EQ(pthread_join(st[i], &r), 0);
		ASSERT_EQ((intptr_t)r, 0);
	}
	ASSERT_EQ(pthread_join(killer, NULL), 0);
	/* Every member died and left: nothing remains in the job. */
	mxt_wait_signal(storm_job, MX_JOB_NO_PROCESSES);
	ASSERT_OK(mx_task_kill(storm_job));
}

/* ---- every user has a root job of its own ---- */

#define USER_A	1000
#define USER_B	1001

/* A process of another user, which answers the questions it is asked. */
struct user_proc {
	pid_t pid;
	int ask;	/* we write a question */
	int answer;	/* it writes the answer */
};

enum question { ASK_KOID, ASK_NAME, ASK_WAIT, ASK_SIGNAL1, ASK_KILL, ASK_STOP };

struct answer {
	uint64_t koid;
	uint64_t related;
	mx_status_t status;
	mx_signals_t observed;
	char name[MX_MAX_NAME_LEN];
};

/*
 * Answer questions about our default job until told to stop (the pipes'
 * ends are inherited by the other processes of the case, so the end of
 * file would not come).
 */
static void user_serve(int ask, int answer)
{
	mx_handle_t job = mx_job_default();
	struct answer a;
	char q;

	while (read(ask, &q, 1) == 1 && q != ASK_STOP) {
		memset(&a, 0, sizeof(a));
		switch (q) {
		case ASK_KOID:
			a.koid = mxt_basic(job).koid;
			a.related = mxt_basic(job).related_koid;
			break;
		case ASK_NAME:
			a.status = mx_object_get_property(job, MX_PROP_NAME,
							  a.name,
							  sizeof(a.name));
			break;
		case ASK_WAIT:
			a.status = mx_object_wait_one(job, MX_USER_SIGNAL_0 |
						      MX_USER_SIGNAL_1,
						      MX_TIME_INFINITE,
						      &a.observed);
			break;
		case ASK_SIGNAL1:
			a.status = mx_object_signal(job, 0, MX_USER_SIGNAL_1);
			break;
		case ASK_KILL:
			a.status = mx_task_kill(job);
			break;
		default:
			break;
		}
		if (write(answer, &a, sizeof(a)) != (ssize_t)sizeof(a))
			_exit(3);
	}
	_exit(0);
}

static struct user_proc user_start(uid_t uid)
{
	struct user_proc u;
	int ask[2], answer[2];

	ASSERT_EQ(pipe(ask), 0);
	ASSERT_EQ(pipe(answer), 0);
	u.pid = mxt_fork();
	if (u.pid == 0) {
		close(ask[1]);
		close(answer[0]);
		mxt_become(uid);
		user_serve(ask[0], answer[1]);
	}
	close(ask[0]);
	close(answer[1]);
	u.ask = ask[1];
	u.answer = answer[0];
	return u;
}

static void user_ask(struct user_proc *u, enum question q)
{
	char c = (char)q;

	ASSERT_EQ(write(u->ask, &c, 1), 1);
}

static struct answer user_answer(struct user_proc *u)
{
	struct answer a;

	ASSERT_EQ(read(u->answer, &a, sizeof(a)), sizeof(a));
	return a;
}

static struct answer user_query(struct user_proc *u, enum question q)
{
	user_ask(u, q);
	return user_answer(u);
}

static void user_stop(struct user_proc *u)
{
	int status;

	user_ask(u, ASK_STOP);
	close(u->ask);
	close(u->answer);
	ASSERT_EQ(waitpid(u->pid, &status, 0), u->pid);
	ASSERT_EQ(status, 0);
}

/*
 * Processes of one user share that user's root job; another user's
 * processes have another. Neither can be killed by its user.
 */
TEST(each_user_has_a_root_job)
{
	struct user_proc a1 = user_start(USER_A), a2 = user_start(USER_A);
	struct user_proc b = user_start(USER_B);
	struct answer ka1 = user_query(&a1, ASK_KOID);
	struct answer ka2 = user_query(&a2, ASK_KOID);
	struct answer kb = user_query(&b, ASK_KOID);

	ASSERT_EQ(ka1.koid, ka2.koid);
	ASSERT_NE(ka1.koid, kb.koid);
	ASSERT_EQ(ka1.related, 0);
	ASSERT_EQ(kb.related, 0);
	ASSERT_STATUS(user_query(&a1, ASK_KILL).status, MX_ERR_ACCESS_DENIED);
	ASSERT_STATUS(user_query(&b, ASK_KILL).status, MX_ERR_ACCESS_DENIED);
	user_stop(&a1);
	user_stop(&a2);
	user_stop(&b);
}

/* A user renames its own root job; another user's keeps its name. */
static void rename_default_job(void *arg)
{
	(void)arg;
	mxt_become(USER_A);
	ASSERT_OK(mx_object_set_property(mx_job_default(), MX_PROP_NAME,
					 "renamed", 7));
}

TEST(renaming_a_root_job_reaches_one_user)
{
	struct user_proc b = user_start(USER_B);
	struct answer n;

	n = user_query(&b, ASK_NAME);
	ASSERT_OK(n.status);
	ASSERT_EQ(strcmp(n.name, "root"), 0);
	mxt_in_child(rename_default_job, NULL);
	n = user_query(&b, ASK_NAME);
	ASSERT_OK(n.status);
	ASSERT_EQ(strcmp(n.name, "root"), 0);
	user_stop(&b);
}

/*
 * A user's signal on its root job wakes no waiter of another user: the
 * waiter of user B wakes for USER_SIGNAL_1 from B, having never seen
 * USER_SIGNAL_0 from A.
 */
static void signal_default_job(void *arg)
{
	mx_handle_t job;

	(void)arg;
	mxt_become(USER_A);
	job = mx_job_default();
	ASSERT_OK(mx_object_signal(job, 0, MX_USER_SIGNAL_0));
	ASSERT_TRUE(mxt_signals(job) & MX_USER_SIGNAL_0);
}

TEST(signals_on_a_root_job_reach_one_user)
{
	struct user_proc waiter = user_start(USER_B);
	struct user_proc b = user_start(USER_B);
	struct answer w;

	/* Both are attached: user B's root job lives on between them. */
	ASSERT_EQ(user_query(&waiter, ASK_KOID).koid,
		  user_query(&b, ASK_KOID).koid);
	user_ask(&waiter, ASK_WAIT);
	mxt_wait_blocked(waiter.pid, NULL);
	mxt_in_child(signal_default_job, NULL);
	ASSERT_OK(user_query(&b, ASK_SIGNAL1).status);
	w = user_answer(&waiter);
	ASSERT_OK(w.status);
	ASSERT_EQ(w.observed & (MX_USER_SIGNAL_0 | MX_USER_SIGNAL_1),
		  MX_USER_SIGNAL_1);
	user_stop(&waiter);
	user_stop(&b);
}
