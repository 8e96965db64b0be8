/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of kernel ABI numbers, both ways: signals, capabilities, socket
 * families, IP protocols, TCP states, signal codes, mount flags, stat
 * flags and statx masks. The tables
 * are written from the kernel's uapi numbers (complete up to 6.18), so they
 * do not depend on the build host's headers.
 *
 * Parsing (for options) takes a name in any case, with or without its
 * prefix ("kill", "SIGKILL", "sigkill"), or a decimal number in range.
 */
#ifndef CT_KERNEL_NAMES_H
#define CT_KERNEL_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct ct_name_entry {
	long long value;
	const char *name;	/* with its prefix: "AF_INET" */
};

/* A table of values; a value's first entry is its name, others aliases. */
struct ct_names {
	const char *prefix;	/* "AF_": optional when parsing */
	const struct ct_name_entry *entries;
	size_t count;
	long long min, max;	/* numbers accepted by ct_name_parse() */
};

/*
 * A table of bit flags, one bit (or a multi-bit field value) an entry.
 * mount(2)'s MS_MGC_VAL (0xc0ed0000 in the top half of old callers' flags)
 * is no flag: the kernel drops it, so should the tool before printing.
 */
struct ct_flags {
	const char *prefix;
	const struct ct_name_entry *entries;
	size_t count;
};

extern const struct ct_names ct_af_names;	/* AF_INET... */
extern const struct ct_names ct_ipproto_names;	/* IPPROTO_TCP... */
extern const struct ct_names ct_tcp_state_names; /* TCP_ESTABLISHED... */
extern const struct ct_names ct_fsconfig_cmd_names; /* FSCONFIG_SET_FLAG... */
extern const struct ct_flags ct_mount_flags;	/* MS_RDONLY... mount(2) */
extern const struct ct_flags ct_umount_flags;	/* MNT_FORCE... umount2(2) */
extern const struct ct_flags ct_mount_attr_flags; /* MOUNT_ATTR_RDONLY... */
extern const struct ct_flags ct_move_mount_flags; /* MOVE_MOUNT_F_SYMLINKS.. */
extern const struct ct_flags ct_fsopen_flags;	/* FSOPEN_CLOEXEC */
extern const struct ct_flags ct_fsmount_flags;	/* FSMOUNT_CLOEXEC */
extern const struct ct_flags ct_fspick_flags;	/* FSPICK_CLOEXEC... */
extern const struct ct_flags ct_open_tree_flags; /* OPEN_TREE_CLONE... */
extern const struct ct_flags ct_stat_at_flags;	/* AT_EMPTY_PATH... stat */
extern const struct ct_flags ct_statx_mask;	/* STATX_BASIC_STATS... */
extern const struct ct_flags ct_mount_setattr_flags; /* AT_RECURSIVE... */

/* The name of v in t, NULL if it has none. */
const char *ct_name_of(const struct ct_names *t, long long v);

/* The name of v, or v in decimal when it has none; returns buf. */
const char *ct_name_fmt(const struct ct_names *t, long long v, char *buf,
			size_t size);

/*
 * The name of v without the table's prefix ("TCP" for IPPROTO_TCP), or v
 * in decimal when it has none; returns buf.
 */
const char *ct_name_short(const struct ct_names *t, long long v, char *buf,
			  size_t size);

/* Parse s as a name or number of t into *v. Returns 0, or -1 if invalid. */
int ct_name_parse(const struct ct_names *t, const char *s, long long *v);

/*
 * Put the names of the flags set in flags into names[], at most max of them
 * (in table order); *rest gets the bits no name covers. Returns how many
 * names there are (maybe more than max).
 */
size_t ct_flag_names(const struct ct_flags *t, unsigned long long flags,
		     const char **names, size_t max, unsigned long long *rest);

/*
 * "MS_RDONLY|MS_NOSUID", unnamed bits appended in hex ("|0x40000000"),
 * "0" for no flags; truncated to fit. Returns buf.
 */
const char *ct_flags_fmt(const struct ct_flags *t, unsigned long long flags,
			 char *buf, size_t size);

/*
 * Signals as the kernel numbers them (asm-generic, x86, arm, riscv...):
 * real-time signals are SIGRTMIN+N from the kernel's SIGRTMIN (32), not the
 * C library's (34, two are kept for threads). 64 is SIGRTMAX.
 */
#define CT_SIGRTMIN 32
#define CT_SIGRTMAX 64
#define CT_SIG_NAME_MAX 16	/* "SIGRTMIN+31" and its NUL, with margin */

/* "SIGKILL", "SIGRTMIN+3", "SIGRTMAX", or the number for others. */
const char *ct_signal_name(int sig, char *buf, size_t size);

/*
 * The signal named s: "kill", "SIGKILL", "9", "rtmin+3", "SIGRTMAX-1";
 * numbers 0 (no signal, for kill -0) to 64. -1 if none.
 */
int ct_signal_parse(const char *s);

/*
 * The name of si_code code for signal sig: "SI_USER", "SI_TKILL", or a code
 * of that signal ("CLD_EXITED", "SEGV_MAPERR"); NULL if unknown.
 */
const char *ct_sigcode_name(int sig, int code);

/* Capabilities known here: CAP_CHOWN (0) to CAP_CHECKPOINT_RESTORE (40). */
#define CT_CAP_LAST_KNOWN 40

/*
 * The running kernel's CAP_LAST_CAP (/proc/sys/kernel/cap_last_cap, read
 * once), CT_CAP_LAST_KNOWN if that cannot be read.
 */
int ct_cap_last(void);

/* "CAP_SYS_ADMIN", or the number for one without a name here. */
const char *ct_cap_name(int cap, char *buf, size_t size);

/*
 * The capability named s: "sys_admin", "CAP_SYS_ADMIN", "21"; numbers up to
 * ct_cap_last(). -1 if none.
 */
int ct_cap_parse(const char *s);

#endif
