# One meaning per option letter across the suite: where a tool has one of
# these letters, it is this long option, and that long option has no other
# letter (as each tool's --help says). Needs no root.
. "$(dirname "$0")/lib.sh"

# letter long-name: the letters whose meaning is fixed suite-wide.
FIXED='c cgroup
d duration
p pid
u uid
U print-uid
v verbose
V version'

# Stack tools keep bcc's -U, user stacks only (capable: the user stack of
# each check, as bcc's capable): they print no UID column.
ALSO='U user-stacks-only
U user-stack'

# "letter long" for each "  -x, --long..." line of tool $1's --help.
short_options() {
	"$CT_BIN/$1" --help | sed -n 's/^ \{1,8\}-\([A-Za-z]\), --\([a-z-]*\).*/\1 \2/p'
}

tools=
for b in "$CT_BIN"/*; do
	[ -f "$b" ] && [ -x "$b" ] && tools="$tools $(basename "$b")"
done
if [ -z "$tools" ]; then
	ct_case "options: built tools"
	ct_fail "no tool in $CT_BIN"
	ct_done
fi

for t in $tools; do
	ct_case "options: $t keeps the suite's meaning of its option letters"
	short_options "$t" >"$CT_TMP/opts"
	grep -q '^V version$' "$CT_TMP/opts" ||
		ct_fail "no '-V, --version' parsed from $t --help"
	echo "$FIXED" | while read -r letter long; do
		got=$(sed -n "s/^$letter //p" "$CT_TMP/opts")
		[ -z "$got" ] || [ "$got" = "$long" ] ||
			echo "$ALSO" | grep -Fxq "$letter $got" ||
			echo "-$letter is --$got, not --$long"
		got=$(sed -n "s/^\([A-Za-z]\) $long\$/\1/p" "$CT_TMP/opts")
		[ -z "$got" ] || [ "$got" = "$letter" ] ||
			echo "--$long is -$got, not -$letter"
	done >"$CT_TMP/bad"
	[ -s "$CT_TMP/bad" ] &&
		ct_fail "$(awk 'NR > 1 { printf "; " } { printf "%s", $0 }' \
			"$CT_TMP/bad")"
	ct_done
done
