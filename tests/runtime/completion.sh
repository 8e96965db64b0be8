# Bash completion (completion/coretrace.bash): options from the tool's own
# --help, users for -u, live PIDs for -p/--ppid, directories for -c.
# Needs bash, not root.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
script=$top/completion/coretrace.bash

# complete WORD...: print what bash would offer for the last word, one
# per line, as `execsnoop WORD...` typed at a prompt.
complete_words() {
	PATH=$CT_BIN:$PATH bash -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
		_coretrace_complete "$1"
		((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}"
		' sh "$script" "$@" \
		>"$out" 2>"$err" || ct_fail "bash failed"
}

if ! command -v bash >/dev/null 2>&1; then
	ct_case "completion"
	ct_skip "bash is not installed"
	exit 0
fi
if [ ! -x "$CT_BIN/execsnoop" ]; then
	ct_case "completion"
	ct_skip "execsnoop is not built"
	exit 0
fi

ct_case "completion: the script registers every tool of the tree"
bash -c '. "$1" && complete -p' sh "$script" >"$out" 2>"$err" ||
	ct_fail "sourcing failed"
for d in "$top"/tools/*/; do
	t=$(basename "$d")
	expect_line "complete -F _coretrace_complete $t"
done
ct_done

ct_case "completion: long options by prefix, from --help"
complete_words execsnoop --p
sort "$out" >"$CT_TMP/s" && mv "$CT_TMP/s" "$out"
expect_line "--pid"
expect_line "--ppid"
expect_line "--print-uid"
expect_line "--prom-instance"
expect_line "--prom-interval"
expect_line "--prom-textfile"
[ "$(wc -l <"$out")" -eq 6 ] || ct_fail "expected exactly 6 matches"
ct_done

ct_case "completion: every option of each tool's --help is offered"
for b in "$CT_BIN"/*; do
	[ -f "$b" ] && [ -x "$b" ] || continue
	t=$(basename "$b")
	complete_words "$t" -
	cp "$out" "$CT_TMP/offered"
	# Long options in the option column (not the examples).
	"$b" --help | sed -n 's/^ \{1,8\}-[^ ]*,\{0,1\} *\(--[a-z0-9-]*\).*/\1/p;
		s/^ \{1,8\}\(--[a-z0-9-]*\).*/\1/p' | sort -u >"$CT_TMP/long"
	[ -s "$CT_TMP/long" ] || ct_fail "$t: no long option in --help"
	while read -r o; do
		grep -Fxq -- "$o" "$CT_TMP/offered" ||
			ct_fail "$t: $o not offered"
	done <"$CT_TMP/long"
done
ct_done

ct_case "completion: -u and --uid= complete user names"
complete_words execsnoop -u ro
expect_line "root"
complete_words execsnoop --uid = ro
expect_line "root"
complete_words execsnoop --uid=ro
ct_done

ct_case "completion: -p and --ppid complete live PIDs"
"$TRIGGER" sleep 5 >/dev/null 2>&1 &
sleeper=$!
complete_words execsnoop -p "$sleeper"
expect_line "$sleeper"
complete_words execsnoop --ppid = "$sleeper"
expect_line "$sleeper"
kill "$sleeper" 2>/dev/null
wait "$sleeper" 2>/dev/null
complete_words execsnoop -p "$sleeper"
expect_no_line "$sleeper"
ct_done

ct_case "completion: -c completes directories only"
mkdir -p "$CT_TMP/cg/sub1" "$CT_TMP/cg/sub2"
: >"$CT_TMP/cg/file"
complete_words execsnoop -c "$CT_TMP/cg/"
expect_line "$CT_TMP/cg/sub1"
expect_line "$CT_TMP/cg/sub2"
expect_no_line "$CT_TMP/cg/file"
ct_done

# The script completes -c with cgroup directories in every tool: -c must
# be --cgroup wherever it exists.
ct_case "completion: -c is --cgroup=PATH in every tool that has it"
for d in "$top"/tools/*/; do
	t=$(basename "$d")
	[ -x "$CT_BIN/$t" ] || continue
	c=$("$CT_BIN/$t" --help 2>&1 | grep -- '^ *-c, ')
	case $c in
	"" | *"-c, --cgroup=PATH "*) ;;
	*) ct_fail "$t: $c" ;;
	esac
done
complete_words opensnoop -c "$CT_TMP/cg/"
expect_line "$CT_TMP/cg/sub1"
expect_no_line "$CT_TMP/cg/file"
ct_done

ct_case "completion: no file names after an option taking a number"
complete_words execsnoop -d ""
[ -s "$out" ] && ct_fail "offered: $(head -3 "$out" | tr '\n' ' ')"
ct_done

ct_case "completion: --fields completes the tool's field names"
complete_words execsnoop --fields = pid,co
expect_line "pid,comm"
complete_words execsnoop --fields=+us
expect_line "--fields=+user"
complete_words execsnoop --fields = he
expect_line "help"
complete_words bashreadline --fields = li
expect_line "line"
complete_words opensnoop --fields = pid,full
expect_line "pid,full_path"
ct_done

ct_case "completion: --prom-textfile=DIR completes directories"
mkdir -p "$CT_TMP/promdir"
: >"$CT_TMP/promfile"
complete_words runqlat "--prom-textfile=$CT_TMP/prom"
expect_line "--prom-textfile=$CT_TMP/promdir"
expect_no_line "--prom-textfile=$CT_TMP/promfile"
ct_done
