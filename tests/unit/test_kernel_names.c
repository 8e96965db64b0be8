// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of common/kernel_names.c: names both ways, and the tables agree
 * with the build host's headers wherever those define the same name.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <linux/capability.h>
#include <cmocka.h>

#include "kernel_names.h"

static const char *sig(int n)
{
	static char buf[CT_SIG_NAME_MAX];

	return ct_signal_name(n, buf, sizeof(buf));
}

static void test_signal_names(void **state)
{
	(void)state;
	assert_string_equal(sig(SIGHUP), "SIGHUP");
	assert_string_equal(sig(SIGKILL), "SIGKILL");
	assert_string_equal(sig(SIGCHLD), "SIGCHLD");
	assert_string_equal(sig(SIGSYS), "SIGSYS");
	assert_string_equal(sig(SIGSTKFLT), "SIGSTKFLT");
	/* The kernel's real-time numbering, not the C library's. */
	assert_string_equal(sig(32), "SIGRTMIN");
	assert_string_equal(sig(33), "SIGRTMIN+1");
	assert_string_equal(sig(34), "SIGRTMIN+2");
	assert_string_equal(sig(63), "SIGRTMIN+31");
	assert_string_equal(sig(64), "SIGRTMAX");
	assert_string_equal(sig(0), "0");
	assert_string_equal(sig(65), "65");
	assert_string_equal(sig(-1), "-1");
}

static void test_signal_parse(void **state)
{
	(void)state;
	assert_int_equal(ct_signal_parse("kill"), 9);
	assert_int_equal(ct_signal_parse("KILL"), 9);
	assert_int_equal(ct_signal_parse("SIGKILL"), 9);
	assert_int_equal(ct_signal_parse("sigterm"), 15);
	assert_int_equal(ct_signal_parse("9"), 9);
	assert_int_equal(ct_signal_parse("0"), 0);
	assert_int_equal(ct_signal_parse("64"), 64);
	assert_int_equal(ct_signal_parse("poll"), SIGIO);
	assert_int_equal(ct_signal_parse("SIGIOT"), SIGABRT);
	assert_int_equal(ct_signal_parse("cld"), SIGCHLD);
	assert_int_equal(ct_signal_parse("rtmin"), 32);
	assert_int_equal(ct_signal_parse("SIGRTMIN+3"), 35);
	assert_int_equal(ct_signal_parse("sigrtmax-1"), 63);
	assert_int_equal(ct_signal_parse("RTMAX"), 64);
	assert_int_equal(ct_signal_parse("RTMIN+32"), 64);
	assert_int_equal(ct_signal_parse("RTMIN+33"), -1);
	assert_int_equal(ct_signal_parse("RTMIN-1"), -1);
	assert_int_equal(ct_signal_parse("RTMIN+"), -1);
	assert_int_equal(ct_signal_parse("65"), -1);
	assert_int_equal(ct_signal_parse("-1"), -1);
	assert_int_equal(ct_signal_parse("9x"), -1);
	assert_int_equal(ct_signal_parse("SIG9"), -1);
	assert_int_equal(ct_signal_parse("SIG"), -1);
	assert_int_equal(ct_signal_parse(""), -1);
	assert_int_equal(ct_signal_parse("nosuch"), -1);
}

/* Every name, with and without SIG, parses back to its number. */
static void test_signal_round_trip(void **state)
{
	(void)state;
	for (int i = 1; i <= CT_SIGRTMAX; i++) {
		char buf[CT_SIG_NAME_MAX];

		ct_signal_name(i, buf, sizeof(buf));
		assert_int_equal(ct_signal_parse(buf), i);
		assert_int_equal(ct_signal_parse(buf + 3), i);
	}
}

static void test_sigcodes(void **state)
{
	(void)state;
	assert_string_equal(ct_sigcode_name(SIGTERM, SI_USER), "SI_USER");
	assert_string_equal(ct_sigcode_name(SIGTERM, SI_TKILL), "SI_TKILL");
	assert_string_equal(ct_sigcode_name(SIGRTMIN, SI_QUEUE), "SI_QUEUE");
	assert_string_equal(ct_sigcode_name(SIGSEGV, SI_KERNEL), "SI_KERNEL");
	assert_string_equal(ct_sigcode_name(SIGCHLD, CLD_EXITED),
			    "CLD_EXITED");
	assert_string_equal(ct_sigcode_name(SIGCHLD, CLD_CONTINUED),
			    "CLD_CONTINUED");
	assert_string_equal(ct_sigcode_name(SIGSEGV, SEGV_MAPERR),
			    "SEGV_MAPERR");
	assert_string_equal(ct_sigcode_name(SIGBUS, BUS_ADRERR),
			    "BUS_ADRERR");
	assert_string_equal(ct_sigcode_name(SIGFPE, FPE_INTDIV),
			    "FPE_INTDIV");
	assert_string_equal(ct_sigcode_name(SIGILL, ILL_PRVOPC),
			    "ILL_PRVOPC");
	assert_string_equal(ct_sigcode_name(SIGTRAP, TRAP_BRKPT),
			    "TRAP_BRKPT");
	assert_string_equal(ct_sigcode_name(SIGIO, POLL_HUP), "POLL_HUP");
	assert_null(ct_sigcode_name(SIGTERM, 1));
	assert_null(ct_sigcode_name(SIGFPE, 10));
	assert_null(ct_sigcode_name(SIGCHLD, 7));
	assert_null(ct_sigcode_name(SIGTERM, -100));
}

static const char *cap(int n)
{
	static char buf[32];

	return ct_cap_name(n, buf, sizeof(buf));
}

static void test_caps(void **state)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	int last = CT_CAP_LAST_KNOWN;

	(void)state;
	if (f) {
		assert_int_equal(fscanf(f, "%d", &last), 1);
		fclose(f);
	}
	assert_int_equal(ct_cap_last(), last);
	assert_string_equal(cap(0), "CAP_CHOWN");
	assert_string_equal(cap(CAP_SYS_ADMIN), "CAP_SYS_ADMIN");
	assert_string_equal(cap(40), "CAP_CHECKPOINT_RESTORE");
	assert_string_equal(cap(41), "41");
	assert_string_equal(cap(-1), "-1");
	assert_int_equal(ct_cap_parse("sys_admin"), 21);
	assert_int_equal(ct_cap_parse("CAP_SYS_ADMIN"), 21);
	assert_int_equal(ct_cap_parse("cap_bpf"), 39);
	assert_int_equal(ct_cap_parse("21"), 21);
	assert_int_equal(ct_cap_parse("0"), 0);
	assert_int_equal(ct_cap_parse("cap_"), -1);
	assert_int_equal(ct_cap_parse("nosuch"), -1);
	assert_int_equal(ct_cap_parse("-1"), -1);
	assert_int_equal(ct_cap_parse("64"), -1);
	for (int i = 0; i <= CT_CAP_LAST_KNOWN; i++) {
		assert_int_equal(ct_cap_parse(cap(i)), i);
		assert_int_equal(ct_cap_parse(cap(i) + 4), i);
	}
}

/* The host's capability.h may be older: compare what it has. */
static void test_caps_match_host(void **state)
{
	(void)state;
	assert_string_equal(cap(CAP_NET_BIND_SERVICE), "CAP_NET_BIND_SERVICE");
	assert_string_equal(cap(CAP_AUDIT_READ), "CAP_AUDIT_READ");
#ifdef CAP_PERFMON
	assert_string_equal(cap(CAP_PERFMON), "CAP_PERFMON");
	assert_string_equal(cap(CAP_BPF), "CAP_BPF");
#endif
#ifdef CAP_CHECKPOINT_RESTORE
	assert_string_equal(cap(CAP_CHECKPOINT_RESTORE),
			    "CAP_CHECKPOINT_RESTORE");
	assert_int_equal(CAP_LAST_CAP, CT_CAP_LAST_KNOWN);
#endif
}

#define NAME_IS(t, macro) \
	assert_string_equal(ct_name_of(&(t), macro), #macro)

static void test_tables_match_host(void **state)
{
	(void)state;
	NAME_IS(ct_af_names, AF_UNSPEC);
	NAME_IS(ct_af_names, AF_UNIX);
	NAME_IS(ct_af_names, AF_INET);
	NAME_IS(ct_af_names, AF_INET6);
	NAME_IS(ct_af_names, AF_NETLINK);
	NAME_IS(ct_af_names, AF_PACKET);
	NAME_IS(ct_af_names, AF_VSOCK);
	NAME_IS(ct_af_names, AF_XDP);
#ifdef AF_MCTP
	NAME_IS(ct_af_names, AF_MCTP);
#endif
	NAME_IS(ct_ipproto_names, IPPROTO_IP);
	NAME_IS(ct_ipproto_names, IPPROTO_ICMP);
	NAME_IS(ct_ipproto_names, IPPROTO_TCP);
	NAME_IS(ct_ipproto_names, IPPROTO_UDP);
	NAME_IS(ct_ipproto_names, IPPROTO_IPV6);
	NAME_IS(ct_ipproto_names, IPPROTO_ICMPV6);
	NAME_IS(ct_ipproto_names, IPPROTO_SCTP);
	NAME_IS(ct_ipproto_names, IPPROTO_UDPLITE);
	NAME_IS(ct_ipproto_names, IPPROTO_RAW);
	NAME_IS(ct_ipproto_names, IPPROTO_MPTCP);
	NAME_IS(ct_tcp_state_names, TCP_ESTABLISHED);
	NAME_IS(ct_tcp_state_names, TCP_SYN_RECV);
	NAME_IS(ct_tcp_state_names, TCP_TIME_WAIT);
	NAME_IS(ct_tcp_state_names, TCP_CLOSE);
	NAME_IS(ct_tcp_state_names, TCP_LISTEN);
	NAME_IS(ct_tcp_state_names, TCP_CLOSING);
	assert_string_equal(ct_name_of(&ct_tcp_state_names, 12),
			    "TCP_NEW_SYN_RECV");
	assert_null(ct_name_of(&ct_tcp_state_names, 0));
	assert_null(ct_name_of(&ct_af_names, 46));
}

static void test_name_parse(void **state)
{
	long long v = -5;

	(void)state;
	assert_int_equal(ct_name_parse(&ct_af_names, "inet6", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(ct_name_parse(&ct_af_names, "AF_LOCAL", &v), 0);
	assert_int_equal(v, 1);
	assert_string_equal(ct_name_of(&ct_af_names, 1), "AF_UNIX");
	assert_int_equal(ct_name_parse(&ct_ipproto_names, "tcp", &v), 0);
	assert_int_equal(v, 6);
	assert_int_equal(ct_name_parse(&ct_ipproto_names, "132", &v), 0);
	assert_int_equal(v, 132);
	assert_int_equal(ct_name_parse(&ct_tcp_state_names, "listen", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(ct_name_parse(&ct_tcp_state_names, "Syn_Sent", &v),
			 0);
	assert_int_equal(v, 2);
	v = -5;
	assert_int_equal(ct_name_parse(&ct_tcp_state_names, "0", &v), -1);
	assert_int_equal(ct_name_parse(&ct_tcp_state_names, "14", &v), -1);
	assert_int_equal(ct_name_parse(&ct_tcp_state_names, "tcp_", &v), -1);
	assert_int_equal(ct_name_parse(&ct_af_names, "", &v), -1);
	assert_int_equal(ct_name_parse(&ct_af_names, "2 ", &v), -1);
	assert_int_equal(v, -5);
}

static void test_name_fmt(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(ct_name_fmt(&ct_af_names, 2, buf, sizeof(buf)),
			    "AF_INET");
	assert_string_equal(ct_name_fmt(&ct_af_names, 99, buf, sizeof(buf)),
			    "99");
	assert_string_equal(ct_name_fmt(&ct_af_names, 2, buf, 4), "AF_");
}

static void test_name_short(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(ct_name_short(&ct_ipproto_names, 6, buf,
					  sizeof(buf)), "TCP");
	assert_string_equal(ct_name_short(&ct_ipproto_names, 262, buf,
					  sizeof(buf)), "MPTCP");
	assert_string_equal(ct_name_short(&ct_ipproto_names, 300, buf,
					  sizeof(buf)), "300");
	assert_string_equal(ct_name_short(&ct_ipproto_names, 136, buf, 4),
			    "UDP");
}

static void test_flags(void **state)
{
	unsigned long long rest = 1;
	const char *names[3];
	char buf[64];

	(void)state;
	assert_int_equal(MS_RDONLY | MS_NOSUID | MS_BIND | MS_REC, 0x5003);
	assert_string_equal(ct_flags_fmt(&ct_mount_flags, MS_RDONLY |
					 MS_NOSUID | MS_BIND | MS_REC, buf,
					 sizeof(buf)),
			    "MS_RDONLY|MS_NOSUID|MS_BIND|MS_REC");
	assert_string_equal(ct_flags_fmt(&ct_mount_flags, 0, buf,
					 sizeof(buf)), "0");
	assert_string_equal(ct_flags_fmt(&ct_mount_flags, 1ULL << 26, buf,
					 sizeof(buf)), "0x4000000");
	assert_string_equal(ct_flags_fmt(&ct_mount_flags, MS_SHARED |
					 (1ULL << 26), buf, sizeof(buf)),
			    "MS_SHARED|0x4000000");
	assert_string_equal(ct_flags_fmt(&ct_mount_flags, MS_RDONLY |
					 MS_NOSUID, buf, 12), "MS_RDONLY|M");
	assert_int_equal(ct_flag_names(&ct_mount_flags, MS_RDONLY | MS_REC |
				       MS_PRIVATE | 0x8000000000ULL, names,
				       2, &rest), 3);
	assert_string_equal(names[0], "MS_RDONLY");
	assert_string_equal(names[1], "MS_REC");
	assert_int_equal(rest, 0x8000000000ULL);
	assert_int_equal(ct_flag_names(&ct_umount_flags, MNT_DETACH, names,
				       3, &rest), 1);
	assert_string_equal(names[0], "MNT_DETACH");
	assert_int_equal(rest, 0);
	assert_string_equal(ct_flags_fmt(&ct_mount_attr_flags, 0x11, buf,
					 sizeof(buf)),
			    "MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOATIME");
	assert_string_equal(ct_flags_fmt(&ct_move_mount_flags, 0x44, buf,
					 sizeof(buf)),
			    "MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_EMPTY_PATH");
	assert_string_equal(ct_name_of(&ct_fsconfig_cmd_names, 6),
			    "FSCONFIG_CMD_CREATE");
	assert_string_equal(ct_flags_fmt(&ct_open_tree_flags, 0x88001, buf,
					 sizeof(buf)),
			    "OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_RECURSIVE");
	assert_string_equal(ct_flags_fmt(&ct_mount_setattr_flags, 0x9001,
					 buf, sizeof(buf)),
			    "AT_EMPTY_PATH|AT_RECURSIVE|0x1");
}

#define FLAG_IS(t, macro) do {						\
	char buf_[64];							\
									\
	assert_string_equal(ct_flags_fmt(&(t), macro, buf_, sizeof(buf_)), \
			    #macro);					\
} while (0)

/* Against glibc's copies of <linux/mount.h>, where it has them. */
static void test_mount_api_match_host(void **state)
{
	(void)state;
#ifdef MOUNT_ATTR_RDONLY
	FLAG_IS(ct_mount_attr_flags, MOUNT_ATTR_RDONLY);
	FLAG_IS(ct_mount_attr_flags, MOUNT_ATTR_NOATIME);
	FLAG_IS(ct_mount_attr_flags, MOUNT_ATTR_STRICTATIME);
	FLAG_IS(ct_mount_attr_flags, MOUNT_ATTR_NODIRATIME);
	FLAG_IS(ct_mount_attr_flags, MOUNT_ATTR_IDMAP);
	FLAG_IS(ct_mount_attr_flags, MOUNT_ATTR_NOSYMFOLLOW);
	FLAG_IS(ct_move_mount_flags, MOVE_MOUNT_F_EMPTY_PATH);
	FLAG_IS(ct_move_mount_flags, MOVE_MOUNT_T_SYMLINKS);
	FLAG_IS(ct_move_mount_flags, MOVE_MOUNT_SET_GROUP);
	FLAG_IS(ct_fspick_flags, FSPICK_SYMLINK_NOFOLLOW);
	FLAG_IS(ct_fspick_flags, FSPICK_EMPTY_PATH);
	FLAG_IS(ct_fsopen_flags, FSOPEN_CLOEXEC);
	FLAG_IS(ct_fsmount_flags, FSMOUNT_CLOEXEC);
	FLAG_IS(ct_open_tree_flags, OPEN_TREE_CLONE);
	FLAG_IS(ct_open_tree_flags, OPEN_TREE_CLOEXEC);
	FLAG_IS(ct_open_tree_flags, AT_RECURSIVE);
	FLAG_IS(ct_open_tree_flags, AT_EMPTY_PATH);
	FLAG_IS(ct_mount_setattr_flags, AT_RECURSIVE);
	FLAG_IS(ct_mount_setattr_flags, AT_SYMLINK_NOFOLLOW);
	FLAG_IS(ct_umount_flags, UMOUNT_NOFOLLOW);
	NAME_IS(ct_fsconfig_cmd_names, FSCONFIG_SET_FD);
	NAME_IS(ct_fsconfig_cmd_names, FSCONFIG_CMD_RECONFIGURE);
#else
	skip();
#endif
}

/* The stat flags and statx mask against glibc's copies. */
static void test_stat_names(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(ct_flags_fmt(&ct_stat_at_flags, 0, buf,
					 sizeof(buf)), "0");
	assert_string_equal(ct_flags_fmt(&ct_stat_at_flags, 0x1100 | 0x10000,
					 buf, sizeof(buf)),
			    "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|0x10000");
	assert_string_equal(ct_flags_fmt(&ct_statx_mask, 0xfff, buf,
					 sizeof(buf)),
			    "STATX_BASIC_STATS|STATX_BTIME");
	assert_string_equal(ct_flags_fmt(&ct_statx_mask, 0x201, buf,
					 sizeof(buf)), "STATX_TYPE|STATX_SIZE");
	FLAG_IS(ct_stat_at_flags, AT_SYMLINK_NOFOLLOW);
	FLAG_IS(ct_stat_at_flags, AT_NO_AUTOMOUNT);
	FLAG_IS(ct_stat_at_flags, AT_EMPTY_PATH);
#ifdef STATX_BASIC_STATS
	FLAG_IS(ct_stat_at_flags, AT_STATX_FORCE_SYNC);
	FLAG_IS(ct_stat_at_flags, AT_STATX_DONT_SYNC);
	FLAG_IS(ct_statx_mask, STATX_TYPE);
	FLAG_IS(ct_statx_mask, STATX_BLOCKS);
	FLAG_IS(ct_statx_mask, STATX_BASIC_STATS);
	FLAG_IS(ct_statx_mask, STATX_BTIME);
#endif
#ifdef STATX_MNT_ID
	FLAG_IS(ct_statx_mask, STATX_MNT_ID);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_names),
		cmocka_unit_test(test_signal_parse),
		cmocka_unit_test(test_signal_round_trip),
		cmocka_unit_test(test_sigcodes),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_caps_match_host),
		cmocka_unit_test(test_tables_match_host),
		cmocka_unit_test(test_name_parse),
		cmocka_unit_test(test_name_fmt),
		cmocka_unit_test(test_name_short),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_mount_api_match_host),
		cmocka_unit_test(test_stat_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
