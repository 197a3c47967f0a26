#!/bin/sh
# entente merge: classifying shards and merging their per-actor sums gives the
# same JSON, byte for byte, as merging one single-process run (DESIGN.md, Scale).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

M=$(trained_model) || { echo "not ok - training the test model"; exit 1; }
write_actor_dict dict.tsv

# 30 articles of 3 to 6 sentences, varied actors, verbs and settings (seeded).
awk 'BEGIN {
	srand(20240304)
	na = split("China|Beijing|The United States|Washington|The US|Taiwan|Taipei|Russia|Moscow|The Kremlin|Chinese officials|American diplomats|Japan|The European Union", A, "|")
	nc = split("agreed to resume talks with|pledged to deepen cooperation with|signed a trade accord with|praised the restraint of|sent humanitarian aid to|welcomed a ceasefire proposal from|eased sanctions on|released prisoners held by|offered to mediate with|held cordial talks with", C, "|")
	nk = split("condemned|threatened sanctions against|accused|expelled diplomats from|rejected the demands of|launched strikes on|imposed tariffs on|warned|mobilized troops against|protested against", K, "|")
	nn = split("said it would publish trade figures about|reported weather data for|held a scheduled meeting on statistics with|announced a census schedule similar to|released growth numbers alongside|noted market closures in", N, "|")
	nt = split("on Monday|on Tuesday|late on Wednesday|this week|after months of delay|in a statement|at a news conference|according to officials|in the capital|during a visit", W, "|")
	nx = split("Heavy rain fell across the north.|Oil prices rose slightly in early trading.|The marathon attracted forty thousand runners.|Shares in technology companies fell.|The museum reopened after repairs.", X, "|")
	for (i = 1; i <= 30; i++) {
		n = 3 + int(rand() * 4)
		text = ""
		for (j = 0; j < n; j++) {
			a = A[int(rand() * na) + 1]; b = A[int(rand() * na) + 1]; t = W[int(rand() * nt) + 1]
			r = rand()
			if (r < 0.35) s = a " " C[int(rand() * nc) + 1] " " b " " t "."
			else if (r < 0.7) s = a " " K[int(rand() * nk) + 1] " " b " " t "."
			else if (r < 0.85) s = a " " N[int(rand() * nn) + 1] " " b " " t "."
			else s = X[int(rand() * nx) + 1]
			text = text (j ? " " : "") s
		}
		printf "{\"id\": \"art-%02d\", \"date\": \"2024-03-%02d\", \"text\": \"%s\"}\n", i, 1 + (i % 28), text
	}
}' >all.jsonl

classify() {
	"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv --input jsonl --format jsonl "$@"
}

t_single_run() {
	[ "$(wc -l <all.jsonl)" -eq 30 ] || { note "generator made $(wc -l <all.jsonl) articles"; return 1; }
	assert_exit 0 classify all.jsonl || return 1
	cp "$T/stdout" single.jsonl
	[ "$(wc -l <single.jsonl)" -eq 30 ] || { note "expected 30 output lines"; return 1; }
	assert_exit 0 "$ENTENTE_BIN" merge single.jsonl || return 1
	cp "$T/stdout" single.merged.json
	[ -s single.merged.json ]
}
check "single run: classify 30 articles and merge" t_single_run

t_merge_valid() {
	have_python || { note "no python3; skipped"; return 0; }
	py '
import json
m = json.load(open("single.merged.json"))
arts = [json.loads(l) for l in open("single.jsonl")]
codes = {a["code"] for a in m["actors"]}
assert {"CHN", "USA", "TWN", "RUS"} <= codes, codes
for a in m["actors"]:
    n = sum(x["sentences"] for art in arts for x in art["actors"] if x["code"] == a["code"])
    assert a["sentences"] == n, (a["code"], a["sentences"], n)
    coop = sum(x["sum_cooperative"] for art in arts for x in art["actors"] if x["code"] == a["code"])
    assert abs(a["sum_cooperative"] - coop) < 1e-6, (a["code"], a["sum_cooperative"], coop)
    assert abs(a["tone"] - (a["sum_cooperative"] - a["sum_conflictual"]) / a["sentences"]) < 1e-5, a
    assert -1 <= a["tone"] <= 1
assert any(p["actors"] == ["CHN", "USA"] for p in m["pairs"]), [p["actors"] for p in m["pairs"]]
'
}
check "merged sums equal the sums of the articles" t_merge_valid

# Classify shards (each its own process), merge the shard outputs, compare.
shards_equal() { # NAME SHARD...
	_n=$1
	shift
	_outs=""
	_k=0
	for s in "$@"; do
		_k=$((_k + 1))
		classify "$s" >"$_n.out.$_k" 2>"$T/stderr" || { note "classify $s failed"; _show_stderr; return 1; }
		_outs="$_outs $_n.out.$_k"
	done
	# shellcheck disable=SC2086
	assert_exit 0 "$ENTENTE_BIN" merge $_outs || return 1
	cp "$T/stdout" "$_n.merged.json"
	if ! cmp -s single.merged.json "$_n.merged.json"; then
		note "merged shards differ from the merged single run:"
		diff single.merged.json "$_n.merged.json" | head -n 10 | sed 's/^/#   /'
		return 1
	fi
	# the concatenated shard outputs through stdin merge the same
	# shellcheck disable=SC2086
	cat $_outs | "$ENTENTE_BIN" merge >"$_n.stdin.json" 2>"$T/stderr" || { _show_stderr; return 1; }
	cmp -s single.merged.json "$_n.stdin.json" || { note "merge from stdin differs"; return 1; }
}

head -n 10 all.jsonl >c1.jsonl
sed -n '11,20p' all.jsonl >c2.jsonl
sed -n '21,30p' all.jsonl >c3.jsonl
check "contiguous thirds (10/10/10) merge to the same JSON" shards_equal contiguous c1.jsonl c2.jsonl c3.jsonl

awk 'NR % 3 == 1' all.jsonl >r1.jsonl
awk 'NR % 3 == 2' all.jsonl >r2.jsonl
awk 'NR % 3 == 0' all.jsonl >r3.jsonl
check "round-robin thirds merge to the same JSON" shards_equal roundrobin r1.jsonl r2.jsonl r3.jsonl

head -n 1 all.jsonl >u1.jsonl
sed -n '2,5p' all.jsonl >u2.jsonl
sed -n '6,30p' all.jsonl >u3.jsonl
check "uneven shards (1/4/25) merge to the same JSON" shards_equal uneven u1.jsonl u2.jsonl u3.jsonl

# Shards given in another order than the input: merging must not depend on it.
check "shards merged in reverse order give the same JSON" shards_equal reversed c3.jsonl c2.jsonl c1.jsonl

t_merge_of_merge_input_is_stable() {
	# merging the same single-run output twice in one call doubles counts, not tone
	assert_exit 0 "$ENTENTE_BIN" merge single.jsonl single.jsonl || return 1
	have_python || return 0
	py '
import json, sys
one = json.load(open("single.merged.json")); two = json.load(sys.stdin)
a = {x["code"]: x for x in one["actors"]}; b = {x["code"]: x for x in two["actors"]}
assert a.keys() == b.keys()
for c in a:
    assert b[c]["sentences"] == 2 * a[c]["sentences"], c
    assert abs(b[c]["tone"] - a[c]["tone"]) < 1e-6, c
' <"$T/stdout"
}
check "merging a run twice doubles counts and keeps the tone" t_merge_of_merge_input_is_stable

t_parallel() {
	# a line filter under parallel --pipe: 3 jobs of 10 articles, output kept in order (-k)
	HOME="$T" parallel --will-cite --pipe -N 10 -k "$ENTENTE_BIN" classify -m "$M" --actors dict.tsv \
		--input jsonl --format jsonl <all.jsonl >par.jsonl 2>"$T/stderr" || { note "parallel failed"; _show_stderr; return 1; }
	cmp -s single.jsonl par.jsonl || { note "parallel --pipe -k output differs from the single run"; return 1; }
	assert_exit 0 "$ENTENTE_BIN" merge par.jsonl || return 1
	cmp -s single.merged.json "$T/stdout" || { note "merge of parallel output differs"; return 1; }
	# without -k the article order is whatever finishes first; merge must not care
	HOME="$T" parallel --will-cite --pipe -N 7 "$ENTENTE_BIN" classify -m "$M" --actors dict.tsv \
		--input jsonl --format jsonl <all.jsonl >par2.jsonl 2>"$T/stderr" || { note "parallel failed"; _show_stderr; return 1; }
	assert_exit 0 "$ENTENTE_BIN" merge par2.jsonl || return 1
	cmp -s single.merged.json "$T/stdout" || { note "merge of unordered parallel output differs"; diff single.merged.json "$T/stdout" | head -n 6 | sed 's/^/#   /'; return 1; }
}
if command -v parallel >/dev/null 2>&1 && parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	check "GNU parallel --pipe -N 10 shards merge to the same JSON" t_parallel
else
	skip "GNU parallel --pipe -N 10 shards merge to the same JSON" "GNU parallel is not installed"
fi

t_merge_bad_input() {
	printf '{"id": "x", "actors": [}\n' >broken.jsonl
	assert_exit 1 "$ENTENTE_BIN" merge single.jsonl broken.jsonl || return 1
	assert_stderr_matches '^entente: broken\.jsonl:1: '
}
check "merge of a broken line: exit 1 with FILE:LINE" t_merge_bad_input

t_merge_missing() {
	assert_exit 4 "$ENTENTE_BIN" merge no-such.jsonl || return 1
	assert_stderr_matches 'no-such\.jsonl'
}
check "merge of a missing file: exit 4 naming it" t_merge_missing

t_merge_usage() {
	assert_exit 2 "$ENTENTE_BIN" merge --bogus single.jsonl || return 1
	assert_exit 2 "$ENTENTE_BIN" merge --format tsv single.jsonl
}
check "merge usage errors: exit 2" t_merge_usage

t_merge_names() {
	# Regression: found by this test (merge called ent_report_tone(tone, NULL, ...)
	# and the tone sums kept no names, so every merged actor got "name": "CHN"
	# although each input line carries "name": "China"); fixed in the working tree since.
	# the merged report keeps the display names the runs carried (DESIGN: "name": "China")
	grep -q '"name": "China"' single.merged.json || {
		note "merged actors lose their names: $(grep -o '"code": "CHN", "name": "[^"]*"' single.merged.json | head -n 1)"
		return 1
	}
}
check "merge keeps actor display names" t_merge_names

finish
