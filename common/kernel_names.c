// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel ABI names, written from the uapi numbers (include/uapi/linux/
 * socket.h, in.h, in6.h, capability.h, mount.h, fcntl.h, stat.h, asm-generic/signal.h and
 * siginfo.h, include/net/tcp_states.h) so that a build on an older host
 * still knows the names of a newer kernel.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kernel_names.h"

#if defined(__alpha__) || defined(__mips__) || defined(__sparc__) || \
	defined(__hppa__)
#error "signal numbers of this architecture are not the generic ones"
#endif

#define N(t) (sizeof(t) / sizeof((t)[0]))

static const struct ct_name_entry af[] = {
	{ 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" },
	{ 3, "AF_AX25" }, { 4, "AF_IPX" }, { 5, "AF_APPLETALK" },
	{ 6, "AF_NETROM" }, { 7, "AF_BRIDGE" }, { 8, "AF_ATMPVC" },
	{ 9, "AF_X25" }, { 10, "AF_INET6" }, { 11, "AF_ROSE" },
	{ 12, "AF_DECnet" }, { 13, "AF_NETBEUI" }, { 14, "AF_SECURITY" },
	{ 15, "AF_KEY" }, { 16, "AF_NETLINK" }, { 17, "AF_PACKET" },
	{ 18, "AF_ASH" }, { 19, "AF_ECONET" }, { 20, "AF_ATMSVC" },
	{ 21, "AF_RDS" }, { 22, "AF_SNA" }, { 23, "AF_IRDA" },
	{ 24, "AF_PPPOX" }, { 25, "AF_WANPIPE" }, { 26, "AF_LLC" },
	{ 27, "AF_IB" }, { 28, "AF_MPLS" }, { 29, "AF_CAN" },
	{ 30, "AF_TIPC" }, { 31, "AF_BLUETOOTH" }, { 32, "AF_IUCV" },
	{ 33, "AF_RXRPC" }, { 34, "AF_ISDN" }, { 35, "AF_PHONET" },
	{ 36, "AF_IEEE802154" }, { 37, "AF_CAIF" }, { 38, "AF_ALG" },
	{ 39, "AF_NFC" }, { 40, "AF_VSOCK" }, { 41, "AF_KCM" },
	{ 42, "AF_QIPCRTR" }, { 43, "AF_SMC" }, { 44, "AF_XDP" },
	{ 45, "AF_MCTP" },
	/* aliases */
	{ 1, "AF_LOCAL" }, { 16, "AF_ROUTE" },
};
const struct ct_names ct_af_names = { "AF_", af, N(af), 0, 255 };

static const struct ct_name_entry ipproto[] = {
	{ 0, "IPPROTO_IP" }, { 1, "IPPROTO_ICMP" }, { 2, "IPPROTO_IGMP" },
	{ 4, "IPPROTO_IPIP" }, { 6, "IPPROTO_TCP" }, { 8, "IPPROTO_EGP" },
	{ 12, "IPPROTO_PUP" }, { 17, "IPPROTO_UDP" }, { 22, "IPPROTO_IDP" },
	{ 29, "IPPROTO_TP" }, { 33, "IPPROTO_DCCP" }, { 41, "IPPROTO_IPV6" },
	{ 43, "IPPROTO_ROUTING" }, { 44, "IPPROTO_FRAGMENT" },
	{ 46, "IPPROTO_RSVP" }, { 47, "IPPROTO_GRE" }, { 50, "IPPROTO_ESP" },
	{ 51, "IPPROTO_AH" }, { 58, "IPPROTO_ICMPV6" }, { 59, "IPPROTO_NONE" },
	{ 60, "IPPROTO_DSTOPTS" }, { 92, "IPPROTO_MTP" },
	{ 94, "IPPROTO_BEETPH" }, { 98, "IPPROTO_ENCAP" },
	{ 103, "IPPROTO_PIM" },
	{ 108, "IPPROTO_COMP" }, { 115, "IPPROTO_L2TP" },
	{ 132, "IPPROTO_SCTP" }, { 135, "IPPROTO_MH" },
	{ 136, "IPPROTO_UDPLITE" }, { 137, "IPPROTO_MPLS" },
	{ 143, "IPPROTO_ETHERNET" }, { 255, "IPPROTO_RAW" },
	{ 256, "IPPROTO_SMC" }, { 262, "IPPROTO_MPTCP" },
	/* aliases */
	{ 0, "IPPROTO_HOPOPTS" },
};
const struct ct_names ct_ipproto_names = { "IPPROTO_", ipproto, N(ipproto),
					   0, 65535 };

static const struct ct_name_entry tcp_state[] = {
	{ 1, "TCP_ESTABLISHED" }, { 2, "TCP_SYN_SENT" }, { 3, "TCP_SYN_RECV" },
	{ 4, "TCP_FIN_WAIT1" }, { 5, "TCP_FIN_WAIT2" }, { 6, "TCP_TIME_WAIT" },
	{ 7, "TCP_CLOSE" }, { 8, "TCP_CLOSE_WAIT" }, { 9, "TCP_LAST_ACK" },
	{ 10, "TCP_LISTEN" }, { 11, "TCP_CLOSING" },
	{ 12, "TCP_NEW_SYN_RECV" }, { 13, "TCP_BOUND_INACTIVE" },
};
const struct ct_names ct_tcp_state_names = { "TCP_", tcp_state,
					     N(tcp_state), 1, 13 };

static const struct ct_name_entry fsconfig_cmd[] = {
	{ 0, "FSCONFIG_SET_FLAG" }, { 1, "FSCONFIG_SET_STRING" },
	{ 2, "FSCONFIG_SET_BINARY" }, { 3, "FSCONFIG_SET_PATH" },
	{ 4, "FSCONFIG_SET_PATH_EMPTY" }, { 5, "FSCONFIG_SET_FD" },
	{ 6, "FSCONFIG_CMD_CREATE" }, { 7, "FSCONFIG_CMD_RECONFIGURE" },
	{ 8, "FSCONFIG_CMD_CREATE_EXCL" },
};
const struct ct_names ct_fsconfig_cmd_names = { "FSCONFIG_", fsconfig_cmd,
						N(fsconfig_cmd), 0, 8 };

static const struct ct_name_entry mount_flag[] = {
	{ 1, "MS_RDONLY" }, { 2, "MS_NOSUID" }, { 4, "MS_NODEV" },
	{ 8, "MS_NOEXEC" }, { 16, "MS_SYNCHRONOUS" }, { 32, "MS_REMOUNT" },
	{ 64, "MS_MANDLOCK" }, { 128, "MS_DIRSYNC" }, { 256, "MS_NOSYMFOLLOW" },
	{ 1024, "MS_NOATIME" }, { 2048, "MS_NODIRATIME" }, { 4096, "MS_BIND" },
	{ 8192, "MS_MOVE" }, { 16384, "MS_REC" }, { 32768, "MS_SILENT" },
	{ 1 << 16, "MS_POSIXACL" }, { 1 << 17, "MS_UNBINDABLE" },
	{ 1 << 18, "MS_PRIVATE" }, { 1 << 19, "MS_SLAVE" },
	{ 1 << 20, "MS_SHARED" }, { 1 << 21, "MS_RELATIME" },
	{ 1 << 22, "MS_KERNMOUNT" }, { 1 << 23, "MS_I_VERSION" },
	{ 1 << 24, "MS_STRICTATIME" }, { 1 << 25, "MS_LAZYTIME" },
	{ 1 << 27, "MS_NOREMOTELOCK" }, { 1 << 28, "MS_NOSEC" },
	{ 1 << 29, "MS_BORN" }, { 1 << 30, "MS_ACTIVE" },
	{ 1ULL << 31, "MS_NOUSER" },
};
const struct ct_flags ct_mount_flags = { "MS_", mount_flag, N(mount_flag) };

static const struct ct_name_entry umount_flag[] = {
	{ 1, "MNT_FORCE" }, { 2, "MNT_DETACH" }, { 4, "MNT_EXPIRE" },
	{ 8, "UMOUNT_NOFOLLOW" },
};
const struct ct_flags ct_umount_flags = { "", umount_flag, N(umount_flag) };

/* MOUNT_ATTR_RELATIME is 0 in the 0x70 atime field: no bit to name. */
static const struct ct_name_entry mount_attr[] = {
	{ 0x1, "MOUNT_ATTR_RDONLY" }, { 0x2, "MOUNT_ATTR_NOSUID" },
	{ 0x4, "MOUNT_ATTR_NODEV" }, { 0x8, "MOUNT_ATTR_NOEXEC" },
	{ 0x10, "MOUNT_ATTR_NOATIME" }, { 0x20, "MOUNT_ATTR_STRICTATIME" },
	{ 0x80, "MOUNT_ATTR_NODIRATIME" }, { 0x100000, "MOUNT_ATTR_IDMAP" },
	{ 0x200000, "MOUNT_ATTR_NOSYMFOLLOW" },
};
const struct ct_flags ct_mount_attr_flags = { "MOUNT_ATTR_", mount_attr,
					      N(mount_attr) };

static const struct ct_name_entry move_mount[] = {
	{ 0x1, "MOVE_MOUNT_F_SYMLINKS" }, { 0x2, "MOVE_MOUNT_F_AUTOMOUNTS" },
	{ 0x4, "MOVE_MOUNT_F_EMPTY_PATH" }, { 0x10, "MOVE_MOUNT_T_SYMLINKS" },
	{ 0x20, "MOVE_MOUNT_T_AUTOMOUNTS" },
	{ 0x40, "MOVE_MOUNT_T_EMPTY_PATH" }, { 0x100, "MOVE_MOUNT_SET_GROUP" },
	{ 0x200, "MOVE_MOUNT_BENEATH" },
};
const struct ct_flags ct_move_mount_flags = { "MOVE_MOUNT_", move_mount,
					      N(move_mount) };

static const struct ct_name_entry fsopen_flag[] = {
	{ 0x1, "FSOPEN_CLOEXEC" },
};
const struct ct_flags ct_fsopen_flags = { "FSOPEN_", fsopen_flag,
					  N(fsopen_flag) };

static const struct ct_name_entry fsmount_flag[] = {
	{ 0x1, "FSMOUNT_CLOEXEC" },
};
const struct ct_flags ct_fsmount_flags = { "FSMOUNT_", fsmount_flag,
					   N(fsmount_flag) };

static const struct ct_name_entry fspick_flag[] = {
	{ 0x1, "FSPICK_CLOEXEC" }, { 0x2, "FSPICK_SYMLINK_NOFOLLOW" },
	{ 0x4, "FSPICK_NO_AUTOMOUNT" }, { 0x8, "FSPICK_EMPTY_PATH" },
};
const struct ct_flags ct_fspick_flags = { "FSPICK_", fspick_flag,
					  N(fspick_flag) };

/* open_tree(2) takes some AT_* flags too; O_CLOEXEC is 02000000 here. */
static const struct ct_name_entry open_tree_flag[] = {
	{ 0x1, "OPEN_TREE_CLONE" }, { 02000000, "OPEN_TREE_CLOEXEC" },
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" },
};
const struct ct_flags ct_open_tree_flags = { "", open_tree_flag,
					     N(open_tree_flag) };

/* The AT_* flags fstatat(2) and statx(2) take. */
static const struct ct_name_entry stat_at_flag[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" }, { 0x2000, "AT_STATX_FORCE_SYNC" },
	{ 0x4000, "AT_STATX_DONT_SYNC" },
};
const struct ct_flags ct_stat_at_flags = { "AT_", stat_at_flag,
					   N(stat_at_flag) };

/*
 * statx(2)'s mask (uapi linux/stat.h). The group first, so that the usual
 * mask reads STATX_BASIC_STATS; the deprecated STATX_ALL is left out.
 */
static const struct ct_name_entry statx_mask[] = {
	{ 0x7ff, "STATX_BASIC_STATS" },
	{ 0x1, "STATX_TYPE" }, { 0x2, "STATX_MODE" }, { 0x4, "STATX_NLINK" },
	{ 0x8, "STATX_UID" }, { 0x10, "STATX_GID" }, { 0x20, "STATX_ATIME" },
	{ 0x40, "STATX_MTIME" }, { 0x80, "STATX_CTIME" },
	{ 0x100, "STATX_INO" }, { 0x200, "STATX_SIZE" },
	{ 0x400, "STATX_BLOCKS" }, { 0x800, "STATX_BTIME" },
	{ 0x1000, "STATX_MNT_ID" }, { 0x2000, "STATX_DIOALIGN" },
	{ 0x4000, "STATX_MNT_ID_UNIQUE" }, { 0x8000, "STATX_SUBVOL" },
	{ 0x10000, "STATX_WRITE_ATOMIC" },
	{ 0x20000, "STATX_DIO_READ_ALIGN" },
	{ 0x80000000U, "STATX__RESERVED" },
};
const struct ct_flags ct_statx_mask = { "STATX_", statx_mask, N(statx_mask) };

/* The AT_* flags mount_setattr(2) takes. */
static const struct ct_name_entry mount_setattr_flag[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" },
};
const struct ct_flags ct_mount_setattr_flags = { "AT_", mount_setattr_flag,
						 N(mount_setattr_flag) };

const char *ct_name_of(const struct ct_names *t, long long v)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->entries[i].value == v)
			return t->entries[i].name;
	return NULL;
}

const char *ct_name_fmt(const struct ct_names *t, long long v, char *buf,
			size_t size)
{
	const char *name = ct_name_of(t, v);

	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%lld", v);
	return buf;
}

const char *ct_name_short(const struct ct_names *t, long long v, char *buf,
			  size_t size)
{
	const char *name = ct_name_of(t, v);
	size_t pre = strlen(t->prefix);

	if (name && !strncmp(name, t->prefix, pre))
		name += pre;
	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%lld", v);
	return buf;
}

/* Does s name entry, with or without the prefix? */
static bool names(const char *entry, const char *prefix, const char *s)
{
	size_t n = strlen(prefix);

	if (!strcasecmp(entry, s))
		return true;
	return !strncasecmp(entry, prefix, n) && !strcasecmp(entry + n, s);
}

/* A decimal number from min to max, nothing else. */
static int parse_number(const char *s, long long min, long long max,
			long long *v)
{
	char *end;
	long long n;

	if (!isdigit((unsigned char)*s) && !(*s == '-' && isdigit(
		(unsigned char)s[1])))
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

int ct_name_parse(const struct ct_names *t, const char *s, long long *v)
{
	for (size_t i = 0; i < t->count; i++) {
		if (names(t->entries[i].name, t->prefix, s)) {
			*v = t->entries[i].value;
			return 0;
		}
	}
	return parse_number(s, t->min, t->max, v);
}

size_t ct_flag_names(const struct ct_flags *t, unsigned long long flags,
		     const char **out, size_t max, unsigned long long *rest)
{
	size_t n = 0;

	for (size_t i = 0; i < t->count; i++) {
		unsigned long long bits = t->entries[i].value;

		if (!bits || (flags & bits) != bits)
			continue;
		if (n < max)
			out[n] = t->entries[i].name;
		n++;
		flags &= ~bits;
	}
	if (rest)
		*rest = flags;
	return n;
}

const char *ct_flags_fmt(const struct ct_flags *t, unsigned long long flags,
			 char *buf, size_t size)
{
	const char *sep = "";
	size_t used = 0;
	int n;

	if (!size)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < t->count && used < size; i++) {
		unsigned long long bits = t->entries[i].value;

		if (!bits || (flags & bits) != bits)
			continue;
		n = snprintf(buf + used, size - used, "%s%s", sep,
			     t->entries[i].name);
		used += n > 0 ? (size_t)n : 0;
		flags &= ~bits;
		sep = "|";
	}
	if (used >= size)
		return buf;
	if (flags || !*sep)
		snprintf(buf + used, size - used, flags ? "%s0x%llx" : "%s0",
			 sep, flags);
	return buf;
}

/* The classic signals, 1 to 31, as asm-generic/signal.h numbers them. */
static const char *const signals[] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

static const struct ct_name_entry signal_aliases[] = {
	{ 6, "SIGIOT" }, { 17, "SIGCLD" }, { 29, "SIGPOLL" },
};

const char *ct_signal_name(int sig, char *buf, size_t size)
{
	if (sig > 0 && sig < CT_SIGRTMIN)
		snprintf(buf, size, "%s", signals[sig]);
	else if (sig == CT_SIGRTMIN)
		snprintf(buf, size, "SIGRTMIN");
	else if (sig == CT_SIGRTMAX)
		snprintf(buf, size, "SIGRTMAX");
	else if (sig > CT_SIGRTMIN && sig < CT_SIGRTMAX)
		snprintf(buf, size, "SIGRTMIN+%d", sig - CT_SIGRTMIN);
	else
		snprintf(buf, size, "%d", sig);
	return buf;
}

/* "RTMIN+3", "RTMAX-1", "RTMIN" (no "SIG"): the signal, or -1. */
static int parse_rt(const char *s)
{
	int base, sign = 0;
	long long off = 0;

	if (!strncasecmp(s, "RTMIN", 5))
		base = CT_SIGRTMIN, sign = 1;
	else if (!strncasecmp(s, "RTMAX", 5))
		base = CT_SIGRTMAX, sign = -1;
	else
		return -1;
	s += 5;
	if (*s) {
		if (*s != (sign > 0 ? '+' : '-') ||
		    parse_number(s + 1, 0, CT_SIGRTMAX - CT_SIGRTMIN, &off))
			return -1;
	}
	return base + sign * (int)off;
}

int ct_signal_parse(const char *s)
{
	const char *bare = strncasecmp(s, "SIG", 3) ? s : s + 3;
	long long n;

	for (int i = 1; i < CT_SIGRTMIN; i++)
		if (!strcasecmp(signals[i] + 3, bare))
			return i;
	for (size_t i = 0; i < N(signal_aliases); i++)
		if (!strcasecmp(signal_aliases[i].name + 3, bare))
			return signal_aliases[i].value;
	if (bare != s || !isdigit((unsigned char)*s))
		return parse_rt(bare);
	return parse_number(s, 0, CT_SIGRTMAX, &n) ? -1 : (int)n;
}

/* si_code values of every signal (SI_*), and those of some signals. */
static const struct ct_name_entry si_any[] = {
	{ 0, "SI_USER" }, { 0x80, "SI_KERNEL" }, { -1, "SI_QUEUE" },
	{ -2, "SI_TIMER" }, { -3, "SI_MESGQ" }, { -4, "SI_ASYNCIO" },
	{ -5, "SI_SIGIO" }, { -6, "SI_TKILL" }, { -7, "SI_DETHREAD" },
	{ -60, "SI_ASYNCNL" },
};

static const char *const si_ill[] = {
	"ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC",
	"ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR",
};
static const char *const si_fpe[] = {
	"FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND",
	"FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB", NULL, NULL, NULL, NULL,
	NULL, "FPE_FLTUNK", "FPE_CONDTRAP",
};
static const char *const si_segv[] = {
	"SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR",
	"SEGV_ACCADI", "SEGV_ADIDERR", "SEGV_ADIPERR", "SEGV_MTEAERR",
	"SEGV_MTESERR", "SEGV_CPERR",
};
static const char *const si_bus[] = {
	"BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR",
	"BUS_MCEERR_AO",
};
static const char *const si_trap[] = {
	"TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT", "TRAP_UNK",
	"TRAP_PERF",
};
static const char *const si_chld[] = {
	"CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED",
	"CLD_STOPPED", "CLD_CONTINUED",
};
static const char *const si_poll[] = {
	"POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP",
};

struct sig_codes {
	int sig;
	const char *const *names;	/* names[code - 1] */
	int count;
};

static const struct sig_codes sig_codes[] = {
	{ 4, si_ill, N(si_ill) }, { 8, si_fpe, N(si_fpe) },
	{ 11, si_segv, N(si_segv) }, { 7, si_bus, N(si_bus) },
	{ 5, si_trap, N(si_trap) }, { 17, si_chld, N(si_chld) },
	{ 29, si_poll, N(si_poll) },
};

const char *ct_sigcode_name(int sig, int code)
{
	for (size_t i = 0; code > 0 && code < 0x80 && i < N(sig_codes); i++)
		if (sig_codes[i].sig == sig && code <= sig_codes[i].count)
			return sig_codes[i].names[code - 1];
	for (size_t i = 0; i < N(si_any); i++)
		if (si_any[i].value == code)
			return si_any[i].name;
	return NULL;
}

static const char *const caps[CT_CAP_LAST_KNOWN + 1] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

int ct_cap_last(void)
{
	static int last = -1;
	FILE *f;

	if (last >= 0)
		return last;
	last = CT_CAP_LAST_KNOWN;
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (!f)
		return last;
	/* 63: the kernel keeps capabilities in a 64-bit set. */
	if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
		last = CT_CAP_LAST_KNOWN;
	fclose(f);
	return last;
}

const char *ct_cap_name(int cap, char *buf, size_t size)
{
	if (cap >= 0 && cap <= CT_CAP_LAST_KNOWN)
		snprintf(buf, size, "%s", caps[cap]);
	else
		snprintf(buf, size, "%d", cap);
	return buf;
}

int ct_cap_parse(const char *s)
{
	long long n;

	for (int i = 0; i <= CT_CAP_LAST_KNOWN; i++)
		if (names(caps[i], "CAP_", s))
			return i;
	return parse_number(s, 0, ct_cap_last(), &n) ? -1 : (int)n;
}
