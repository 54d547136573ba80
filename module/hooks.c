// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks: the one place mx meets the lifecycle of Linux tasks.
 *
 * Modules cannot name the scheduler's tracepoints, so they are found by
 * name and probes attached to them:
 *  - sched_process_fork, in the parent before the child can run: the
 *    child may take its parent's arm of a process start (start.c);
 *  - sched_process_exit, from every exiting task in do_exit(), once its
 *    memory is gone and before its parent is told: its thread object ends
 *    (thread.c), then the arm it held or took (start.c), then, from its
 *    group's last thread, the group's process (process.c) - in this order,
 *    so that a process never ends before one of its threads;
 *  - sched_process_exec, from a task whose exec is done, every other
 *    thread of its group gone: a secure exec (setuid, setgid, file
 *    capabilities, an LSM transition) keeps nothing mx gave the group
 *    before, so its arm ends as at an exit (start.c), then its process
 *    (process.c). An ordinary exec changes nothing.
 * Each probe runs with preemption disabled and no lock held, and does no
 * more than a lookup and a wake-up or a queued work; what may sleep runs
 * on mx_wq, the module's workqueue (work.c).
 *
 * Setup and teardown (main.c): the probes are attached once everything
 * they call into is set up, and detached (every running call of them
 * finished) before any of it is torn down.
 *
 * Locking (the order of all: docs/architecture.md): none here; each probe
 * follows the rules of the file it calls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "hooks.h"
#include "process.h"
#include "process_end.h"
#include "start.h"
#include "thread.h"

static void mx_hook_fork(void *data, struct task_struct *parent,
			 struct task_struct *child)
{
	mx_start_on_fork(parent, child);
}

static void mx_hook_exit(void *data, struct task_struct *task)
{
	mx_thread_on_exit(task);
	mx_start_on_exit(task);
	mx_process_on_exit(task);
}

static void mx_hook_exec(void *data, struct task_struct *task,
			 pid_t old_pid, struct linux_binprm *bprm)
{
	if (!bprm->secureexec)
		return;
	mx_start_on_exit(task);
	mx_process_on_exec(task);
}

static const struct {
	const char *name;
	void *probe;
} mx_hooks[] = {
	{ "sched_process_exit", mx_hook_exit },
	/* Without it a setuid program would keep what was given before. */
	{ "sched_process_exec", mx_hook_exec },
	{ "sched_process_fork", mx_hook_fork },
};

static struct tracepoint *mx_hook_tps[ARRAY_SIZE(mx_hooks)];

struct mx_hook_find {
	const char *name;
	struct tracepoint *tp;
};

static void mx_hook_match(struct tracepoint *tp, void *priv)
{
	struct mx_hook_find *f = priv;

	if (!strcmp(tp->name, f->name))
		f->tp = tp;
}

static void mx_hooks_detach_first(unsigned int n)
{
	while (n--)
		tracepoint_probe_unregister(mx_hook_tps[n], mx_hooks[n].probe,
					    NULL);
	/* No call of a probe is left running. */
	tracepoint_synchronize_unregister();
}

/**
 * mx_hooks_attach() - attach every probe
 *
 * Return: 0, -ENOENT (the kernel has no such tracepoint) or the
 * registration's error; then nothing is attached.
 */
int mx_hooks_attach(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(mx_hooks); i++) {
		struct mx_hook_find f = { .name = mx_hooks[i].name };

		for_each_kernel_tracepoint(mx_hook_match, &f);
		if (!f.tp) {
			pr_err("no %s tracepoint\n", f.name);
			ret = -ENOENT;
			goto out_detach;
		}
		ret = tracepoint_probe_register(f.tp, mx_hooks[i].probe, NULL);
		if (ret) {
			pr_err("cannot attach to %s: %d\n", f.name, ret);
			goto out_detach;
		}
		mx_hook_tps[i] = f.tp;
	}
	return 0;

out_detach:
	mx_hooks_detach_first(i);
	return ret;
}

/* Detach every probe, and wait until no call of one is left running. */
void mx_hooks_detach(void)
{
	mx_hooks_detach_first(ARRAY_SIZE(mx_hooks));
}

