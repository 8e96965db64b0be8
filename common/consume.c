// SPDX-License-Identifier: GPL-2.0
/*
 * Running until told to stop: signals, the -d deadline, a closed stdout, and
 * the event loop with its lost-event accounting.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/membarrier.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "events.h"
#include "journal.h"
#include "json.h"
#include "output.h"
#include "prom.h"
#include "ringbuf.h"
#include "tool.h"

/* How often lost events are reported while they happen. */
#define LOST_REPORT_NS 1000000000ULL
#define POLL_MS 100

static volatile sig_atomic_t stop_signal;
static bool stdout_closed;
static bool stdout_failed;
static __u64 deadline_ns;

/*
 * After a stop signal, a full pipe on stdout that takes nothing for this
 * long is cut: what it cannot take is dropped, so that a reader that does
 * not read cannot keep the tool (what is left to print is finite). A line
 * partly written then gets LINE_GRACE_MS more to be completed: the output
 * ends with a whole line if the reader reads at all.
 */
#define DRAIN_GRACE_MS 500
#define LINE_GRACE_MS 500

/* SIGALRM only ends a write or a poll that waits for too long. */
static void on_alarm(int sig)
{
	(void)sig;
}

static void alarm_in(int ms)
{
	struct itimerval t = {
		.it_value.tv_sec = ms / 1000,
		.it_value.tv_usec = ms % 1000 * 1000,
	};

	setitimer(ITIMER_REAL, &t, NULL);
}

/*
 * The pipe is opened anew without blocking (anew: the open file may be
 * shared, and others must not see O_NONBLOCK).
 */
static void unblock_stdout(void)
{
	struct stat st;
	int fd;

	if (fstat(STDOUT_FILENO, &st) || !S_ISFIFO(st.st_mode))
		return;
	fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	dup2(fd, STDOUT_FILENO);
	close(fd);
}

/*
 * stdout goes through out_write(), not stdio's own writer: stdio drops
 * what is left of its buffer when a write fails (EINTR, EAGAIN) after a
 * partial write, and does not say where a line was cut.
 */
static struct {
	bool mid_line;		/* the last byte written was not '\n' */
	bool cutting;		/* the pipe took nothing for the grace */
	__u64 line_end_ns;	/* when a cut line stops waiting, once set */
	__u64 dropped;		/* whole lines dropped after the grace */
	__u64 reported;
} out;

static void drop(const char *buf, size_t size)
{
	const char *end = buf + size;

	while ((buf = memchr(buf, '\n', end - buf))) {
		out.dropped++;
		buf++;
	}
}

/* Milliseconds left until end_ns (set to now + ms if 0), 0 if past. */
static int ms_left(__u64 *end_ns, int ms)
{
	__u64 now = ct_now_ns();

	if (!*end_ns)
		*end_ns = now + ms * 1000000ULL;
	if (now >= *end_ns)
		return 0;
	return (*end_ns - now + 999999) / 1000000;
}

/* Wait until stdout can take more, at most ms (-1: no limit). */
static bool wait_writable(int ms)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

	return poll(&p, 1, ms) > 0;
}

/* How much of buf to write now; 0: drop the rest. */
static size_t to_write(const char *buf, size_t size)
{
	const char *nl;
	int ms;

	if (!out.cutting)
		return size;
	if (!out.mid_line)
		return 0;
	ms = ms_left(&out.line_end_ns, LINE_GRACE_MS);
	if (!ms || !wait_writable(ms))
		return 0;
	alarm_in(ms);
	nl = memchr(buf, '\n', size);
	return nl ? (size_t)(nl - buf) + 1 : size;
}

/*
 * After a stop signal, before a write that may wait: is there grace left
 * (SIGALRM then ends the wait)? If not, the pipe is cut.
 */
static void check_grace(__u64 *end_ns)
{
	int ms;

	if (!stop_signal || out.cutting)
		return;
	ms = ms_left(end_ns, DRAIN_GRACE_MS);
	if (ms) {
		alarm_in(ms);
		return;
	}
	unblock_stdout();
	out.cutting = true;
}

static ssize_t out_write(void *cookie, const char *buf, size_t size)
{
	__u64 grace_end = 0;	/* 0: the pipe has just taken something */
	size_t done = 0, len;
	ssize_t n;

	(void)cookie;
	while (done < size) {
		check_grace(&grace_end);
		len = to_write(buf + done, size - done);
		if (!len)
			break;
		n = write(STDOUT_FILENO, buf + done, len);
		if (n > 0) {
			out.mid_line = buf[done + n - 1] != '\n';
			done += n;
			grace_end = 0;
		} else if (n < 0 && errno == EAGAIN && !out.cutting) {
			/* stdout was already non-blocking */
			wait_writable(-1);
		} else if (n < 0 && errno != EINTR && errno != EAGAIN) {
			return -1;
		}
	}
	if (stop_signal)
		alarm_in(0);
	drop(buf + done, size - done);
	return size;
}

/*
 * Output to a pipe or a file is written when the ring buffer is drained
 * (ct_flush()), or when this much has gathered: a write into a file costs
 * a few microseconds whatever its size up to about 16 KiB (stdio's own
 * buffer, BUFSIZ, made --json lines a write every 25 events); more would
 * only add to the resident memory.
 */
#define OUT_BUFFER_SIZE 16384

/*
 * Not for a terminal: it stays line-buffered, and tools ask whether
 * stdout is one.
 */
static void stdout_init(void)
{
	static char buffer[OUT_BUFFER_SIZE];
	cookie_io_functions_t io = { .write = out_write };
	FILE *f;

	if (isatty(STDOUT_FILENO))
		return;
	f = fopencookie(NULL, "w", io);
	if (!f)
		return;
	setvbuf(f, buffer, _IOFBF, sizeof(buffer));
	fflush(stdout);
	stdout = f;
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

void ct_signals_init(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction alarm = { .sa_handler = on_alarm };
	struct sigaction ign = { .sa_handler = SIG_IGN };

	/*
	 * No SA_RESTART: a signal must wake up poll() and sleeps at once, and
	 * SIGALRM end a write to a full pipe.
	 */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &alarm, NULL);
	sigaction(SIGPIPE, &ign, NULL);
	stdout_init();
}

void ct_start_clock(void)
{
	if (ct_env.duration > 0)
		deadline_ns = ct_now_ns() + (__u64)(ct_env.duration * 1e9);
}

static bool past_deadline(void)
{
	return deadline_ns && ct_now_ns() >= deadline_ns;
}

bool ct_stopping(void)
{
	return stop_signal || stdout_closed || past_deadline();
}

int ct_flush(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		stdout_closed = true;
	else if (!stdout_failed)
		ct_warn("cannot write output: %s", strerror(errno));
	stdout_failed = !stdout_closed;
	clearerr(stdout);
	return -1;
}

/* Say how many lines a stdout that did not drain in time cost. */
static void report_dropped(void)
{
	if (out.dropped == out.reported)
		return;
	ct_warn("dropped %llu lines of output: stdout did not drain in time",
		(unsigned long long)(out.dropped - out.reported));
	out.reported = out.dropped;
}

int ct_exit_code(int err)
{
	ct_flush();
	report_dropped();
	if (err)
		return err;
	return stdout_failed ? CT_EXIT_ERROR : CT_EXIT_OK;
}

/* Nanoseconds from now to end_ns (0 if past), at most max_ns (< 0: none). */
static long long ns_until(__u64 end_ns, long long max_ns)
{
	__u64 now = ct_now_ns();

	if (now >= end_ns)
		return 0;
	if (max_ns < 0 || end_ns - now < (__u64)max_ns)
		return end_ns - now;
	return max_ns;
}

/* The same in milliseconds, rounded up (-1: none). */
static int ms_until(__u64 end_ns, int max_ms)
{
	long long ns = ns_until(end_ns, max_ms < 0 ? -1 : max_ms * 1000000LL);

	return ns < 0 ? -1 : (ns + 999999) / 1000000;
}

/* Milliseconds to the next wake-up: at most max_ms (-1: none), not past -d. */
static int timeout_ms(int max_ms)
{
	return deadline_ns ? ms_until(deadline_ns, max_ms) : max_ms;
}

/* The same in nanoseconds (negative: none). */
static long long timeout_ns(long long max_ns)
{
	return deadline_ns ? ns_until(deadline_ns, max_ns) : max_ns;
}

bool ct_wait(double secs)
{
	__u64 end = secs > 0 ? ct_now_ns() + (__u64)(secs * 1e9) : 0;

	while (!ct_stopping()) {
		__u64 now = ct_now_ns();
		int ms = timeout_ms(1000);
		struct timespec ts;

		if (end && now >= end)
			return false;
		if (end && (end - now) / 1000000 < (__u64)ms)
			ms = (end - now + 999999) / 1000000;
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
	return true;
}

int ct_print_intervals(double interval, long count, int (*print)(void *ctx),
		       void *ctx)
{
	long printed = 0;
	bool stop;
	int err;

	/* The header is out (run()): what comes back is what the loop runs. */
	ct_drop_code_pages();
	do {
		stop = ct_wait(interval);
		err = print(ctx);
	} while (!err && !stop && !ct_stopping() &&
		 !(count && ++printed >= count));
	return ct_exit_code(err);
}

struct consumer {
	ct_event_fn fn;
	void *ctx;
	int exit_code;		/* set when fn asks to stop */
	bool stop;
	bool draining;		/* the last read, after detaching */
	__u64 received;
	__u64 perf_lost;	/* perf records not copied (no memory) */
	__u64 reported_lost;
	__u64 last_report_ns;
	__u64 last_report_received;	/* received then */
	__u64 last_prom_ns;
	__u64 nap_ns;		/* how long the loop naps after taking events */
	__u64 look_ns;		/* when it last went to nap or to sleep */
	__u64 look_taken;	/* the bytes it had read by then */
	bool napped;		/* it napped, not slept, before the last batch */
	bool behind;		/* the last batch found the kernel's mark */
	__u64 naps;
	int stats_fd;
	int ncpu;		/* possible CPUs, for per-CPU counters */
	volatile __u32 *reader;	/* where the BPF side sees us, or NULL */
	volatile __u32 *stopped;	/* the BPF side's stop flag, or NULL */
	void *aligned;		/* copy of a perf record, see on_perf_event() */
	size_t aligned_size;
};

static int on_event(struct consumer *c, const void *data, size_t size)
{
	int ret;

	c->received++;
	ret = c->fn(c->ctx, data, size);
	if (ret) {
		c->stop = true;
		c->exit_code = ret > 0 ? ret : CT_EXIT_OK;
	}
	return c->stop ? -ECANCELED : 0;
}

static int on_ringbuf_event(void *ctx, void *data, size_t size)
{
	struct consumer *c = ctx;
	int err;

	if (c->stop)
		return -ECANCELED;
	err = on_event(c, data, size);
	/*
	 * A stop signal ends this read, which a busy kernel side could keep
	 * going: the last drain, after detaching, reads the rest.
	 */
	if (!err && stop_signal && !c->draining)
		return -EINTR;
	return err;
}

/*
 * Perf buffer records are only 4-byte aligned, and events hold 64-bit
 * fields: hand the tool an aligned copy (ring buffer records are aligned).
 */
static void on_perf_event(void *ctx, int cpu, void *data, __u32 size)
{
	struct consumer *c = ctx;

	(void)cpu;
	if (c->stop)
		return;
	if ((uintptr_t)data % 8 == 0) {
		on_event(c, data, size);
		return;
	}
	if (size > c->aligned_size) {
		void *p = realloc(c->aligned, size);

		if (!p) {
			c->perf_lost++;
			return;
		}
		c->aligned = p;
		c->aligned_size = size;
	}
	memcpy(c->aligned, data, size);
	on_event(c, c->aligned, size);
}

/*
 * bpf_map_lookup_elem() without libbpf: the event loop runs none of its
 * code, which then stays out of memory (ct_drop_code_pages()).
 */
static int lookup(int fd, const void *key, void *value)
{
	union bpf_attr attr = {
		.map_fd = fd,
		.key = (uintptr_t)key,
		.value = (uintptr_t)value,
	};

	return syscall(__NR_bpf, BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr));
}

/* Sum the per-CPU counters the BPF side keeps. */
static struct ct_stats read_stats(const struct consumer *c)
{
	struct ct_stats total = {}, *percpu;
	__u32 zero = 0;

	if (c->stats_fd < 0 || c->ncpu <= 0)
		return total;
	percpu = calloc(c->ncpu, sizeof(*percpu));
	if (percpu && !lookup(c->stats_fd, &zero, percpu)) {
		for (int i = 0; i < c->ncpu; i++) {
			total.sent += percpu[i].sent;
			total.dropped += percpu[i].dropped;
			total.woken += percpu[i].woken;
			total.woken_backlog += percpu[i].woken_backlog;
		}
	}
	free(percpu);
	return total;
}

static __u64 lost_so_far(struct consumer *c, struct ct_stats *st)
{
	*st = read_stats(c);
	return st->dropped + c->perf_lost;
}

/* The in-band loss record: a JSON line that no event looks like. */
static void json_lost(__u64 lost, __u64 total, bool final)
{
	struct ct_json j;
	char when[40];

	ct_json_begin(&j, stdout);
	ct_json_str(&j, "type", "lost");
	ct_json_str(&j, "time", ct_fmt_iso8601(when, sizeof(when),
					       ct_now_ns()));
	ct_json_uint(&j, "lost", lost);
	ct_json_uint(&j, "lost_total", total);
	ct_json_bool(&j, "final", final);
	ct_json_end(&j);
	ct_flush();
}

static void in_band_lost(__u64 lost, __u64 total, bool final)
{
	if (ct_env.json)
		json_lost(lost, total, final);
	if (ct_env.journal)
		ct_journal_lost(lost, total, final);
}

/* --prom-textfile: the health metrics, every --prom-interval. */
static void write_prom(struct consumer *c, bool now)
{
	struct ct_prom_health h = { .events = true };
	struct ct_stats st;
	__u64 t = ct_now_ns();

	if (!ct_env.prom_dir || (!now && t - c->last_prom_ns <
				 (__u64)(ct_env.prom_interval * 1e9)))
		return;
	c->last_prom_ns = t;
	h.lost = lost_so_far(c, &st);
	h.sent = st.sent;
	h.received = c->received;
	if (ct_prom_begin())
		ct_prom_commit(&h);
}

static void report_lost(struct consumer *c, bool final)
{
	struct ct_stats st;
	__u64 lost = lost_so_far(c, &st);

	if (final) {
		if (lost)
			in_band_lost(lost - c->reported_lost, lost, true);
		ct_verbose("%llu events sent by the kernel, %llu received, "
			   "%llu lost", (unsigned long long)st.sent,
			   (unsigned long long)c->received,
			   (unsigned long long)lost);
		ct_verbose("the kernel woke the reader %llu times asleep, "
			   "and %llu of its %llu naps",
			   (unsigned long long)st.woken,
			   (unsigned long long)st.woken_backlog,
			   (unsigned long long)c->naps);
		if (lost)
			ct_warn("lost %llu events in total",
				(unsigned long long)lost);
		return;
	}
	if (lost > c->reported_lost) {
		ct_warn("lost %llu events",
			(unsigned long long)(lost - c->reported_lost));
		in_band_lost(lost - c->reported_lost, lost, false);
	}
	c->reported_lost = lost;
}

static void maybe_report_lost(struct consumer *c)
{
	__u64 now = ct_now_ns();

	if (now - c->last_report_ns < LOST_REPORT_NS)
		return;
	c->last_report_ns = now;
	c->last_report_received = c->received;
	report_lost(c, false);
}

/* A ring buffer or a perf buffer, behind the same calls. */
struct buffer {
	void *buf;
	/* < 0: no timeout; nap: not woken by events waiting (ringbuf.h) */
	int (*poll)(void *buf, long long timeout_ns, bool nap);
	int (*consume)(void *buf);
	/* Bytes read so far, and waiting; NULL for a perf buffer. */
	unsigned long long (*taken)(void *buf);
	unsigned long long (*waiting)(void *buf);
	size_t size;		/* the ring's */
};

static bool stdout_is_fifo(void)
{
	static int fifo = -1;
	struct stat st;

	if (fifo < 0)
		fifo = !fstat(STDOUT_FILENO, &st) && S_ISFIFO(st.st_mode);
	return fifo;
}

/* Woken by the kernel side, or by the reader of a pipe on stdout leaving. */
static int rb_poll(void *rb, long long ns, bool nap)
{
	return ct_ringbuf_wait(rb, ns, nap,
			       stdout_is_fifo() ? STDOUT_FILENO : -1);
}

static unsigned long long rb_taken(void *rb)
{
	return ct_ringbuf_taken(rb);
}

static unsigned long long rb_waiting(void *rb)
{
	return ct_ringbuf_waiting(rb);
}

static int rb_consume(void *rb)
{
	return ct_ringbuf_consume(rb);
}

static int pb_poll(void *pb, long long ns, bool nap)
{
	(void)nap;	/* woken by every event anyway */
	return perf_buffer__poll(pb, ns < 0 ? -1 : (ns + 999999) / 1000000);
}

static int pb_consume(void *pb)
{
	return perf_buffer__consume(pb);
}

/*
 * Where this loop is, for the BPF side (events.bpf.h): it wakes a loop
 * asleep for the next event, but one napping only for a backlog. Asleep
 * is said before the wait looks at the ring (ct_ringbuf_wait()), and seen
 * by every send that look does not see (a full barrier between, as in
 * the kernel's commit).
 */
static void tell_reader(struct consumer *c, enum ct_reader_state state)
{
	if (c->reader)
		__atomic_store_n(c->reader, state, __ATOMIC_SEQ_CST);
}

/*
 * How long a loop that took no events sleeps: until woken by the next one
 * (the BPF side's wake-up is exact), or until what is due: a report of
 * events lost while some were taken, --prom-textfile. With a perf buffer,
 * POLL_MS at most, as it always was.
 */
static int idle_ms(const struct consumer *c)
{
	int ms = c->reader ? -1 : POLL_MS;

	if (c->received != c->last_report_received)
		ms = ms_until(c->last_report_ns + LOST_REPORT_NS, ms);
	if (ct_env.prom_dir)
		ms = ms_until(c->last_prom_ns +
			      (__u64)(ct_env.prom_interval * 1e9), ms);
	return ms;
}

#define NAP_MIN_NS (CT_NAP_MIN_US * 1000ULL)
#define NAP_MAX_NS (CT_WAKEUP_MS * 1000000ULL)

/*
 * The nap after a batch: as long as 1/CT_NAP_FILL of the ring takes to
 * come at the rate of the bytes read since the last look, so that at a
 * steady rate the loop looks again long before the BPF side's mark, which
 * then never wakes it (events.h). After a sleep, the batch says nothing
 * of the rate (one event may have ended it): the last nap again. Without
 * a byte count (perf buffer), CT_WAKEUP_MS.
 */
static __u64 next_nap_ns(struct consumer *c, const struct buffer *b,
			 __u64 now, unsigned long long taken)
{
	double bytes = taken - c->look_taken, ns;

	if (!b->taken)
		return NAP_MAX_NS;
	if (!c->napped || !bytes)
		return c->nap_ns;
	ns = (double)(now - c->look_ns) * (b->size / CT_NAP_FILL) / bytes;
	if (ns < NAP_MIN_NS)
		return NAP_MIN_NS;
	return ns < NAP_MAX_NS ? (__u64)ns : NAP_MAX_NS;
}

/* Where the loop goes to nap or to sleep: the start of the next span. */
static void look(struct consumer *c, const struct buffer *b, bool nap)
{
	__u64 now = ct_now_ns();
	unsigned long long taken = b->taken ? b->taken(b->buf) : 0;

	if (nap)
		c->nap_ns = next_nap_ns(c, b, now, taken);
	c->look_ns = now;
	c->look_taken = taken;
	c->napped = nap;
}

/* How long the loop waits now (negative: until woken). */
static long long wait_ns(const struct consumer *c, bool nap)
{
	int ms;

	if (nap)
		return timeout_ns(c->nap_ns);
	ms = timeout_ms(idle_ms(c));
	return ms < 0 ? -1 : ms * 1000000LL;
}

/*
 * After taking events the loop naps (next_nap_ns()), and the events sent
 * in between wait in the buffer, read in one batch; but not after a batch
 * that found the kernel's mark waiting: behind, it reads on at once. With
 * a perf buffer, which wakes the loop for every event, the loop does the
 * same.
 */
static int poll_once(struct consumer *c, const struct buffer *b, bool nap)
{
	__u64 before = c->received;
	int err;

	look(c, b, nap);
	err = 0;
	if (!nap || !c->behind) {
		c->naps += nap;
		tell_reader(c, nap ? CT_READER_NAPPING : CT_READER_ASLEEP);
		err = b->poll(b->buf, wait_ns(c, nap), nap);
		tell_reader(c, CT_READER_AWAKE);
	}
	if (b->waiting)
		c->behind = b->waiting(b->buf) >= b->size / CT_WAKEUP_PART;
	if (err == 0)
		err = b->consume(b->buf);
	if (err == -EINTR || err == -ECANCELED)
		err = 0;
	if (err < 0)
		return err;
	return c->received > before;
}

/*
 * Has the reader of a pipe on stdout gone (| head)? A tool that prints
 * nothing until it ends (profile) would not learn it from a write.
 */
static bool stdout_reader_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO };

	return stdout_is_fifo() && poll(&p, 1, 0) == 1 &&
	       (p.revents & POLLERR);
}

/*
 * Refuse every send from now on (events.bpf.h's ct_stopped), and wait out
 * the programs running: a grace period (MEMBARRIER_CMD_GLOBAL is
 * synchronize_rcu(), and BPF programs run under rcu_read_lock(), syscall
 * tracepoints' with preemption off too; none of ours is sleepable). Then
 * the last drain takes every event sent, and the detach can come after
 * the last lines and the report: closing a syscall tracepoint's perf
 * event waits ~0.1 s on 6.18. False if the sends go on (no flag, or no
 * grace period: nohz_full).
 */
static bool stop_sends(struct consumer *c)
{
	if (!c->stopped)
		return false;
	__atomic_store_n(c->stopped, 1, __ATOMIC_SEQ_CST);
	if (!syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0))
		return true;
	ct_verbose("stop: no grace period to wait (membarrier: %s): "
		   "detaching before the last read", strerror(errno));
	return false;
}

static int poll_loop(struct consumer *c, const struct buffer *b)
{
	int got = 0;

	/* The header, before a sleep that may last until the first event. */
	ct_flush();
	ct_drop_code_pages();
	while (!c->stop && !ct_stopping()) {
		got = poll_once(c, b, got > 0);
		if (got < 0)
			break;
		ct_flush();
		if (stdout_reader_gone())
			stdout_closed = true;
		maybe_report_lost(c);
		write_prom(c, false);
	}
	/*
	 * What was sent before the stop still gets printed, and nothing comes
	 * after the last drain, so that the counts add up: the sends stop, or
	 * else the programs are detached first.
	 */
	if (!stop_sends(c))
		ct_detach();
	c->draining = true;
	if (!c->stop && !stdout_closed && got >= 0)
		b->consume(b->buf);
	return got < 0 ? CT_EXIT_ERROR : 0;
}

static int consume_ringbuf(struct consumer *c, int fd)
{
	struct buffer b = { .poll = rb_poll, .consume = rb_consume,
			    .taken = rb_taken, .waiting = rb_waiting };
	int err;

	b.buf = ct_ringbuf_new(fd, on_ringbuf_event, c);
	if (!b.buf) {
		ct_warn("cannot open the ring buffer: %s", strerror(errno));
		return CT_EXIT_ERROR;
	}
	b.size = ct_ringbuf_size(b.buf);
	if (!c->reader) {
		ct_warn("internal error: no ct_reader");
		ct_ringbuf_free(b.buf);
		return CT_EXIT_ERROR;
	}
	err = poll_loop(c, &b);
	ct_ringbuf_free(b.buf);
	return err;
}

/*
 * The consumer of this run's events. Static: a perf buffer is opened
 * before the programs are attached (ct_open_perfbuf()), with it as its
 * callbacks' context, and ct_consume_events() fills it in later.
 */
static struct consumer consumer;
static struct perf_buffer *early_perfbuf;

int ct_open_perfbuf(struct bpf_object *obj)
{
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");

	if (!events || bpf_map__type(events) != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return 0;
	/*
	 * No callback for the kernel's lost records: each is an event whose
	 * bpf_perf_event_output() failed, which the BPF side has counted.
	 */
	early_perfbuf = perf_buffer__new(bpf_map__fd(events),
					 ct_perfbuf_pages(), on_perf_event,
					 NULL, &consumer, NULL);
	if (!early_perfbuf) {
		ct_warn("cannot open the perf buffer: %s", strerror(errno));
		return CT_EXIT_ERROR;
	}
	return 0;
}

static int consume_perfbuf(struct consumer *c)
{
	struct buffer b = { .poll = pb_poll, .consume = pb_consume };
	int err;

	if (!early_perfbuf) {
		ct_warn("internal error: the perf buffer was not opened");
		return CT_EXIT_ERROR;
	}
	b.buf = early_perfbuf;
	err = poll_loop(c, &b);
	perf_buffer__free(early_perfbuf);
	early_perfbuf = NULL;
	return err;
}

int ct_consume_events(struct bpf_object *obj, ct_event_fn fn, void *ctx)
{
	struct bpf_map *events = bpf_object__find_map_by_name(obj, "events");
	struct bpf_map *stats = bpf_object__find_map_by_name(obj, "ct_stats");
	struct consumer *c = &consumer;
	int err;

	*c = (struct consumer){
		.fn = fn,
		.ctx = ctx,
		.stats_fd = stats ? bpf_map__fd(stats) : -1,
		.ncpu = libbpf_num_possible_cpus(),
		.last_report_ns = ct_now_ns(),
		.stopped = ct_stop_flag(obj),
		.nap_ns = NAP_MAX_NS,
	};
	write_prom(c, true);

	if (!events) {
		ct_warn("internal error: no events map");
		return CT_EXIT_ERROR;
	}
	if (bpf_map__type(events) == BPF_MAP_TYPE_RINGBUF) {
		c->reader = ct_reader_state(obj);
		err = consume_ringbuf(c, bpf_map__fd(events));
	} else
		err = consume_perfbuf(c);
	free(c->aligned);
	c->aligned = NULL;
	ct_flush();
	report_lost(c, true);
	if (!err && c->stop)
		err = c->exit_code;
	err = ct_exit_code(err);
	/* Last: it may take long (stop_sends()). */
	ct_detach();
	return err;
}
