/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CT_DETACH_H
#define CT_DETACH_H

#include <bpf/libbpf.h>

/*
 * Destroys the n links, at once where it can (a thread each). Returns when
 * every one is gone.
 */
void ct_destroy_links(struct bpf_link **links, int n);

#endif
