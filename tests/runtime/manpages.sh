# Man pages: every built tool has man/<tool>.8, every page passes a roff
# linter, and every option a tool's --help prints is in its page, so that
# the two cannot drift apart. Needs no root.
# The pages checked are those make generates next to CT_BIN (build/man/),
# which make install installs: man/<tool>.8 with its FLEET section filled
# in from man/fleet-*.8.in (scripts/gen-man.sh).
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
gen=$(dirname "$CT_BIN")/man

# The built tools: executables directly in CT_BIN (helpers are in tests/).
built_tools() {
	for b in "$CT_BIN"/*; do
		[ -f "$b" ] && [ -x "$b" ] && basename "$b"
	done
}

# The options in argp's --help: "  -p, --pid=PID   text", "      --json".
help_options() {
	"$CT_BIN/$1" --help | awk '
	match($0, /^ +-/) && RLENGTH <= 9 {
		for (i = 1; i <= NF; i++) {
			w = $i
			if (w !~ /^-/)
				break
			sub(/,$/, "", w)
			sub(/[=[].*/, "", w)
			print w
		}
	}' | sort -u
}

# The words of a man page as a reader sees them: "\-\-pid" is "--pid",
# font changes are gone; one word per line.
page_words() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f\[[A-Z]*\]//g' \
		-e 's/\\&//g' -e 's/\\(en/-/g' "$1" |
		tr -cs 'A-Za-z0-9?_-' '\n' | sort -u
}

# Print the linter's complaints about page $1; nothing if clean.
lint() {
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -Tlint -Wwarning "$1" 2>&1
	else
		groff -ww -z -man "$1" 2>&1
	fi
}

have_linter=
if command -v mandoc >/dev/null 2>&1 || command -v groff >/dev/null 2>&1
then
	have_linter=1
fi

# Every source page says where the FLEET section goes, exactly once, and
# every generated page has the section and no marker left.
for src in "$top"/man/*.8; do
	[ -f "$src" ] || continue
	name=$(basename "$src")
	ct_case "man: man/$name has a FLEET marker, build/man/$name the section"
	n=$(grep -Ec '^\.\\" @FLEET (event|aggregate)@$' "$src")
	[ "$n" = 1 ] || ct_fail "$n FLEET markers in man/$name, not 1"
	if [ ! -f "$gen/$name" ]; then
		ct_fail "no generated $gen/$name: run make"
	else
		grep -qx '\.SH FLEET' "$gen/$name" ||
			ct_fail "no .SH FLEET in the generated page"
		! grep -Eq '@FLEET|@TOOL@|@METRICS@' "$gen/$name" ||
			ct_fail "a marker is left in the generated page"
	fi
	ct_done
done

for page in "$gen"/*.8; do
	[ -f "$page" ] || continue
	ct_case "man: $(basename "$page") passes the linter"
	if [ -z "$have_linter" ]; then
		ct_skip "neither mandoc nor groff is installed"
		continue
	fi
	lint "$page" >"$out"
	[ -s "$out" ] && ct_fail "$(head -1 "$out")"
	ct_done
done

tools=$(built_tools)
[ -n "$tools" ] || {
	ct_case "man: built tools"
	ct_fail "no tool in $CT_BIN"
	ct_done
}

# The tool whose page documents $1: a link's target (killsnoop is
# sigsnoop under another name, tools/sigsnoop/aliases), else $1.
page_tool() {
	if [ -L "$CT_BIN/$1" ]; then
		basename "$(readlink "$CT_BIN/$1")"
	else
		echo "$1"
	fi
}

for t in $tools; do
	own=$(page_tool "$t")
	page=$gen/$own.8
	ct_case "man: $t has man/$own.8 naming it"
	if [ ! -f "$page" ]; then
		ct_fail "no $page"
		ct_done
		continue
	fi
	th=$(sed -n 's/^\.TH  *"\{0,1\}\([^ "]*\).*/\1/p' "$page" | head -1)
	[ "$(echo "$th" | tr 'A-Z' 'a-z')" = "$own" ] ||
		ct_fail ".TH names '$th', not $own"
	# make install links the alias's page to this one: NAME names both.
	awk '/^\.SH/ { n = ($2 == "NAME") } n' "$page" |
		sed 's/\\-/-/g' | tr -cs 'A-Za-z0-9_-' '\n' | grep -Fxq "$t" ||
		ct_fail "the NAME section does not name $t"
	grep -q '^\.TH  *"\{0,1\}[^ ]*"\{0,1\}  *8[ "]' "$page" ||
		ct_fail ".TH is not section 8"
	ct_done

	# Under another name the tool names its journal entries, metrics and
	# files after it: the FLEET section says so.
	if [ "$own" != "$t" ]; then
		ct_case "man: the FLEET section of man/$own.8 names $t"
		awk '/^\.SH/ { f = ($2 == "FLEET") } f' "$page" |
			grep -A3 -x 'Run as' | grep -qx "\.B $t" ||
			ct_fail "no 'Run as $t' in the FLEET section"
		ct_done
	fi

	ct_case "man: every option of $t --help is in man/$own.8"
	help_options "$t" >"$CT_TMP/opts"
	[ -s "$CT_TMP/opts" ] || ct_fail "no option parsed from $t --help"
	grep -qx -- '--help' "$CT_TMP/opts" ||
		ct_fail "$t --help does not list --help: parser broken?"
	page_words "$page" >"$CT_TMP/words"
	missing=
	while read -r o; do
		grep -Fxq -- "$o" "$CT_TMP/words" || missing="$missing $o"
	done <"$CT_TMP/opts"
	[ -z "$missing" ] || ct_fail "not in man/$own.8:$missing"
	ct_done
done

# The JSON lines of a page's examples (.EX/.EE, .nf/.fi), as a reader sees
# them: every example line that starts with "{" is one whole object.
json_examples() {
	awk '/^\.(EX|nf)/ { ex = 1; next } /^\.(EE|fi)/ { ex = 0; next }
		ex { print }' "$1" |
		sed -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' | grep '^{'
}

# The pages whose JSON examples are one object per line, exactly as the
# tool prints it. execsnoop.8, opensnoop.8 and syscount.8 still wrap
# theirs over several lines: add them here once they do not.
for t in bashreadline biolatency bindsnoop exitsnoop mountsnoop runqlat \
	sigsnoop solisten statsnoop tcprtt tcpsynbl; do
	page=$gen/$t.8
	ct_case "man: the JSON examples of $t.8 are valid JSON lines"
	if ! have_python; then
		ct_skip "no python3 to parse JSON"
		continue
	fi
	json_examples "$page" >"$CT_TMP/json"
	[ -s "$CT_TMP/json" ] || ct_fail "no JSON example in $t.8"
	python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip("\n")
    try:
        o = json.loads(line)
    except ValueError as e:
        sys.exit("example %d: %s: %s" % (n, e, line[:60]))
    if not isinstance(o, dict) or "time" not in o:
        sys.exit("example %d: not an object with a time" % n)
' "$CT_TMP/json" 2>"$err" || ct_fail "bad JSON: $(head -1 "$err")"
	ct_done
done

# "name  description" lines of the FIELDS section of page $1, as a reader
# sees them.
page_fields() {
	awk '/^\.SH/ { in_f = ($2 == "FIELDS") } in_f' "$1" |
		sed -e 's/\\-/-/g' -e 's/\\e/\\/g' | awk '
		/^\.TP/ { if (name != "") print name "  " desc
			  name = ""; desc = ""; tp = 1; next }
		tp && /^\.B / { name = $2; tp = 0; next }
		name != "" && !/^\./ { desc = desc (desc == "" ? "" : " ") $0 }
		END { if (name != "") print name "  " desc }'
}

# Tools with columns: their man page lists the fields as --fields=help
# does, so that the page cannot disagree with the tool.
for t in $tools; do
	"$CT_BIN/$t" --help | grep -q -- '--fields=' || continue
	own=$(page_tool "$t")
	ct_case "man: the FIELDS of man/$own.8 are those of $t --fields=help"
	"$CT_BIN/$t" --fields=help | sed 's/^\([^ ]*\)  */\1  /' \
		>"$CT_TMP/help_fields"
	page_fields "$gen/$own.8" >"$CT_TMP/page_fields"
	[ -s "$CT_TMP/page_fields" ] || ct_fail "no FIELDS section"
	diff "$CT_TMP/help_fields" "$CT_TMP/page_fields" >"$CT_TMP/diff" ||
		ct_fail "differ: $(grep '^[<>]' "$CT_TMP/diff" | head -2 |
			tr '\n' ' ')"
	ct_done
done
