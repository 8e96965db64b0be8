// SPDX-License-Identifier: GPL-2.0
#include "args.h"
#include "stack_map.h"
#include "stack_opts.h"
#include "tool.h"

struct ct_stack_opts ct_stack_opts = { .storage = CT_STACK_ENTRIES };

static void check(void)
{
	if (ct_stack_opts.user_only && ct_stack_opts.kernel_only)
		ct_usage_error("-U and -K exclude each other");
	if (ct_stack_opts.folded && ct_env.json)
		ct_usage_error("-f/--folded and --json exclude each other");
}

int ct_stack_parse_opt(int key, const char *arg, struct argp_state *state)
{
	switch (key) {
	case 'U':
		ct_stack_opts.user_only = true;
		break;
	case 'K':
		ct_stack_opts.kernel_only = true;
		break;
	case 'f':
		ct_stack_opts.folded = true;
		break;
	case 'D':
		ct_stack_opts.delimited = true;
		break;
	case 'a':
		ct_stack_opts.addresses = true;
		break;
	case CT_OPT_STACK_STORAGE:
		ct_stack_opts.storage = ct_parse_long("--stack-storage-size",
						      arg, 1, 1 << 24);
		break;
	case ARGP_KEY_ARG:
		/* bcc's positional duration. */
		if (state->arg_num > 0)
			ct_usage_error("unexpected argument '%s'", arg);
		ct_env.duration = ct_parse_duration("duration", arg);
		break;
	case ARGP_KEY_END:
		check();
		return ARGP_ERR_UNKNOWN;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const char *ct_stack_opts_which(void)
{
	if (ct_stack_opts.user_only)
		return "user";
	return ct_stack_opts.kernel_only ? "kernel" : "user + kernel";
}
