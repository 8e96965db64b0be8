/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --contains in the kernel: does a path (CT_PATH_BYTES, path.bpf.h) hold a
 * string? User space sets the globals before load (ct_contains_where()).
 * The search takes bpf_loop() (5.17+); before 5.13 the verifier refuses a
 * program that so much as names its callback, so a tool builds each
 * program that searches twice, with and without, and loads one of the two.
 */
#ifndef CT_CONTAINS_BPF_H
#define CT_CONTAINS_BPF_H

#include "path.bpf.h"

const volatile bool ct_contains_in_kernel = false;
const volatile char ct_contains[CT_CONTAINS_BYTES] = {};
const volatile __u32 ct_contains_len = 0;

/*
 * The path is looked at a word at a time: only the words that hold the
 * needle's first byte get a full comparison at each of their bytes.
 */
#define CT_ONES 0x0101010101010101ULL
#define CT_HIGHS 0x8080808080808080ULL

struct ct_match_ctx {
	const char *path;	/* 8-byte aligned */
	__u64 first;		/* the needle's first byte, in every byte */
	__u32 last;		/* the last place the needle can start */
	bool found;
};

static __always_inline bool ct_needle_at(const char *path, __u32 at)
{
	for (int j = 1; j < CT_CONTAINS_BYTES; j++) {
		if (j >= ct_contains_len)
			return true;
		if (path[(at + j) & CT_PATH_MASK] != ct_contains[j])
			return false;
	}
	return true;
}

/* bpf_loop() callback: does the needle start in the path's word w? */
static long ct_match_word(__u32 w, void *data)
{
	struct ct_match_ctx *m = data;
	const char *path = m->path;
	__u32 at = (w * 8) & CT_PATH_MASK;
	__u64 x = *(const __u64 *)&path[at] ^ m->first;

	/* No zero byte in x: no byte of this word is the first byte. */
	if (!((x - CT_ONES) & ~x & CT_HIGHS))
		return 0;
	for (int k = 0; k < 8; k++) {
		if (at + k > m->last)
			return 1;
		if (path[(at + k) & CT_PATH_MASK] == ct_contains[0] &&
		    ct_needle_at(path, at + k)) {
			m->found = true;
			return 1;
		}
	}
	return 0;
}

/* A path of up to 8 KB is too long for an unrolled search: bpf_loop(). */
static __always_inline bool ct_path_contains(const char *path, __u32 len)
{
	struct ct_match_ctx m = {
		.path = path,
		.first = CT_ONES * (__u8)ct_contains[0],
	};

	if (len < ct_contains_len)
		return false;
	m.last = len - ct_contains_len;
	bpf_loop(m.last / 8 + 1, ct_match_word, &m, 0);
	return m.found;
}

#endif
