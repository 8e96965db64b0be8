/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The options of the tools that print stacks at the end (profile,
 * offcputime, wakeuptime): which stacks (-U, -K), how they print (-f, -D,
 * -a), the stack map's size, and bcc's positional duration. A tool lists
 * CT_STACK_OPTIONS in its options table and hands the keys it does not
 * know to ct_stack_parse_opt(), ARGP_KEY_ARG and ARGP_KEY_END included.
 */
#ifndef CT_STACK_OPTS_H
#define CT_STACK_OPTS_H

#include <argp.h>
#include <stdbool.h>
#include <linux/types.h>

struct ct_stack_opts {
	bool user_only;		/* -U */
	bool kernel_only;	/* -K */
	bool folded;		/* -f */
	bool delimited;		/* -D */
	bool addresses;		/* -a */
	__u32 storage;		/* --stack-storage-size, CT_STACK_ENTRIES */
};

extern struct ct_stack_opts ct_stack_opts;

#define CT_OPT_STACK_STORAGE 0x5353

/* what: the value printed after each stack ("count", "total"). */
#define CT_STACK_OPTIONS(what)						\
	{ "user-stacks-only", 'U', NULL, 0, "User stacks only, no "	\
	  "kernel stacks", 0 },						\
	{ "kernel-stacks-only", 'K', NULL, 0, "Kernel stacks only, no "\
	  "user stacks", 0 },						\
	{ "folded", 'f', NULL, 0, "One line per stack, folded for flame "\
	  "graphs: comm;frame;...;frame " what, 0 },			\
	{ "delimited", 'D', NULL, 0, "A \"--\" (folded: \"-\") between "\
	  "kernel and user frames", 0 },				\
	{ "addresses", 'a', NULL, 0, "Each frame's address, symbol "	\
	  "offset and file", 0 },					\
	{ "stack-storage-size", CT_OPT_STACK_STORAGE, "N", 0,		\
	  "Room for N stacks and N " what "s (16384)", 0 }

/*
 * Parse one of CT_STACK_OPTIONS into ct_stack_opts, or the positional
 * duration; at ARGP_KEY_END, refuse what excludes each other. Returns 0,
 * or ARGP_ERR_UNKNOWN for another key (and for ARGP_KEY_END).
 */
int ct_stack_parse_opt(int key, const char *arg, struct argp_state *state);

/* The stacks taken, for a banner: "user", "kernel" or "user + kernel". */
const char *ct_stack_opts_which(void);

#endif
