// SPDX-License-Identifier: GPL-2.0
/*
 * mountsnoop: trace mount(2), umount2(2) and the mount API (fsopen,
 * fsconfig, fsmount, move_mount, open_tree, fspick, mount_setattr).
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>

#include "args.h"
#include "columns.h"
#include "escape.h"
#include "feature_probe.h"
#include "kernel_names.h"
#include "output.h"
#include "tool.h"
#include "mountsnoop.h"
#include "mountsnoop.skel.h"

static struct {
	bool failed;		/* -x */
	__u32 mnt_ns;		/* --mntns */
} opt;

enum { OPT_MNTNS = 0x100 };

static const struct argp_option options[] = {
	CT_OPT_TIME,
	CT_OPT_TIMESTAMP,
	{ "failed", 'x', NULL, 0, "Only calls that failed", 0 },
	CT_OPT_PID("Only calls by this process"),
	CT_OPT_UID("Only calls by this user"),
	CT_OPT_PRINT_UID,
	CT_OPT_CGROUP("Only calls in this cgroup v2 directory"),
	{ "mntns", OPT_MNTNS, "ID", 0,
	  "Only calls in this mount namespace (inode number)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)state;
	switch (key) {
	case 'x':
		opt.failed = true;
		break;
	case OPT_MNTNS:
		opt.mnt_ns = ct_parse_long("--mntns", arg, 1, 0xffffffffL);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The call's name, its tracepoints' (sys_exit_<tp>), its flags' names. */
static const struct {
	const char *name;
	const char *tracepoint;
	const struct ct_flags *flags;
} calls[CALL_COUNT] = {
	[CALL_MOUNT] = { "mount", "mount", &ct_mount_flags },
	[CALL_UMOUNT] = { "umount2", "umount", &ct_umount_flags },
	[CALL_FSOPEN] = { "fsopen", "fsopen", &ct_fsopen_flags },
	[CALL_FSCONFIG] = { "fsconfig", "fsconfig", NULL },
	[CALL_FSMOUNT] = { "fsmount", "fsmount", &ct_fsmount_flags },
	[CALL_MOVE_MOUNT] = { "move_mount", "move_mount",
			      &ct_move_mount_flags },
	[CALL_OPEN_TREE] = { "open_tree", "open_tree", &ct_open_tree_flags },
	[CALL_FSPICK] = { "fspick", "fspick", &ct_fspick_flags },
	[CALL_MOUNT_SETATTR] = { "mount_setattr", "mount_setattr",
				 &ct_mount_setattr_flags },
};

/*
 * A flags argument by name: a list of the set bits' names (the bits without
 * a name as one hex word) for --json and --csv, and text's "A|B" for the
 * call. Each is made only when asked for, and kept for the next call with
 * the same argument, as most calls have.
 */
#define MAX_NAMES 40

struct flag_memo {
	const struct ct_flags *t;	/* NULL: nothing kept */
	unsigned long long v;
	bool listed;
	bool texted;
	const char *s[MAX_NAMES + 1];
	size_t len[MAX_NAMES + 1];
	size_t n;
	char rest[24];
	char text[512];
	size_t text_n;
};

enum { MEMO_FLAGS, MEMO_ATTR_SET, MEMO_ATTR_CLR, MEMO_COUNT };

static struct flag_memo memos[MEMO_COUNT];

static struct flag_memo *memo_of(int which, const struct ct_flags *t,
				 unsigned long long v)
{
	struct flag_memo *m = &memos[which];

	if (m->t != t || m->v != v) {
		m->t = t;
		m->v = v;
		m->listed = m->texted = false;
	}
	return m;
}

static struct ct_strs memo_names(struct flag_memo *m)
{
	unsigned long long rest;

	if (!m->listed) {
		m->n = ct_flag_names(m->t, m->v, m->s, MAX_NAMES, &rest);
		if (m->n > MAX_NAMES)
			m->n = MAX_NAMES;
		if (rest) {
			snprintf(m->rest, sizeof(m->rest), "0x%llx", rest);
			m->s[m->n++] = m->rest;
		}
		for (size_t i = 0; i < m->n; i++)
			m->len[i] = strlen(m->s[i]);
		m->listed = true;
	}
	return (struct ct_strs){ m->s, m->len, m->n };
}

static const struct flag_memo *memo_text(struct flag_memo *m)
{
	if (!m->texted) {
		ct_flags_fmt(m->t, m->v, m->text, sizeof(m->text));
		m->text_n = strlen(m->text);
		m->texted = true;
	}
	return m;
}

/* The call as text shows it, strace-like; strings escaped and quoted. */
#define CALL_BYTES (MNT_STRS * 4 * MNT_STR_BYTES + 1024)

struct call_text {
	char s[CALL_BYTES];
	size_t n;
};

/*
 * n bytes of s, cut as snprintf() would cut them. The text is copied
 * piece by piece, numbers written by ct_fmt_int(): through vsnprintf(),
 * they and the punctuation were most of a mount's time in user space.
 */
static void add_bytes(struct call_text *c, const char *s, size_t n)
{
	size_t room = sizeof(c->s) - c->n;
	size_t k = n < room ? n : room - 1;

	if (c->n >= sizeof(c->s) - 1)
		return;
	memcpy(c->s + c->n, s, k);
	c->s[c->n + k] = '\0';
	c->n += k;
}

static void add(struct call_text *c, const char *s)
{
	add_bytes(c, s, strlen(s));
}

static void add_int(struct call_text *c, long long v)
{
	char buf[24];

	add_bytes(c, buf, ct_fmt_int(buf, v));
}

/* One call as its columns see it. */
struct mnt_row {
	__u64 ts;
	__u64 latency_ns;
	__u32 uid;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 mnt_ns;
	int err;
	int fd;
	struct ct_str comm;
	struct ct_str call;
	struct ct_str syscall;
	struct ct_str str[MNT_STRS];	/* source, target, fstype, data */
	struct ct_str key;
	struct ct_str value;
	struct ct_str cmd;
	/* source, target, fstype, data, key, value: cut at MNT_STR_BYTES */
	bool cut[MNT_STRS + 2];
	__u64 flags;
	__u64 attr_set;
	__u64 attr_clr;
	int fs_fd;
	int source_dirfd;
	int target_dirfd;
	int aux;
	struct ct_strs flag_names;
	struct ct_strs attr_set_names;
	struct ct_strs attr_clr_names;
	const struct mnt_event *e;
	struct call_text text;
};

static const char *slot_str(const struct mnt_event *e, int slot,
			    size_t *len)
{
	size_t off = 0;

	for (int i = 0; i < slot; i++)
		off += e->len[i];
	*len = e->len[slot];
	return e->data + off;
}

static void add_str(struct call_text *c, const struct mnt_event *e, int slot)
{
	size_t len;
	const char *s = slot_str(e, slot, &len);

	if (e->unread & (1 << slot)) {
		add(c, "?");
		return;
	}
	if (!(e->present & (1 << slot))) {
		add(c, "NULL");
		return;
	}
	add(c, "\"");
	c->n += ct_escape(c->s + c->n, sizeof(c->s) - c->n, s, len,
			  CT_ESC_QUOTE);
	if (c->n >= sizeof(c->s))
		c->n = sizeof(c->s) - 1;
	add(c, e->truncated & (1 << slot) ? "\"..." : "\"");
}

static void add_dirfd(struct call_text *c, int fd)
{
	if (fd == -100)
		add(c, "AT_FDCWD");
	else
		add_int(c, fd);
}

static void add_flags(struct call_text *c, int which,
		      const struct ct_flags *t, unsigned long long v)
{
	const struct flag_memo *m = memo_text(memo_of(which, t, v));

	add_bytes(c, m->text, m->text_n);
}

static void add_attr(struct call_text *c, int which, unsigned long long v)
{
	add_flags(c, which, &ct_mount_attr_flags, v);
}

static void add_fsconfig(struct call_text *c, const struct mnt_row *r)
{
	const struct mnt_event *e = r->e;
	char buf[24];

	add_int(c, e->fs_fd);
	add(c, ", ");
	add(c, ct_name_fmt(&ct_fsconfig_cmd_names, e->cmd, buf, sizeof(buf)));
	add(c, ", ");
	add_str(c, e, MNT_FSTYPE);
	add(c, ", ");
	/* A binary value is not read: its bytes are no text. */
	if (e->cmd == MNT_FSCONFIG_SET_BINARY)
		add(c, "...");
	else
		add_str(c, e, MNT_DATA);
	add(c, ", ");
	add_int(c, e->aux);
}

static void add_args(struct call_text *c, const struct mnt_row *r)
{
	const struct mnt_event *e = r->e;
	const struct ct_flags *t = calls[e->op].flags;

	switch (e->op) {
	case CALL_MOUNT:
		add_str(c, e, MNT_SOURCE);
		add(c, ", ");
		add_str(c, e, MNT_TARGET);
		add(c, ", ");
		add_str(c, e, MNT_FSTYPE);
		add(c, ", ");
		add_flags(c, MEMO_FLAGS, t, r->flags);
		add(c, ", ");
		add_str(c, e, MNT_DATA);
		break;
	case CALL_UMOUNT:
		add_str(c, e, MNT_TARGET);
		add(c, ", ");
		add_flags(c, MEMO_FLAGS, t, r->flags);
		break;
	case CALL_FSOPEN:
		add_str(c, e, MNT_FSTYPE);
		add(c, ", ");
		add_flags(c, MEMO_FLAGS, t, r->flags);
		break;
	case CALL_FSCONFIG:
		add_fsconfig(c, r);
		break;
	case CALL_FSMOUNT:
		add_int(c, e->fs_fd);
		add(c, ", ");
		add_flags(c, MEMO_FLAGS, t, r->flags);
		add(c, ", ");
		add_attr(c, MEMO_ATTR_SET, r->attr_set);
		break;
	case CALL_MOVE_MOUNT:
		add_dirfd(c, e->source_fd);
		add(c, ", ");
		add_str(c, e, MNT_SOURCE);
		add(c, ", ");
		add_dirfd(c, e->target_fd);
		add(c, ", ");
		add_str(c, e, MNT_TARGET);
		add(c, ", ");
		add_flags(c, MEMO_FLAGS, t, r->flags);
		break;
	case CALL_OPEN_TREE:
		add_dirfd(c, e->source_fd);
		add(c, ", ");
		add_str(c, e, MNT_SOURCE);
		add(c, ", ");
		add_flags(c, MEMO_FLAGS, t, r->flags);
		break;
	case CALL_FSPICK:
	case CALL_MOUNT_SETATTR:
		add_dirfd(c, e->target_fd);
		add(c, ", ");
		add_str(c, e, MNT_TARGET);
		add(c, ", ");
		add_flags(c, MEMO_FLAGS, t, r->flags);
		if (e->op == CALL_FSPICK)
			break;
		if (e->has & MNT_ATTR_UNREAD) {
			add(c, ", ?");
			break;
		}
		add(c, ", {attr_set=");
		add_attr(c, MEMO_ATTR_SET, r->attr_set);
		add(c, ", attr_clr=");
		add_attr(c, MEMO_ATTR_CLR, r->attr_clr);
		add(c, "}");
		break;
	}
}

static void call_text(struct mnt_row *r)
{
	struct call_text *c = &r->text;
	const char *name;

	c->n = 0;
	add(c, calls[r->e->op].name);
	add(c, "(");
	add_args(c, r);
	add(c, ") = ");
	if (r->e->ret >= 0) {
		add_int(c, r->e->ret);
		return;
	}
	name = ct_errno_name(r->err);
	if (!name) {
		add_int(c, -r->err);
		return;
	}
	add(c, "-");
	add(c, name);
}

/* Null where the call has no such argument. */
#define HAS(name, bit)                                                       \
	static bool no_##name(const void *row)                               \
	{                                                                    \
		const struct mnt_row *r = row;                               \
									     \
		return !(r->e->has & (bit));                                 \
	}

HAS(flags, MNT_HAS_FLAGS)
HAS(fs_fd, MNT_HAS_FS_FD)
HAS(source_dirfd, MNT_HAS_SOURCE_FD)
HAS(target_dirfd, MNT_HAS_TARGET_FD)
HAS(cmd, MNT_HAS_CMD)

static bool no_attr_set(const void *row)
{
	const struct mnt_row *r = row;

	return !(r->e->has & MNT_HAS_ATTR) || (r->e->has & MNT_ATTR_UNREAD);
}

static bool no_attr_clr(const void *row)
{
	const struct mnt_row *r = row;

	return !(r->e->has & MNT_HAS_ATTR_CLR) ||
	       (r->e->has & MNT_ATTR_UNREAD);
}

/* Only calls that make a file descriptor return one. */
static bool no_fd(const void *row)
{
	const struct mnt_row *r = row;

	switch (r->e->op) {
	case CALL_FSOPEN:
	case CALL_FSMOUNT:
	case CALL_OPEN_TREE:
	case CALL_FSPICK:
		return r->e->ret < 0;
	default:
		return true;
	}
}

static size_t text_call(struct ct_buf *b, const void *row)
{
	const struct mnt_row *r = row;

	ct_buf_put(b, r->call.s, r->call.len);
	return r->call.len;
}

#define COL(field) CT_AT(struct mnt_row, field)
/* fsconfig's key and value, after the slots in cut[]. */
#define KEY MNT_STRS
#define VALUE (MNT_STRS + 1)
#define TRUNCATED(name, head, i)                                             \
	{ #name "_truncated", head, #name " was cut at 255 bytes", -5,       \
	  CT_COL_BOOL, COL(cut[i]), NULL }

static const struct ct_column columns[] = {
	CT_COLUMN_TIME(struct mnt_row, ts),
	CT_COLUMN_ELAPSED(struct mnt_row, ts),
	CT_COLUMN_UID(struct mnt_row, uid),
	CT_COLUMN_USER(struct mnt_row, uid),
	{ "comm", "COMM", "the caller's command name", -16, CT_COL_STR,
	  COL(comm), NULL },
	{ "pid", "PID", "process ID", -7, CT_COL_UINT, COL(pid), NULL },
	{ "tid", "TID", "thread ID", -7, CT_COL_UINT, COL(tid), NULL },
	{ "ppid", "PPID", "parent's process ID", -7, CT_COL_UINT, COL(ppid),
	  NULL },
	{ "mnt_ns", "MNT_NS", "the caller's mount namespace (inode number)",
	  -10, CT_COL_UINT, COL(mnt_ns), NULL },
	{ "syscall", "SYSCALL", "the call: mount, umount2, fsopen...", -13,
	  CT_COL_STR, COL(syscall), NULL },
	{ "source", "SOURCE", "mount's source, move_mount's and open_tree's "
	  "path", -16, CT_COL_STR, COL(str[MNT_SOURCE]), NULL },
	{ "source_dirfd", "SRCFD", "the dirfd of source (-100: AT_FDCWD)", 5,
	  CT_COL_INT, COL(source_dirfd), NULL, .null = no_source_dirfd },
	{ "target", "TARGET", "the mount point: mount's, umount2's, "
	  "move_mount's; fspick's and mount_setattr's path", -16, CT_COL_STR,
	  COL(str[MNT_TARGET]), NULL },
	{ "target_dirfd", "DSTFD", "the dirfd of target (-100: AT_FDCWD)", 5,
	  CT_COL_INT, COL(target_dirfd), NULL, .null = no_target_dirfd },
	{ "fstype", "FSTYPE", "the file system type: mount's, fsopen's", -8,
	  CT_COL_STR, COL(str[MNT_FSTYPE]), NULL },
	{ "data", "DATA", "mount's options string", -16, CT_COL_STR,
	  COL(str[MNT_DATA]), NULL },
	{ "fs_fd", "FSFD", "fsconfig's and fsmount's file system fd", 4,
	  CT_COL_INT, COL(fs_fd), NULL, .null = no_fs_fd },
	{ "cmd", "CMD", "fsconfig's command (FSCONFIG_SET_STRING...)", -20,
	  CT_COL_STR, COL(cmd), NULL },
	{ "key", "KEY", "fsconfig's key", -12, CT_COL_STR, COL(key), NULL },
	{ "value", "VALUE", "fsconfig's value, when a string or path", -16,
	  CT_COL_STR, COL(value), NULL },
	{ "aux", "AUX", "fsconfig's aux", 4, CT_COL_INT, COL(aux), NULL,
	  .null = no_cmd },
	TRUNCATED(source, "SRC_CUT", MNT_SOURCE),
	TRUNCATED(target, "TGT_CUT", MNT_TARGET),
	TRUNCATED(fstype, "FST_CUT", MNT_FSTYPE),
	TRUNCATED(data, "DATA_CUT", MNT_DATA),
	TRUNCATED(key, "KEY_CUT", KEY),
	TRUNCATED(value, "VAL_CUT", VALUE),
	{ "flags", "FLAGS", "the call's flags argument", 10, CT_COL_HEX,
	  COL(flags), NULL, .null = no_flags },
	{ "flag_names", "FLAG_NAMES", "flags by name", -16, CT_COL_STRS,
	  COL(flag_names), NULL },
	{ "attr_set", "ATTR_SET", "fsmount's attr_flags, mount_setattr's "
	  "attr_set", 10, CT_COL_HEX, COL(attr_set), NULL,
	  .null = no_attr_set },
	{ "attr_set_names", "ATTR_SET_NAMES", "attr_set by name", -16,
	  CT_COL_STRS, COL(attr_set_names), NULL },
	{ "attr_clr", "ATTR_CLR", "mount_setattr's attr_clr", 10, CT_COL_HEX,
	  COL(attr_clr), NULL, .null = no_attr_clr },
	{ "attr_clr_names", "ATTR_CLR_NAMES", "attr_clr by name", -16,
	  CT_COL_STRS, COL(attr_clr_names), NULL },
	{ "fd", "FD", "the file descriptor fsopen, fsmount, open_tree, "
	  "fspick returned", 3, CT_COL_INT, COL(fd), NULL, .null = no_fd },
	{ "err", "RET", "a failed call's error number, else 0 (text: -N)", 3,
	  CT_COL_ERR, COL(err), NULL },
	{ "errno", "ERRNO", "the name of err", -10, CT_COL_ERRNO, COL(err),
	  NULL },
	{ "latency_ns", "LAT(us)", "time in the call (its entry traced too)",
	  9, CT_COL_NS, COL(latency_ns), NULL },
	{ "call", "CALL", "the call, its arguments and result, as strace "
	  "shows them", 0, CT_COL_STR, COL(call), text_call },
};

static const struct ct_fields fields = {
	.cols = columns,
	.n = sizeof(columns) / sizeof(columns[0]),
	.text = "comm,pid,tid,mnt_ns,call",
	.data = "time,uid,user,comm,pid,tid,mnt_ns,syscall,source,"
		"source_dirfd,target,target_dirfd,fstype,data,fs_fd,cmd,key,"
		"value,aux,source_truncated,target_truncated,fstype_truncated,"
		"data_truncated,key_truncated,value_truncated,flags,flag_names,"
		"attr_set,attr_set_names,attr_clr,attr_clr_names,fd,err,errno,"
		"latency_ns",
};

/* mount(2) drops MS_MGC_VAL, the magic old callers put in the top half. */
#define MS_MGC_MSK 0xffff0000ULL
#define MS_MGC_VAL 0xc0ed0000ULL

static struct ct_str str_of(const char *s)
{
	return (struct ct_str){ s, s ? strlen(s) : 0 };
}

static void fill_strings(struct mnt_row *r, const struct mnt_event *e)
{
	static char cmd[24];

	for (int i = 0; i < MNT_STRS; i++) {
		size_t len;
		const char *s = slot_str(e, i, &len);

		r->str[i] = (struct ct_str){ NULL, 0 };
		if (e->present & (1 << i))
			r->str[i] = (struct ct_str){ s, len };
		r->cut[i] = e->truncated & (1 << i);
	}
	r->key = r->value = r->cmd = (struct ct_str){ NULL, 0 };
	r->cut[KEY] = r->cut[VALUE] = false;
	if (e->op != CALL_FSCONFIG)
		return;
	r->key = r->str[MNT_FSTYPE];
	r->value = r->str[MNT_DATA];
	r->str[MNT_FSTYPE] = r->str[MNT_DATA] = (struct ct_str){ NULL, 0 };
	r->cut[KEY] = r->cut[MNT_FSTYPE];
	r->cut[VALUE] = r->cut[MNT_DATA];
	r->cut[MNT_FSTYPE] = r->cut[MNT_DATA] = false;
	r->cmd = str_of(ct_name_fmt(&ct_fsconfig_cmd_names, e->cmd, cmd,
				    sizeof(cmd)));
}

/*
 * What only some fields use, made only where one of them is shown: the
 * call's text is for text output, the flags' names for --json and --csv.
 */
static struct {
	bool call;
	bool flag_names;
	bool attr_set_names;
	bool attr_clr_names;
} shown;

static struct ct_strs names_of(int which, bool show, bool none,
			       const struct ct_flags *t, unsigned long long v)
{
	static const struct ct_strs no_names;

	return show && !none ? memo_names(memo_of(which, t, v)) : no_names;
}

static void fill_flags(struct mnt_row *r, const struct mnt_event *e)
{
	const struct ct_flags *t = calls[e->op].flags;

	r->flags = e->flags;
	if (e->op == CALL_MOUNT && (r->flags & MS_MGC_MSK) == MS_MGC_VAL)
		r->flags &= ~MS_MGC_MSK;
	r->attr_set = e->attr_set;
	r->attr_clr = e->attr_clr;
	r->flag_names = names_of(MEMO_FLAGS, shown.flag_names, !t, t,
				 r->flags);
	r->attr_set_names = names_of(MEMO_ATTR_SET, shown.attr_set_names,
				     no_attr_set(r), &ct_mount_attr_flags,
				     r->attr_set);
	r->attr_clr_names = names_of(MEMO_ATTR_CLR, shown.attr_clr_names,
				     no_attr_clr(r), &ct_mount_attr_flags,
				     r->attr_clr);
}

static void fill_row(struct mnt_row *r, const struct mnt_event *e)
{
	const struct ct_task_info *t = &e->task;

	r->e = e;
	r->ts = e->ts;
	r->latency_ns = e->latency_ns;
	r->uid = t->uid;
	r->pid = t->pid;
	r->tid = t->tid;
	r->ppid = t->ppid;
	r->mnt_ns = t->mnt_ns;
	r->err = e->ret < 0 ? -e->ret : 0;
	r->fd = e->ret;
	r->comm = (struct ct_str){ t->comm,
				   strnlen(t->comm, sizeof(t->comm)) };
	r->syscall = str_of(calls[e->op].name);
	r->fs_fd = e->fs_fd;
	r->source_dirfd = e->source_fd;
	r->target_dirfd = e->target_fd;
	r->aux = e->aux;
	fill_strings(r, e);
	fill_flags(r, e);
	r->call = (struct ct_str){ NULL, 0 };
	if (!shown.call)
		return;
	call_text(r);
	r->call = (struct ct_str){ r->text.s, r->text.n };
}

/* Does an event of size bytes hold what it says it does? */
static bool event_whole(const struct mnt_event *e, size_t size)
{
	size_t need = offsetof(struct mnt_event, data);

	if (size < need || e->op >= CALL_COUNT)
		return false;
	for (int i = 0; i < MNT_STRS; i++)
		need += e->len[i];
	return size >= need;
}

static int handle_event(void *ctx, const void *data, size_t size)
{
	static struct mnt_row r;
	const struct mnt_event *e = data;

	(void)ctx;
	if (!event_whole(e, size))
		return 0;
	fill_row(&r, e);
	ct_fields_print(&r);
	return 0;
}

/* The calls' numbers here, -1 for those the headers lack. */
static void set_call_numbers(struct mountsnoop_bpf__rodata *ro)
{
	ro->nr_of[CALL_MOUNT] = __NR_mount;
	ro->nr_of[CALL_UMOUNT] = __NR_umount2;
#ifdef __NR_fsopen
	ro->nr_of[CALL_FSOPEN] = __NR_fsopen;
	ro->nr_of[CALL_FSCONFIG] = __NR_fsconfig;
	ro->nr_of[CALL_FSMOUNT] = __NR_fsmount;
	ro->nr_of[CALL_MOVE_MOUNT] = __NR_move_mount;
	ro->nr_of[CALL_OPEN_TREE] = __NR_open_tree;
	ro->nr_of[CALL_FSPICK] = __NR_fspick;
#endif
#ifdef __NR_mount_setattr
	ro->nr_of[CALL_MOUNT_SETATTR] = __NR_mount_setattr;
#endif
}

/* Why the exits alone cannot read the arguments; NULL if they can. */
static const char *no_regs_reason(void)
{
	if (ct_avoided("CT_NO_TASK_PT_REGS"))
		return "CT_NO_TASK_PT_REGS is set";
	if (!ct_has_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_task_pt_regs))
		return "no bpf_task_pt_regs() in this kernel (5.15+)";
	if (ct_fields_shown("latency_ns"))
		return "latency_ns is shown: the time in the call needs its "
		       "entry";
	return NULL;
}

/*
 * Is call i traced? The mount API where this kernel has its tracepoints
 * (5.2, mount_setattr 5.12): with pairs, both (an entry alone would leak
 * its records); with the registers, the exit and a number to tell it by.
 * mount and umount2 are always there: without them, loading fails with
 * one line.
 */
static bool call_traced(struct mountsnoop_bpf *skel, int i,
			struct bpf_program *enter, bool pairs)
{
	const char *tp = calls[i].tracepoint;

	if (!pairs)
		bpf_program__set_autoload(enter, false);
	if (i < CALL_FSOPEN)
		return true;
	if ((pairs && !ct_optional_tracepoint(enter)) ||
	    (!pairs && skel->rodata->nr_of[i] < 0) ||
	    !ct_syscall_tp_here("exit", tp)) {
		bpf_program__set_autoload(enter, false);
		return false;
	}
	return true;
}

/*
 * One program handles every exit: sys_exit_mount is its own tracepoint,
 * the others are attached to it as well. Where the registers can be read,
 * the exits alone; else entries too.
 */
static int choose_calls(struct mountsnoop_bpf *skel)
{
	struct bpf_program *enter[CALL_COUNT] = {
		[CALL_MOUNT] = skel->progs.enter_mount,
		[CALL_UMOUNT] = skel->progs.enter_umount,
		[CALL_FSOPEN] = skel->progs.enter_fsopen,
		[CALL_FSCONFIG] = skel->progs.enter_fsconfig,
		[CALL_FSMOUNT] = skel->progs.enter_fsmount,
		[CALL_MOVE_MOUNT] = skel->progs.enter_move_mount,
		[CALL_OPEN_TREE] = skel->progs.enter_open_tree,
		[CALL_FSPICK] = skel->progs.enter_fspick,
		[CALL_MOUNT_SETATTR] = skel->progs.enter_mount_setattr,
	};
	const char *why = no_regs_reason();
	char traced[256] = "";
	size_t n = 0;

	set_call_numbers(skel->rodata);
	for (int i = 0; i < CALL_COUNT; i++) {
		if (!call_traced(skel, i, enter[i], why != NULL))
			continue;
		if (i != CALL_MOUNT &&
		    ct_attach_also_syscall(skel->progs.handle_exit, "exit",
					   calls[i].tracepoint))
			return CT_EXIT_ERROR;
		n += snprintf(traced + n, sizeof(traced) - n, "%s%s",
			      n ? ", " : "", calls[i].name);
	}
	if (why) {
		ct_verbose("calls: not from the registers: %s", why);
		ct_attach_method("calls",
				 "tracepoints syscalls:sys_{enter,exit}_*");
	} else {
		bpf_map__set_autocreate(skel->maps.starts, false);
		skel->rodata->args_in_regs = true;
		ct_attach_method("calls", "tracepoints syscalls:sys_exit_*, "
				 "arguments from the registers");
	}
	ct_verbose("tracing %s", traced);
	return 0;
}

static int configure(void *s)
{
	struct mountsnoop_bpf *skel = s;

	skel->rodata->failed_only = opt.failed;
	skel->rodata->target_mnt_ns = opt.mnt_ns;
	shown.call = ct_fields_shown("call");
	shown.flag_names = ct_fields_shown("flag_names");
	shown.attr_set_names = ct_fields_shown("attr_set_names");
	shown.attr_clr_names = ct_fields_shown("attr_clr_names");
	return choose_calls(skel);
}

CT_SKELETON(mountsnoop_bpf);

static const struct ct_tool tool = {
	.name = "mountsnoop",
	.summary = "Trace mount, umount2 and the mount API (fsopen, fsconfig, "
		   "fsmount, move_mount, open_tree, fspick, mount_setattr).",
	.examples =
		"  mountsnoop                # trace every mount call\n"
		"  mountsnoop -x             # only calls that failed\n"
		"  mountsnoop -T -p 1234     # calls by process 1234, timed\n"
		"  mountsnoop --mntns 4026531841  # one mount namespace\n"
		"  mountsnoop --json         # every argument by name\n",
	.options = options,
	.parser = parse_arg,
	.fields = &fields,
	.skel = &mountsnoop_bpf_ct,
	.configure = configure,
	.on_event = handle_event,
};

CT_MAIN(tool);
