# bashreadline: an interactive bash reading lines typed on a pty, each
# typed once the prompt is back (tests/helpers/ct-pty).
desc="ct-pty: bash --norc -i on a pty, a line typed at each prompt"
unit=line
count=1000
quick=500
match=ct-bench-line
floor="uret:/bin/bash:readline_internal_teardown"
reject="-c @EMPTY_CG@"
formats="--json --csv"
peer=bashreadline

run_load() {
	n=$1
	cr=$(printf '\r')
	set --
	while [ "$n" -gt 0 ]; do
		set -- "$@" ": ct-bench-line$cr"
		n=$((n - 1))
	done
	env PS1='ct-bench> ' HISTFILE="$TMP/history" TERM=dumb \
		"$BIN/tests/ct-pty" 'ct-bench> ' "$@" "exit$cr" -- \
		/bin/bash --norc --noprofile -i >/dev/null
}
