// SPDX-License-Identifier: GPL-2.0
/*
 * Detaching several programs at once. The kernel ends each tracepoint's
 * perf attachment by waiting for its readers to be done (a grace period,
 * tracepoint_synchronize_unregister(): 50-90 ms a tracepoint on 6.18),
 * one after the other when the links are closed in turn: statsnoop's seven
 * took half a second to exit. Closed from a thread each, the waits overlap.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "detach.h"

static void *destroy_link(void *link)
{
	bpf_link__destroy(link);
	return NULL;
}

void ct_destroy_links(struct bpf_link **links, int n)
{
	pthread_t *threads = n > 1 ? calloc(n, sizeof(*threads)) : NULL;
	sigset_t all, old;
	int i, started = 0;

	/* The tool's signal handlers stay the main thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = n - 1; i >= 0 && threads; i--) {
		if (pthread_create(&threads[started], NULL, destroy_link,
				   links[i]))
			break;
		started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* What no thread took, in turn, newest first as before. */
	for (i = n - 1 - started; i >= 0; i--)
		bpf_link__destroy(links[i]);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
}
