/* SPDX-License-Identifier: GPL-2.0 */
/* The VMOs a process uses, for MX_INFO_PROCESS_VMOS (process_vmos.c). */
#ifndef MX_PROCESS_VMOS_H
#define MX_PROCESS_VMOS_H

#include <linux/types.h>

struct mx_info_vmo;
struct mx_process;

int mx_process_vmos(struct mx_process *t, u32 max, struct mx_info_vmo **buf,
		    u32 *written, u32 *avail);

#endif /* MX_PROCESS_VMOS_H */
