#!/bin/sh
# entente actors: which actors the dictionary finds, and where.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

have_python || skip_all "needs /usr/bin/python3"

write_actor_dict dict.tsv
cat >>dict.tsv <<'EOF'
USA	Joe Biden	role=USAGOV	from=2021-01-20	to=2025-01-20
EOF
# The shipped dictionary is loaded first and --actors adds to it; point the
# "shipped" one at an empty file so the rows below are exactly those of dict.tsv.
printf '# empty\n' >empty.tsv
ENTENTE_ACTORS="$T/empty.tsv"
export ENTENTE_ACTORS

# sentence 0: "us" only; 1: US, China's, Beijing; 2: two long multi-word names;
# 3: Taiwan's, Washington; 4: a leader (role on dates in office)
printf "%s\n" "Officials told us the talks would continue. The US and China's leaders met in Beijing. The People's Republic of China and the United States of America signed a deal. Taiwan's president thanked Washington. Joe Biden spoke." >a.txt

actors() {
	"$ENTENTE_BIN" actors --actors dict.tsv "$@"
}

# Rows of the last run as dicts keyed by the header (python prints them as JSON).
rows_json() {
	py '
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[-1] == "", "no final newline"
head = lines[0].split("\t")
print(json.dumps([dict(zip(head, l.split("\t"))) for l in lines[1:-1]]))
' "$T/stdout" >rows.json
}

t_rows() {
	assert_exit 0 actors a.txt || return 1
	head -n 1 "$T/stdout" | grep -q 'code' || { note "no header naming 'code'"; return 1; }
	head -n 1 "$T/stdout" | grep -q 'span' || { note "no header naming 'span'"; return 1; }
	rows_json || return 1
	py '
import json
rows = json.load(open("rows.json"))
got = [(int(r["sentence"]), r["code"], r["match"]) for r in rows]
want = [(1, "USA", "US"), (1, "CHN", None), (1, "CHN", "Beijing"),
        (2, "CHN", "People'"'"'s Republic of China"), (2, "USA", "United States of America"),
        (3, "TWN", None), (3, "USA", "Washington"), (4, "USA", "Joe Biden")]
assert len(got) == len(want), ("rows", got)
for g, w in zip(got, want):
    assert g[0] == w[0] and g[1] == w[1] and (w[2] is None or g[2] == w[2]), (g, w)
'
}
check "header and one row per match, in order" t_rows

t_spans() {
	py '
import json
src = open("a.txt", "rb").read()
for r in json.load(open("rows.json")):
    a, b = (int(x) for x in r["span"].split("-"))
    assert 0 <= a < b <= len(src), r["span"]
    assert src[a:b].decode() == r["match"], (r["span"], src[a:b], r["match"])
'
}
check "each span is the byte range of the match in the input" t_spans

t_us_case() {
	py '
import json
rows = json.load(open("rows.json"))
assert not any(r["sentence"] == "0" for r in rows), "lower-case \"us\" matched"
assert any(r["code"] == "USA" and r["match"] == "US" for r in rows), "\"US\" not matched"
'
}
check "'US' matches USA, lower-case 'us' does not" t_us_case

t_possessive() {
	py '
import json
rows = json.load(open("rows.json"))
chn = [r for r in rows if r["sentence"] == "1" and r["code"] == "CHN" and r["match"].startswith("China")]
assert len(chn) == 1, "China'"'"'s not matched"
twn = [r for r in rows if r["sentence"] == "3" and r["code"] == "TWN"]
assert len(twn) == 1 and twn[0]["match"].startswith("Taiwan"), twn
'
}
check "possessives (China's, Taiwan's) match" t_possessive

t_longest() {
	py '
import json
rows = json.load(open("rows.json"))
s2 = [r["match"] for r in rows if r["sentence"] == "2"]
assert s2 == ["People'"'"'s Republic of China", "United States of America"], s2
'
}
check "multi-word patterns match longest first, without overlaps" t_longest

t_roles() {
	assert_exit 0 actors --date 2024-03-01 a.txt || return 1
	grep "$(printf '\tJoe Biden\t')" "$T/stdout" | grep -q "$(printf '\tUSAGOV\t')" ||
		{ note "no role USAGOV for a leader in office"; sed 's/^/#   /' "$T/stdout"; return 1; }
	assert_exit 0 actors --date 2026-01-01 a.txt || return 1
	if grep "$(printf '\tJoe Biden\t')" "$T/stdout" | grep -q USAGOV; then
		note "role USAGOV given outside the dates in office"
		return 1
	fi
}
check "--date: a leader's role only within the dates in office" t_roles

t_stdin() {
	"$ENTENTE_BIN" actors --actors dict.tsv <a.txt >stdin.out 2>"$T/stderr" || { _show_stderr; return 1; }
	"$ENTENTE_BIN" actors --actors dict.tsv - <a.txt >dash.out 2>"$T/stderr" || { _show_stderr; return 1; }
	assert_exit 0 actors a.txt || return 1
	# same rows apart from the file column
	cut -f 2- "$T/stdout" >file.rows
	cut -f 2- stdin.out | cmp -s - file.rows || { note "stdin rows differ"; return 1; }
	cut -f 2- dash.out | cmp -s - file.rows || { note "'-' rows differ"; return 1; }
}
check "reads standard input with no file and with '-'" t_stdin

t_no_match() {
	printf 'The weather was fine and markets were calm.\n' >none.txt
	assert_exit 0 actors none.txt || return 1
	[ "$(wc -l <"$T/stdout")" -eq 1 ] || { note "expected only the header"; return 1; }
}
check "no actors: header only, exit 0" t_no_match

t_override() {
	# a later entry for the same pattern overrides the earlier one
	printf 'TWN\tWashington\n' >override.tsv
	assert_exit 0 "$ENTENTE_BIN" actors --actors dict.tsv a.txt || return 1
	ENTENTE_ACTORS="$T/dict.tsv" "$ENTENTE_BIN" actors --actors override.tsv a.txt >"$T/stdout" 2>"$T/stderr" ||
		{ _show_stderr; return 1; }
	grep "$(printf '\tWashington\t')" "$T/stdout" | grep -q "$(printf '\tTWN\t')" ||
		{ note "--actors did not override the shipped entry"; sed 's/^/#   /' "$T/stdout"; return 1; }
}
check "--actors FILE overrides the shipped dictionary" t_override

t_bad_dictionary() {
	printf 'CHN\tChina\nthis line has no tab\n' >bad-dict.tsv
	assert_exit 1 "$ENTENTE_BIN" actors --actors bad-dict.tsv a.txt || return 1
	assert_stderr_matches 'bad-dict\.tsv:2: '
}
check "a malformed dictionary line: exit 1 with FILE:LINE" t_bad_dictionary

t_dictionary_shapes() {
	# a dictionary saved with CRLF line ends and a BOM matches the same
	assert_exit 0 actors a.txt || return 1
	cp "$T/stdout" plain.rows
	{ printf '\357\273\277'; sed 's/$/\r/' dict.tsv; } >dict-crlf.tsv
	assert_exit 0 "$ENTENTE_BIN" actors --actors dict-crlf.tsv a.txt || return 1
	cmp -s plain.rows "$T/stdout" || { note "CRLF/BOM dictionary matches differently"; diff plain.rows "$T/stdout" | head -n 6 | sed 's/^/#   /'; return 1; }
}
check "a CRLF dictionary with a BOM matches the same" t_dictionary_shapes

t_pipe() {
	i=0
	while [ $i -lt 3000 ]; do cat a.txt; i=$((i + 1)); done >big.txt
	{
		"$ENTENTE_BIN" actors --actors dict.tsv big.txt 2>pipe.err
		echo $? >pipe.rc
	} | head -n 1 >/dev/null
	[ "$(cat pipe.rc)" -eq 0 ] || { note "exit $(cat pipe.rc) on a closed pipe"; sed 's/^/#   /' pipe.err; return 1; }
	! grep -q 'entente:' pipe.err || { note "message on a closed pipe"; sed 's/^/#   /' pipe.err; return 1; }
}
check "| head -1 on a large input: exit 0, no message" t_pipe

t_usage() {
	assert_exit 2 actors --bogus a.txt || return 1
	assert_stderr_matches '^entente: ' || return 1
	assert_exit 2 actors --date 2024-02-30 a.txt || return 1
	assert_exit 2 actors a.txt --actors
}
check "unknown option, bad --date, missing value: exit 2" t_usage

t_missing() {
	assert_exit 4 actors no-such.txt || return 1
	assert_stderr_matches 'no-such\.txt'
}
check "missing input file: exit 4 naming it" t_missing

t_missing_dict() {
	assert_exit 4 "$ENTENTE_BIN" actors --actors no-such-dict.tsv a.txt || {
		[ "$RC" -eq 3 ] && note "(3 would also be defensible for a missing dictionary)"
		return 1
	}
	assert_stderr_matches 'no-such-dict\.tsv'
}
check "missing --actors file: exit 4 naming it" t_missing_dict

finish
