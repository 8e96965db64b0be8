# bash completion for the coretrace tools                  -*- shell-script -*-
#
# One script for every tool: options come from the tool's own --help, so
# they cannot drift from it. Option arguments are completed by meaning:
# users for -u/--uid, process IDs for -p/--pid/--ppid/--tid, cgroup
# directories for -c/--cgroup, directories for --prom-textfile, files for
# options taking a PATH or FILE, the tool's field names for --fields.
#
# `make install` puts a copy under each tool's installed name (with
# TOOL_PREFIX/TOOL_SUFFIX) and replaces the list on the last line by the
# installed names. From a source tree: source completion/coretrace.bash.

# Print the tool's options, one per line, those taking an argument as
# "--name=" or "-x=". Cached per command.
_coretrace_options()
{
	local cmd=$1 var
	var=_coretrace_opts_$(printf '%s' "$cmd" | tr -c 'A-Za-z0-9_' _)
	if [[ -z ${!var+set} ]]; then
		printf -v "$var" '%s' "$(LC_ALL=C "$cmd" --help 2>/dev/null |
			_coretrace_parse_help | awk '!seen[$0]++')"
	fi
	printf '%s\n' "${!var}"
}

# argp's --help: "  -p, --pid=PID   text" or "      --json   text".
_coretrace_parse_help()
{
	local line word arg
	while IFS= read -r line; do
		[[ $line =~ ^\ {1,8}(-[^\ ].*) ]] || continue
		arg=
		[[ $line =~ ^\ *(-[^\ ,]*(,\ -[^\ ,]*)*) ]] || continue
		[[ ${BASH_REMATCH[1]} == *=* ]] && arg==
		for word in ${BASH_REMATCH[1]//,/ }; do
			word=${word%%=*}
			word=${word%%[*}
			[[ $word == -\? ]] && continue
			# A short option's argument shows only on its long form.
			printf '%s%s\n' "$word" "$arg"
		done
	done
}

_coretrace_pids()
{
	local d
	for d in /proc/[0-9]*; do
		printf '%s\n' "${d#/proc/}"
	done
}

# Complete the argument of option $1 (without any "=value").
_coretrace_complete_arg()
{
	local opt=$1 cur=$2
	case $opt in
	-u | --uid | --user)
		COMPREPLY=($(compgen -u -- "$cur"))
		;;
	-p | --pid | --ppid | --tid)
		COMPREPLY=($(compgen -W "$(_coretrace_pids)" -- "$cur"))
		;;
	-c | --cgroup)
		# cgroup v2 directories; start at the mount if nothing typed.
		if [[ -z $cur ]]; then
			local mnt
			mnt=$(awk '$3 == "cgroup2" { print $2; exit }' \
				/proc/mounts 2>/dev/null)
			[[ -n $mnt ]] && cur=$mnt/
		fi
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	--fields)
		_coretrace_fields "$cur"
		;;
	--prom-textfile)
		COMPREPLY=($(compgen -d -- "$cur"))
		;;
	*)
		return 1
		;;
	esac
	return 0
}

# --fields=LIST: the tool's field names after the last comma ($cmd is the
# caller's), "+NAME" where the word starts with '+'.
_coretrace_fields()
{
	local cur=$1 word=${1##*,} names
	names=$(LC_ALL=C "$cmd" --fields=help 2>/dev/null | awk '{ print $1 }')
	[[ $word == +* ]] && names=$(printf '+%s\n' $names)
	[[ $cur == "$word" ]] && names+=" help"
	COMPREPLY=($(compgen -P "${cur%"$word"}" -W "$names" -- "$word"))
}

_coretrace_complete()
{
	local cmd=$1 cur=${COMP_WORDS[COMP_CWORD]} prev= opts o
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	opts=$(_coretrace_options "$cmd")

	# "--pid=12" is split into "--pid" "=" "12" when '=' is in
	# COMP_WORDBREAKS (the default); whole otherwise.
	if [[ $cur == = && $prev == --* ]]; then
		_coretrace_complete_arg "$prev" ""
		return 0
	fi
	if [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		_coretrace_complete_arg "${COMP_WORDS[COMP_CWORD - 2]}" "$cur"
		return 0
	fi
	if [[ $cur == --*=* ]]; then
		_coretrace_complete_arg "${cur%%=*}" "${cur#*=}" &&
			COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
		return 0
	fi
	# The previous word is an option that takes an argument: "-u root".
	if [[ $prev == -* ]]; then
		for o in $opts; do
			[[ $o == "$prev=" ]] || continue
			_coretrace_complete_arg "$prev" "$cur"
			return 0
		done
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "${opts//=/}" -- "$cur"))
	fi
	return 0
}

# From a source tree, the list is still a placeholder: use tools/*.
_coretrace_names='@TOOLS@'
if [[ $_coretrace_names == @* ]]; then
	_coretrace_names=
	for _coretrace_t in "$(dirname "${BASH_SOURCE[0]}")"/../tools/*/; do
		_coretrace_t=${_coretrace_t%/}
		_coretrace_names+=" ${_coretrace_t##*/}"
	done
	unset _coretrace_t
fi
complete -F _coretrace_complete $_coretrace_names
unset _coretrace_names
