// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz the parsers of numbers and durations (their non-exiting cores): any
 * string gives an error or a value within the promised bounds, and a value
 * is what the string says.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg = malloc(size + 1);
	double secs = -1;
	long v = 0;
	int err;

	if (!arg)
		abort();
	memcpy(arg, data, size);
	arg[size] = '\0';

	err = ct_duration_value(arg, &secs);
	if (err != 0 && err != -EINVAL && err != -ERANGE && err != -EDOM)
		abort();
	if (!err && (!isfinite(secs) || secs <= 0 || secs > 365.0 * 86400))
		abort();

	err = ct_long_value(arg, 1, 4194304, &v);
	if (err != 0 && err != -EINVAL && err != -ERANGE)
		abort();
	if (!err && (v < 1 || v > 4194304 || strtol(arg, NULL, 10) != v))
		abort();
	free(arg);
	return 0;
}
