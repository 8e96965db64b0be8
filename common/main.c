// SPDX-License-Identifier: GPL-2.0
/* ct_main(): the life of a tool, from its description. */
#include <stdio.h>
#include <bpf/libbpf.h>

#include "columns.h"
#include "hist_map.h"
#include "journal.h"
#include "maps.h"
#include "prom.h"
#include "tool.h"

static int load(const struct ct_tool *t, void *skel)
{
	struct bpf_object_skeleton *s = t->skel->skeleton(skel);

	if (t->attach)
		return ct_load_and_attach_own(s, t->attach, skel);
	return ct_load_and_attach(s);
}

/*
 * --json, --csv and --journal cost the reader one and a half to two times
 * text's time per event: a reader short of CPU (busy processes on every
 * CPU) falls further behind, and loses more from the same ring. mountsnoop,
 * 300,000 mounts beside three busy loops, three runs each: --json lost 626
 * to 33,376 events with 512 KiB, 0 to 1,917 with 2 MiB; text 0 to 12,347
 * with 512 KiB. The ring is not in the resident memory: ringbuf.c reads it
 * through a window. A tool's own size (opensnoop -b) comes after this, in
 * its configure.
 */
#define DATA_RING_SCALE 4

static void size_ring(const struct ct_tool *t, void *skel)
{
	struct bpf_object *obj = *t->skel->skeleton(skel)->obj;
	struct bpf_map *events;

	if (!t->on_event || !(ct_env.json || ct_env.csv || ct_env.journal))
		return;
	events = bpf_object__find_map_by_name(obj, "events");
	if (events && bpf_map__type(events) == BPF_MAP_TYPE_RINGBUF)
		bpf_map__set_max_entries(events, bpf_map__max_entries(events) *
					 DATA_RING_SCALE);
}

struct hist_run {
	const struct ct_hist_map *h;
	struct bpf_object *obj;
};

static int print_hists(void *ctx)
{
	const struct hist_run *r = ctx;

	return ct_print_hist_map(r->h, r->obj);
}

struct prom_run {
	const struct ct_tool *t;
	struct bpf_object *obj;
	void *skel;
};

/* --prom-textfile, aggregating tools: the metrics, with map_full. */
static int write_prom(void *ctx)
{
	const struct prom_run *r = ctx;
	struct ct_prom_health health = { .maps = true };
	struct bpf_map *missed;
	FILE *f = ct_prom_begin();
	int err;

	if (!f)
		return CT_EXIT_ERROR;
	err = r->t->hists ? ct_prom_hist_map(f, r->t->hists, r->obj) :
			    r->t->prom(f, r->skel);
	missed = bpf_object__find_map_by_name(r->obj, "ct_missed");
	if (missed)
		health.map_full = ct_map_percpu_sum(bpf_map__fd(missed));
	return err ? err : ct_prom_commit(&health);
}

/* Written at once, then every --prom-interval until stopped. */
static int run_prom(const struct ct_tool *t, struct bpf_object *obj,
		    void *skel)
{
	struct prom_run r = { t, obj, skel };
	int err = write_prom(&r);

	if (err)
		return err;
	return ct_print_intervals(ct_env.prom_interval, 0, write_prom, &r);
}

static int run(const struct ct_tool *t, void *skel)
{
	struct bpf_object *obj = *t->skel->skeleton(skel)->obj;
	struct hist_run hists = { t->hists, obj };

	if (ct_env.prom_dir && !t->on_event)
		return run_prom(t, obj, skel);
	if (t->on_event) {
		ct_fields_header();
		return ct_consume_events(obj, t->on_event, skel);
	}
	if (t->banner && !ct_env.json && !ct_env.csv) {
		printf("%s\n", t->banner);
		ct_flush();
	}
	/* CSV is one table: its header once, at the start. */
	if (ct_env.csv) {
		ct_fields_header();
		ct_flush();
	}
	if (t->hists)
		return ct_print_intervals(ct_env.interval, ct_env.count,
					  print_hists, &hists);
	return ct_print_intervals(ct_env.interval, ct_env.count, t->print,
				  skel);
}

int ct_main(const struct ct_tool *t, int argc, char **argv)
{
	void *skel;
	int err;

	ct_parse_args(t, argc, argv);
	err = ct_setup();
	if (!err && ct_env.journal)
		err = ct_journal_open();
	if (!err && ct_env.prom_dir)
		err = ct_prom_start();
	if (!err && t->prepare)
		err = t->prepare();
	if (err)
		return err;
	skel = t->skel->open();
	if (!skel) {
		ct_warn("cannot open the BPF object");
		return CT_EXIT_ERROR;
	}
	size_ring(t, skel);
	err = t->configure ? t->configure(skel) : 0;
	if (!err && t->hists)
		err = ct_hist_map_prepare(t->hists,
					  *t->skel->skeleton(skel)->obj);
	if (!err)
		err = ct_maps_sized_by_env(*t->skel->skeleton(skel)->obj);
	if (!err)
		err = load(t, skel);
	if (!err) {
		err = run(t, skel);
		if (t->map_full)
			ct_report_map_full(*t->skel->skeleton(skel)->obj,
					   t->map_full);
	}
	ct_detach();
	if (ct_env.prom_dir)
		ct_prom_stop();
	if (t->finish)
		t->finish(skel);
	t->skel->destroy(skel);
	return ct_exit_code(err);
}
