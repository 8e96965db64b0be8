/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --contains in the kernel: does a path, as ct_full_path() leaves it in
 * its buffer (path.bpf.h), hold a string? User space sets the globals
 * before load (ct_contains_where()). The search takes bpf_loop() (5.17+);
 * before 5.13 the verifier refuses a program that so much as names its
 * callback, so a tool builds each program that searches twice, with and
 * without, and loads one of the two.
 */
#ifndef CT_CONTAINS_BPF_H
#define CT_CONTAINS_BPF_H

#include "path.bpf.h"

const volatile bool ct_contains_in_kernel = false;
/* Read a word at a time. */
const volatile char ct_contains[CT_CONTAINS_BYTES]
	__attribute__((aligned(8))) = {};
const volatile __u32 ct_contains_len = 0;

/*
 * The path is looked at a block of words at a time: only the words that
 * hold the needle's first byte get a full comparison at each of their
 * bytes. A bpf_loop() round is a call: a block, not a word, a round.
 */
#define CT_ONES 0x0101010101010101ULL
#define CT_HIGHS 0x8080808080808080ULL
#define CT_BLOCK_WORDS 4

struct ct_match_ctx {
	const char *buf;	/* struct ct_path_buf's */
	__u64 first;		/* the needle's first byte, in every byte */
	__u32 start;		/* the word where the path starts in buf */
	__u32 last;		/* the last place the needle can start */
	__u32 *from;		/* ct_match_word()'s word 0, in the map */
	bool found;
};

/* The first n (1 to 8) bytes of a word. */
static __always_inline __u64 ct_word_head(int n)
{
	if (n >= 8)
		return ~0ULL;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (1ULL << (n * 8)) - 1;
#else
	return ~0ULL << ((8 - n) * 8);
#endif
}

/*
 * Does the needle start at buf[at]? Compared a word at a time: the
 * verifier walks 8 words, not each byte of a needle it knows.
 */
static __always_inline bool ct_needle_at(const char *buf, __u32 at)
{
	for (int i = 0; i < CT_CONTAINS_BYTES / 8; i++) {
		int left = (int)ct_contains_len - i * 8;
		__u64 x;

		if (left <= 0)
			return true;
		x = *(const __u64 *)&buf[(at + i * 8) & CT_PATH_MASK] ^
		    *(const volatile __u64 *)&ct_contains[i * 8];
		if (x & ct_word_head(left))
			return false;
	}
	return true;
}

/* Does the word at buf[at] hold the needle's first byte? Not 0 if so. */
static __always_inline __u64 ct_word_has_first(const struct ct_match_ctx *m,
					      __u32 at)
{
	__u64 x = *(const __u64 *)&m->buf[at & CT_PATH_MASK] ^ m->first;

	/* A zero byte in x: that byte of the word is the first byte. */
	return (x - CT_ONES) & ~x & CT_HIGHS;
}

/*
 * bpf_loop() callback: does the needle start in the path's word
 * *m->from + w?
 */
static long ct_match_word(__u32 w, void *data)
{
	struct ct_match_ctx *m = data;
	const char *buf = m->buf;
	__u32 at = (m->start + (*m->from + w) * 8) & CT_PATH_MASK;

	if (!ct_word_has_first(m, at))
		return 0;
	for (int k = 0; k < 8; k++) {
		if (at + k > m->last)
			return 1;
		if (buf[(at + k) & CT_PATH_MASK] == ct_contains[0] &&
		    ct_needle_at(buf, at + k)) {
			m->found = true;
			return 1;
		}
	}
	return 0;
}

/* Does block b of the path hold the needle's first byte? Not 0 if so. */
static __always_inline __u64 ct_block_has_first(const struct ct_match_ctx *m,
						__u32 b)
{
	__u32 at = m->start + b * CT_BLOCK_WORDS * 8;
	__u64 hits = 0;

	/* Words past the path's last may be looked at: they lie in buf. */
	for (int i = 0; i < CT_BLOCK_WORDS; i++)
		hits |= ct_word_has_first(m, at + i * 8);
	return hits;
}

/*
 * bpf_loop() callback: does block b + 1 of the path hold the needle's
 * first byte? Then it stops the loop there (*m->from): from that word
 * on, the path is looked at a word at a time. Most blocks do not: one
 * look a word.
 */
static long ct_first_block(__u32 b, void *data)
{
	struct ct_match_ctx *m = data;

	if (!ct_block_has_first(m, b + 1))
		return 0;
	*m->from = (b + 1) * CT_BLOCK_WORDS;
	return 1;
}

/*
 * Does pb's buf (a word of slack after CT_PATH_BYTES) hold the needle
 * within the path of len bytes from start? Up to 8 KB is too long for an
 * unrolled search: bpf_loop(). The search starts at the word the path
 * starts in, whose bytes before the path (scratch) are zeroed first: no
 * needle starts with a NUL.
 */
static __always_inline bool ct_path_contains(struct ct_path_buf *pb,
					     __u32 start, __u32 len)
{
	char *buf = pb->buf;
	__u32 word = start & ~7U, words;
	struct ct_match_ctx m = {
		.buf = buf,
		.from = &pb->match_from,
		.first = CT_ONES * (__u8)ct_contains[0],
		.start = word,
	};

	if (len < ct_contains_len || start + len > CT_PATH_BYTES)
		return false;
	if (start != word)
		*(__u64 *)&buf[word & CT_PATH_MASK] &=
			~ct_word_head(start - word);
	m.last = start + len - ct_contains_len;
	/* Words from start to the last place's. */
	words = m.last / 8 - word / 8 + 1;
	/* The first block here: a short path takes no loop to reject. */
	pb->match_from = 0;
	if (!ct_block_has_first(&m, 0)) {
		pb->match_from = words;
		if (words > CT_BLOCK_WORDS)
			bpf_loop((words - 1) / CT_BLOCK_WORDS,
				 ct_first_block, &m, 0);
	}
	if (pb->match_from < words)
		bpf_loop(words - pb->match_from, ct_match_word, &m, 0);
	return m.found;
}

#endif
