#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# gen-man.sh PAGE TOOL TEMPLATE_DIR [ALIAS...]: print man page PAGE with
# its FLEET section filled in, so that the section common to every tool
# exists once (TEMPLATE_DIR/fleet-event.8.in, fleet-aggregate.8.in).
#
# In PAGE, the line
#	.\" @FLEET event@
# becomes fleet-event.8.in; the lines
#	.\" @FLEET aggregate@
#	...this tool's metrics...
#	.\" @FLEET end@
# become fleet-aggregate.8.in, its line @METRICS@ replaced by the lines
# between the two markers. @TOOL@ in a template is TOOL: the name the tool
# gives itself in metric names, files and journal entries, whatever name it
# is installed under. Run under an ALIAS (killsnoop), it gives itself that
# name instead: @ALIASES@ says so. Comment lines of a template are its own,
# not output.
set -eu
[ $# -ge 3 ] || {
	echo "usage: $0 PAGE TOOL TEMPLATE_DIR [ALIAS...]" >&2
	exit 2
}
page=$1 tool=$2 dir=$3
shift 3

awk -v tool="$tool" -v dir="$dir" -v page="$page" -v aliases="$*" '
function die(msg) {
	printf "%s:%d: %s\n", page, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}
# Print template KIND, @TOOL@ substituted, @METRICS@ replaced by METRICS.
function emit(kind, metrics,	file, line, r) {
	file = dir "/fleet-" kind ".8.in"
	while ((r = (getline line < file)) > 0) {
		if (line ~ /^\.\\"/)
			continue
		if (line == "@METRICS@") {
			printf "%s", metrics
			continue
		}
		if (line == "@ALIASES@") {
			alias_notes()
			continue
		}
		gsub(/@TOOL@/, tool, line)
		print line
	}
	if (r < 0)
		die("cannot read " file)
	close(file)
}
function alias_notes(	n, i, a) {
	n = split(aliases, a, " ")
	for (i = 1; i <= n; i++)
		printf ".PP\nRun as\n.BR %s ,\nthe tool names itself\n.B %s\n" \
			"where this section says\n.BR %s .\n", a[i], a[i], tool
}
/^\.\\" @FLEET event@$/ {
	if (in_block)
		die("@FLEET event@ inside @FLEET aggregate@")
	emit("event", "")
	next
}
/^\.\\" @FLEET aggregate@$/ {
	if (in_block)
		die("@FLEET aggregate@ twice")
	in_block = 1
	block = ""
	next
}
/^\.\\" @FLEET end@$/ {
	if (!in_block)
		die("@FLEET end@ without @FLEET aggregate@")
	in_block = 0
	emit("aggregate", block)
	next
}
/^\.\\" @FLEET/ { die("unknown marker: " $0) }
in_block { block = block $0 "\n"; next }
{ print }
END {
	if (in_block && !failed)
		die("@FLEET aggregate@ without @FLEET end@")
}' "$page"
