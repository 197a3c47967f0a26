#!/bin/sh
# entente classify: a news article in, labeled sentences and actor tone out.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

have_python || skip_all "needs /usr/bin/python3"
M=$(trained_model) || { echo "not ok - training the test model"; exit 1; }
write_actor_dict dict.tsv

# A wire story: headline (no final punctuation), dateline, four paragraphs, 12 sentences.
cat >article.txt <<'EOF'
China and US agree to resume talks as Taiwan tensions simmer

BEIJING, March 4 (Wire) - China and the United States agreed to resume talks on trade and climate next month, officials in Beijing said on Tuesday. Both governments pledged to deepen cooperation on fentanyl control and student exchanges.

Washington welcomed the decision and praised Chinese negotiators for their patience. The two foreign ministers signed an agreement to reopen consulates in Chengdu and Houston.

But Beijing condemned a new US arms sale to Taiwan as a gross interference in its internal affairs. China threatened sanctions against American defence companies that supply the island. Taipei accused Beijing of staging military drills near its coast.

The White House rejected the accusations and warned China against coercion in the strait. A spokesman in Taipei said the dispute was a matter for all of us. The central bank in Taipei left interest rates unchanged on Thursday. Heavy rain is expected across the north of the island this weekend.
EOF
NSENT=12

classify() {
	"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv "$@"
}

t_json() {
	assert_exit 0 classify article.txt --format json || return 1
	cp "$T/stdout" article.json
	py 'import json,sys; json.load(sys.stdin)' <article.json || { note "not valid JSON"; return 1; }
}
check "classify --format json is valid JSON" t_json

# The structure and the arithmetic, recomputed from the sentences.
t_json_content() {
	py '
import json, sys
nsent = int(sys.argv[1])
d = json.load(open("article.json"))
labels = ("cooperative", "conflictual", "neutral")
S = d["sentences"]
assert len(S) == nsent, "expected %d sentences, got %d: %r" % (nsent, len(S), [s["text"] for s in S])
for i, s in enumerate(S):
    assert s["index"] == i, ("index", i, s["index"])
    assert isinstance(s["text"], str) and s["text"] and "\n" not in s["text"], s["text"]
    assert s["label"] in labels, s["label"]
    p = s["probabilities"]
    assert sorted(p) == sorted(labels), p
    assert all(0 <= p[l] <= 1 for l in labels), p
    assert abs(sum(p.values()) - 1) <= 1e-6 + 1e-12, ("probabilities sum to %.9f" % sum(p.values()), s["text"])
    assert s["label"] == max(labels, key=lambda l: p[l]), ("label is not the most probable", s)
    assert isinstance(s["actors"], list) and all(isinstance(a, str) for a in s["actors"])
codes = {a["code"] for a in d["actors"]}
assert {"CHN", "USA", "TWN"} <= codes, codes
for a in d["actors"]:
    mine = [s for s in S if a["code"] in s["actors"]]
    assert a["sentences"] == len(mine), (a["code"], a["sentences"], len(mine))
    for l in labels:
        assert a[l] == sum(1 for s in mine if s["label"] == l), (a["code"], l)
    assert -1 <= a["tone"] <= 1, a
    coop = sum(s["probabilities"]["cooperative"] for s in mine)
    conf = sum(s["probabilities"]["conflictual"] for s in mine)
    tone = (coop - conf) / len(mine)
    assert abs(a["tone"] - tone) < 1e-5, (a["code"], a["tone"], tone)
    assert abs(a["sum_cooperative"] - coop) < 1e-5 and abs(a["sum_conflictual"] - conf) < 1e-5, a
    assert abs(a["tone"] - (a["sum_cooperative"] - a["sum_conflictual"]) / a["sentences"]) < 1e-5, a
pairs = {tuple(p["actors"]): p for p in d["pairs"]}
assert ("CHN", "USA") in pairs, list(pairs)
for key, p in pairs.items():
    assert len(key) == 2 and key[0] != key[1], key
    assert (key[1], key[0]) not in pairs, ("pair listed in both orders", key)
    mine = [s for s in S if key[0] in s["actors"] and key[1] in s["actors"]]
    assert p["sentences"] == len(mine), (key, p["sentences"], len(mine))
    tone = (sum(s["probabilities"]["cooperative"] - s["probabilities"]["conflictual"] for s in mine)) / len(mine)
    assert abs(p["tone"] - tone) < 1e-5 and -1 <= p["tone"] <= 1, (key, p["tone"], tone)
with_actors = [s for s in S if s["actors"]]
tone = sum(s["probabilities"]["cooperative"] - s["probabilities"]["conflictual"] for s in with_actors) / len(with_actors)
assert abs(d["tone"] - tone) < 1e-5, ("article tone", d["tone"], tone)
' "$NSENT"
}
check "json: sentences, probabilities sum to 1, actors, pairs, tone recomputed" t_json_content

t_segmentation() {
	py '
import json
S = json.load(open("article.json"))["sentences"]
assert S[0]["text"] == "China and US agree to resume talks as Taiwan tensions simmer", ("headline", S[0]["text"])
assert S[1]["text"].startswith("BEIJING, March 4 (Wire)"), S[1]["text"]
assert S[-1]["text"] == "Heavy rain is expected across the north of the island this weekend.", S[-1]["text"]
'
}
check "the headline is a sentence of its own; paragraphs end sentences" t_segmentation

t_actor_matching() {
	py '
import json
S = json.load(open("article.json"))["sentences"]
def find(fragment):
    m = [s for s in S if fragment in s["text"]]
    assert len(m) == 1, (fragment, m)
    return m[0]
assert "USA" in find("new US arms sale")["actors"], "US (case=exact) not matched"
assert "USA" not in find("a matter for all of us")["actors"], "lower-case us matched as USA"
assert "TWN" in find("a matter for all of us")["actors"]
assert "USA" in find("The White House")["actors"], "multi-word White House"
assert set(find("Taipei accused Beijing")["actors"]) == {"TWN", "CHN"}
assert find("Heavy rain")["actors"] == []
'
}
check "actors per sentence: US exact, 'us' ignored, White House, none in weather" t_actor_matching

t_labels_sane() {
	py '
import json
S = json.load(open("article.json"))["sentences"]
def label(fragment):
    return [s for s in S if fragment in s["text"]][0]["label"]
assert label("agreed to resume talks") == "cooperative", label("agreed to resume talks")
assert label("pledged to deepen cooperation") == "cooperative"
assert label("Beijing condemned") == "conflictual"
assert label("threatened sanctions") == "conflictual"
assert label("Heavy rain") == "neutral"
'
}
check "clear cooperative/conflictual/neutral sentences get those labels" t_labels_sane

t_jsonl() {
	assert_exit 0 classify article.txt --format jsonl || return 1
	n=$(wc -l <"$T/stdout")
	[ "$n" -eq 1 ] || { note "expected 1 line for 1 article, got $n"; return 1; }
	cp article.txt second.txt
	assert_exit 0 classify article.txt second.txt --format jsonl || return 1
	n=$(wc -l <"$T/stdout")
	[ "$n" -eq 2 ] || { note "expected 2 lines for 2 articles, got $n"; return 1; }
	py '
import json, sys
ids = []
for line in sys.stdin:
    d = json.loads(line)
    assert len(d["sentences"]) == int(sys.argv[1])
    ids.append(d["id"])
assert ids == ["article.txt", "second.txt"], ids
' "$NSENT" <"$T/stdout"
}
check "--format jsonl: one JSON line per article, ids in input order" t_jsonl

t_tsv() {
	assert_exit 0 classify article.txt --format tsv || return 1
	py '
import json, sys
nsent = int(sys.argv[1])
lines = sys.stdin.read().split("\n")
assert lines[-1] == "", "no final newline"
lines = lines[:-1]
head = lines[0].split("\t")
for col in ("index", "label", "text"):
    assert col in head, ("missing column", col, head)
rows = [l.split("\t") for l in lines[1:]]
assert len(rows) == nsent, ("rows", len(rows))
assert all(len(r) == len(head) for r in rows), "ragged rows"
js = json.load(open("article.json"))["sentences"]
for r, s in zip(rows, js):
    rec = dict(zip(head, r))
    assert int(rec["index"]) == s["index"] and rec["label"] == s["label"], (rec, s)
    assert rec["text"] == s["text"], (rec["text"], s["text"])
' "$NSENT" <"$T/stdout"
}
check "--format tsv: header and one row per sentence, same labels as json" t_tsv

t_text() {
	assert_exit 0 classify article.txt --format text || return 1
	assert_stdout_matches '^ *actor +name +sentences' || return 1
	for c in CHN USA TWN; do
		assert_stdout_matches "^ *$c +[A-Z][A-Za-z ]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[-+]?[01]\\.[0-9]+ *\$" || return 1
	done
	assert_stdout_matches 'tone' || return 1
	assert_stdout_matches 'CHN-USA'
}
check "--format text shows the actor table with tone" t_text

t_text_default() {
	assert_exit 0 classify article.txt || return 1
	cp "$T/stdout" default.out
	assert_exit 0 classify article.txt --format text || return 1
	cmp -s default.out "$T/stdout" || { note "default format differs from --format text"; return 1; }
}
check "text is the default format" t_text_default

# ---- JSONL input ----------------------------------------------------------------
py '
import json
arts = [
    {"id": "wire-1", "text": "China and the United States agreed to resume talks on trade. Taiwan protested against Chinese military drills near the island."},
    {"id": "wire-2", "date": "2024-03-05", "text": "Beijing condemned Washington over the arms sale.\n\nThe central bank left interest rates unchanged on Thursday."},
    {"id": 3, "text": "Moscow released two detained journalists as a goodwill gesture. The marathon attracted forty thousand runners."},
]
with open("three.jsonl", "w") as f:
    for a in arts:
        f.write(json.dumps(a) + "\n")
'

t_jsonl_input() {
	assert_exit 0 classify --input jsonl three.jsonl --format jsonl || return 1
	cp "$T/stdout" three.out
	py '
import json, sys
out = [json.loads(l) for l in open("three.out")]
assert len(out) == 3, len(out)
assert [o["id"] for o in out] == ["wire-1", "wire-2", "3"], [o["id"] for o in out]
assert out[1].get("date") == "2024-03-05", out[1].get("date")
assert "date" not in out[0] or out[0]["date"] in (None, ""), out[0].get("date")
assert [len(o["sentences"]) for o in out] == [2, 2, 2], [len(o["sentences"]) for o in out]
assert set(out[1]["sentences"][0]["actors"]) == {"CHN", "USA"}
'
}
check "--input jsonl: 3 articles, ids kept, date passed through" t_jsonl_input

t_jsonl_input_json_array() {
	assert_exit 0 classify --input jsonl three.jsonl --format json || return 1
	py '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 3, type(d)
' <"$T/stdout"
}
check "--input jsonl --format json: one array of 3 articles" t_jsonl_input_json_array

t_jsonl_stdin() {
	"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv --input jsonl --format jsonl <three.jsonl >stdin3.out 2>"$T/stderr" ||
		{ note "exit $?"; _show_stderr; return 1; }
	cmp -s three.out stdin3.out || { note "stdin output differs from file output"; return 1; }
}
check "--input jsonl from stdin gives the same output" t_jsonl_stdin

# 600 articles: several windows of 64 per thread, so -j 2 and -j 4 read and
# write one window while the threads classify the next.
t_threads() {
	i=0
	while [ $i -lt 200 ]; do cat three.jsonl; i=$((i + 1)); done >many.jsonl
	assert_exit 0 classify --input jsonl many.jsonl --format jsonl -j 1 || return 1
	cp "$T/stdout" j1.out
	[ "$(wc -l <j1.out)" -eq 600 ] || { note "expected 600 lines"; return 1; }
	for j in 2 4; do
		assert_exit 0 classify --input jsonl many.jsonl --format jsonl -j $j || return 1
		cmp -s j1.out "$T/stdout" || { note "-j $j output differs from -j 1 (order or content)"; return 1; }
	done
}
check "-j 2 and -j 4 give the same output in the same order as -j 1 (600 articles)" t_threads

# ---- stdin, pipes, -o -------------------------------------------------------------

t_stdin() {
	"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv --format json <article.txt >stdin.json 2>"$T/stderr" ||
		{ note "no-file stdin: exit $?"; _show_stderr; return 1; }
	"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv --format json - <article.txt >dash.json 2>"$T/stderr" ||
		{ note "'-' stdin: exit $?"; _show_stderr; return 1; }
	py '
import json
a = json.load(open("article.json")); b = json.load(open("stdin.json")); c = json.load(open("dash.json"))
assert a["sentences"] == b["sentences"] == c["sentences"]
assert a["actors"] == b["actors"] == c["actors"]
'
}
check "stdin (no file, and '-') gives the same sentences and actors" t_stdin

t_head() {
	for i in 1 2 3 4 5 6 7 8 9 10; do printf '%s\n' "$(py 'import json; print(json.dumps({"id": "x", "text": open("article.txt").read()}))')"; done >ten.jsonl
	i=0
	while [ $i -lt 40 ]; do cat ten.jsonl; i=$((i + 1)); done >big.jsonl # 400 articles, 5200 sentences
	{
		"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv --input jsonl --format tsv big.jsonl 2>head.err
		echo $? >head.rc
	} | head -n 1 >head.out
	rc=$(cat head.rc)
	[ "$rc" -eq 0 ] || { note "exit $rc after the reader closed the pipe"; sed 's/^/#   /' head.err; return 1; }
	if grep -q 'entente:' head.err; then
		note "message on a closed pipe:"
		sed 's/^/#   /' head.err
		return 1
	fi
	[ "$(wc -l <head.out)" -eq 1 ] || return 1
	# the same with one large plain-text article
	i=0
	while [ $i -lt 300 ]; do cat article.txt; i=$((i + 1)); done >big.txt
	{
		"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv --format tsv big.txt 2>head.err
		echo $? >head.rc
	} | head -n 1 >/dev/null
	rc=$(cat head.rc)
	[ "$rc" -eq 0 ] || { note "text article: exit $rc after the reader closed the pipe"; sed 's/^/#   /' head.err; return 1; }
	! grep -q 'entente:' head.err || { note "message on a closed pipe:"; sed 's/^/#   /' head.err; return 1; }
}
check "| head -1 on a large input: exit 0, no message" t_head

t_output_file() {
	assert_exit 0 classify article.txt --format json -o out.json || return 1
	[ ! -s "$T/stdout" ] || { note "-o still wrote to stdout"; return 1; }
	cmp -s out.json article.json || { note "-o file differs from stdout output"; return 1; }
	ls | grep -q 'out\.json\.' && { note "temporary file left: $(ls | grep 'out\.json\.')"; return 1; }
	return 0
}
check "-o FILE writes the output to FILE" t_output_file

t_dev_full() {
	assert_exit 4 classify article.txt --format json -o /dev/full || return 1
	assert_one_line_error || return 1
	assert_stderr_matches '/dev/full'
}
if [ -w /dev/full ]; then
	check "-o /dev/full: exit 4 with one message" t_dev_full
else
	skip "-o /dev/full: exit 4 with one message" "no writable /dev/full"
fi

t_stdout_full() {
	"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv --format json article.txt >/dev/full 2>"$T/stderr"
	RC=$?
	[ "$RC" -eq 4 ] || { note "stdout on /dev/full: expected exit 4, got $RC"; _show_stderr; return 1; }
	# Regression: found by this test (src/cli/cli.c: cli_sink_write reported the
	# failed write and cli_sink_close -> cli_finish_stdout reported it again, two
	# lines instead of DESIGN.md's one); fixed in the working tree since.
	assert_one_line_error
}
if [ -w /dev/full ]; then
	check "stdout is /dev/full: exit 4 with one message" t_stdout_full
else
	skip "stdout is /dev/full: exit 4 with one message" "no writable /dev/full"
fi

t_no_dir() {
	assert_exit 4 classify article.txt -o "$T/no/such/dir/out.json" || return 1
	assert_one_line_error || return 1
	assert_stderr_matches 'no/such/dir/out\.json' || return 1
	[ ! -e "$T/no" ] || { note "the directory was created"; return 1; }
}
check "-o into a missing directory: exit 4 naming the path" t_no_dir

t_failed_output_keeps_file() {
	printf 'previous contents\n' >keep.json
	assert_exit 4 classify article.txt no-such-article.txt --format json -o keep.json || return 1
	[ "$(cat keep.json)" = "previous contents" ] || { note "a failed run replaced the output file"; return 1; }
}
check "a failed run leaves an existing -o file untouched" t_failed_output_keeps_file

t_missing_article() {
	assert_exit 4 classify no-such-article.txt || return 1
	assert_stderr_matches "^entente: .*no-such-article\\.txt"
}
check "missing article file: exit 4 naming the path" t_missing_article

t_usage() {
	assert_exit 2 classify article.txt --bogus || return 1
	assert_exit 2 classify article.txt --format markdown || return 1
	assert_exit 2 classify article.txt --input xml || return 1
	assert_exit 2 classify article.txt --date 2024-13-45 || return 1
	assert_exit 2 classify article.txt -j 0 || return 1
	assert_exit 2 classify article.txt -o
}
check "classify usage errors: exit 2" t_usage

finish
