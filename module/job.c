// SPDX-License-Identifier: GPL-2.0
/*
 * mx jobs: the groups processes belong to.
 *
 * The root job exists from module load to unload and is the job of every
 * ambient process; mx_job_default() is a handle to it. Its signal state
 * and name are guarded by its object lock (object.c); nothing else here
 * needs a lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "job.h"

struct mx_job {
	struct mx_object base;
};

static struct mx_job *mx_root_job;

static void mx_job_release(struct mx_object *obj)
{
	kfree(container_of(obj, struct mx_job, base));
}

const struct mx_object_ops mx_job_ops = {
	.type = MX_OBJ_TYPE_JOB,
	.name = "job",
	.default_rights = MX_DEFAULT_JOB_RIGHTS,
	.waitable = true,
	.user_signals = MX_USER_SIGNAL_ALL,
	.release = mx_job_release,
};

int mx_job_init(void)
{
	mx_root_job = kzalloc(sizeof(*mx_root_job), GFP_KERNEL);
	if (!mx_root_job)
		return -ENOMEM;
	/* The root job has no child jobs; it has processes while any live. */
	mx_object_init(&mx_root_job->base, &mx_job_ops, MX_JOB_NO_JOBS);
	return 0;
}

void mx_job_exit(void)
{
	mx_object_put(&mx_root_job->base);
}

u64 mx_job_root_koid(void)
{
	return mx_root_job->base.koid;
}

/**
 * mx_job_root_handle_alloc() - a new handle to the root job
 *
 * Return: an uncounted handle with the default job rights, or NULL.
 */
struct mx_handle *mx_job_root_handle_alloc(void)
{
	return mx_handle_alloc(&mx_root_job->base, MX_DEFAULT_JOB_RIGHTS);
}
