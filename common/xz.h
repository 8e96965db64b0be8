/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decompressing xz data from untrusted files (MiniDebugInfo), with
 * liblzma, in memory. The size the stream's index declares is checked
 * against a cap before anything is allocated for it, and the output
 * buffer is that size: a stream that lies about it fails, it cannot grow.
 */
#ifndef CT_XZ_H
#define CT_XZ_H

#include <stddef.h>

/* The most memory the decoder may use: xz -9 needs 65 MiB. */
#define CT_XZ_MEMLIMIT (80UL << 20)

/*
 * Decompress in (len bytes), one xz stream, into a new buffer *out (to
 * free) of *out_len bytes, if it is at most max bytes. Returns 0;
 * -EFBIG if the output would be larger than max (or the decoder need more
 * than CT_XZ_MEMLIMIT); -EINVAL if in is not one whole, intact xz stream
 * (truncated, corrupt, empty, trailing bytes); -ENOMEM.
 */
int ct_xz_decompress(const void *in, size_t len, size_t max, void **out,
		     size_t *out_len);

#endif
