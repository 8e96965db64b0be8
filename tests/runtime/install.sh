# make install / make uninstall into a DESTDIR, with a distro's naming prefix
# and suffix: the exact list of files, their modes, that the installed tool,
# man page and completion work under the new name, and that uninstall
# removes everything install put there. Needs no root.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
out_dir=$(dirname "$CT_BIN")

# Tools built into CT_BIN; install those (and so build nothing else).
# Links are a tool's other names (tools/T/aliases): they come with it.
tools=
for b in "$CT_BIN"/*; do
	[ -f "$b" ] && [ -x "$b" ] && [ ! -L "$b" ] &&
		tools="$tools $(basename "$b")"
done

# aliases_of TOOL: its other names.
aliases_of() {
	[ -f "$top/tools/$1/aliases" ] && cat "$top/tools/$1/aliases"
}

# run_make TARGET VAR=VALUE...: make in the source tree, output to $err.
run_make() {
	make -C "$top" --no-print-directory OUT="$out_dir" TOOLS="$tools" \
		"$@" >>"$err" 2>&1 || ct_fail "make $1 failed"
}

# expected_files PREFIX SUFFIX BINDIR MANDIR COMPLDIR: the sorted list.
expected_files() {
	for t in $tools; do
		for a in $t $(aliases_of "$t"); do
			n=$1$a$2
			echo "$3/$n"
			[ -f "$top/man/$t.8" ] && echo "$4/man8/$n.8"
			echo "$5/$n"
		done
	done | sort
}

installed_files() {
	(cd "$1" && find . ! -type d | sed 's|^\.||' | sort)
}

dest=$CT_TMP/dest

ct_case "install: TOOL_PREFIX=bpf- PREFIX=/usr puts exactly the expected files"
rm -rf "$dest"
run_make install DESTDIR="$dest" PREFIX=/usr TOOL_PREFIX=bpf-
expected_files bpf- "" /usr/sbin /usr/share/man \
	/usr/share/bash-completion/completions >"$CT_TMP/want"
installed_files "$dest" >"$CT_TMP/got"
if ! cmp -s "$CT_TMP/want" "$CT_TMP/got"; then
	diff "$CT_TMP/want" "$CT_TMP/got" | sed 's/^/    /'
	ct_fail "installed files differ from the expected list"
fi
[ -n "$tools" ] || ct_fail "no built tool in $CT_BIN"
for t in $tools; do
	f=$dest/usr/sbin/bpf-$t
	[ -x "$f" ] || ct_fail "bpf-$t is not executable"
	for g in "$dest/usr/share/man/man8/bpf-$t.8" \
		"$dest/usr/share/bash-completion/completions/bpf-$t"; do
		[ -f "$g" ] || continue
		case $(ls -l "$g") in
		-rw-r--r--*) ;;
		*) ct_fail "$g is not mode 0644" ;;
		esac
	done
done
ct_done

# make generates the pages, filling in the FLEET section common to all
# (scripts/gen-man.sh): the installed page is that one, not man/<tool>.8.
ct_case "install: the installed man pages are the generated ones"
for t in $tools; do
	[ -f "$top/man/$t.8" ] || continue
	g=$dest/usr/share/man/man8/bpf-$t.8
	cmp -s "$g" "$out_dir/man/$t.8" ||
		ct_fail "bpf-$t.8 is not $out_dir/man/$t.8"
	grep -qx '\.SH FLEET' "$g" || ct_fail "bpf-$t.8 has no FLEET section"
done
ct_done

ct_case "install: the installed tool runs under its new name"
bin=$dest/usr/sbin/bpf-execsnoop
if [ ! -x "$bin" ]; then
	ct_skip "execsnoop is not built"
else
	"$bin" --version >"$out" 2>"$err" || ct_fail "--version failed"
	expect_grep "^execsnoop (coretrace) $(cat "$top/VERSION")"
	ct_done
fi

ct_case "install: man -w finds the page under its new name"
if ! command -v man >/dev/null 2>&1; then
	ct_skip "man is not installed"
elif [ ! -f "$dest/usr/share/man/man8/bpf-execsnoop.8" ]; then
	ct_skip "no execsnoop man page"
else
	man -M "$dest/usr/share/man" -w bpf-execsnoop >"$out" 2>"$err" ||
		ct_fail "man -w bpf-execsnoop failed"
	expect_line "$dest/usr/share/man/man8/bpf-execsnoop.8"
	ct_done
fi

ct_case "install: another name of a tool is a link that runs as that name"
bin=$dest/usr/sbin/bpf-killsnoop
if [ ! -x "$dest/usr/sbin/bpf-sigsnoop" ]; then
	ct_skip "sigsnoop is not built"
else
	[ "$(readlink "$bin")" = bpf-sigsnoop ] ||
		ct_fail "bpf-killsnoop is not a link to bpf-sigsnoop"
	[ "$(readlink "$dest/usr/share/man/man8/bpf-killsnoop.8")" = \
		bpf-sigsnoop.8 ] || ct_fail "no man page link bpf-killsnoop.8"
	"$bin" --version >"$out" 2>"$err" || ct_fail "--version failed"
	expect_grep "^killsnoop (coretrace) $(cat "$top/VERSION")"
	"$dest/usr/sbin/bpf-sigsnoop" --version >"$out" 2>"$err" ||
		ct_fail "--version failed"
	expect_grep "^sigsnoop (coretrace) $(cat "$top/VERSION")"
	ct_done
fi

ct_case "install: the completion completes the prefixed names"
comp=$dest/usr/share/bash-completion/completions/bpf-execsnoop
if ! command -v bash >/dev/null 2>&1; then
	ct_skip "bash is not installed"
elif [ ! -f "$comp" ]; then
	ct_skip "execsnoop is not built"
else
	PATH=$dest/usr/sbin:$PATH bash -c '
		. "$1" || exit 1
		complete -p bpf-execsnoop || exit 1
		COMP_WORDS=(bpf-execsnoop --pp) COMP_CWORD=1
		_coretrace_complete bpf-execsnoop
		printf "reply %s\n" "${COMPREPLY[@]}"' sh "$comp" \
		>"$out" 2>"$err" || ct_fail "sourcing $comp failed"
	expect_grep "^complete -F _coretrace_complete .*bpf-execsnoop"
	expect_line "reply --ppid"
	expect_no_grep "@TOOLS@"
	ct_done
fi

ct_case "install: make uninstall removes everything install put"
run_make uninstall DESTDIR="$dest" PREFIX=/usr TOOL_PREFIX=bpf-
installed_files "$dest" >"$CT_TMP/got"
if [ -s "$CT_TMP/got" ]; then
	sed 's/^/    left: /' "$CT_TMP/got" | head
	ct_fail "files left after uninstall"
fi
ct_done

ct_case "install: BINDIR, MANDIR, COMPLETIONDIR and TOOL_SUFFIX"
rm -rf "$dest"
run_make install DESTDIR="$dest" PREFIX=/opt/ct BINDIR=/opt/ct/bin \
	MANDIR=/opt/ct/man COMPLETIONDIR=/opt/ct/comp TOOL_SUFFIX=-ct
expected_files "" -ct /opt/ct/bin /opt/ct/man /opt/ct/comp >"$CT_TMP/want"
installed_files "$dest" >"$CT_TMP/got"
cmp -s "$CT_TMP/want" "$CT_TMP/got" ||
	ct_fail "installed files differ: $(diff "$CT_TMP/want" "$CT_TMP/got" |
		grep '^[<>]' | head -3 | tr '\n' ' ')"
run_make uninstall DESTDIR="$dest" PREFIX=/opt/ct BINDIR=/opt/ct/bin \
	MANDIR=/opt/ct/man COMPLETIONDIR=/opt/ct/comp TOOL_SUFFIX=-ct
[ -z "$(installed_files "$dest")" ] || ct_fail "files left after uninstall"
ct_done
