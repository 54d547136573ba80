/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mx jobs. Every process belongs to the root job for now.
 */
#ifndef MX_JOB_H
#define MX_JOB_H

#include "object.h"

extern const struct mx_object_ops mx_job_ops;

int mx_job_init(void);
void mx_job_exit(void);
u64 mx_job_root_koid(void);
struct mx_handle *mx_job_root_handle_alloc(void);

#endif /* MX_JOB_H */
