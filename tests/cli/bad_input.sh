#!/bin/sh
# Hostile and malformed inputs: classify keeps going on bad bytes, rejects what
# it must with exit 1 and FILE:LINE, and an interrupted training run leaves an
# existing model alone.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

have_python || skip_all "needs /usr/bin/python3"
M=$(trained_model) || { echo "not ok - training the test model"; exit 1; }
write_actor_dict dict.tsv

classify() {
	"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv "$@"
}

valid_json() { # FILE: valid JSON and valid UTF-8
	py '
import json, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")  # strict
json.loads(raw)
' "$1"
}

# ---- classify: odd but acceptable input -------------------------------------

t_empty() {
	: >empty.txt
	assert_exit 0 classify empty.txt --format json || return 1
	cp "$T/stdout" empty.json
	valid_json empty.json || return 1
	py '
import json
d = json.load(open("empty.json"))
assert d["sentences"] == [] and d["actors"] == [] and d["pairs"] == [], d
assert d["tone"] == 0
'
}
check "empty file: exit 0, no sentences" t_empty

t_blank_only() {
	printf '\n\n   \n\t\n' >blank.txt
	assert_exit 0 classify blank.txt --format json || return 1
	py 'import json,sys; d=json.load(sys.stdin); assert d["sentences"] == [], d["sentences"]' <"$T/stdout"
}
check "whitespace-only file: exit 0, no sentences" t_blank_only

t_binary() {
	head -c 4096 /dev/urandom >random.bin
	assert_exit 0 classify random.bin --format json || { note "input kept in $T/random.bin"; return 1; }
	cp "$T/stdout" random.json
	valid_json random.json || { note "output is not valid UTF-8 JSON"; return 1; }
	assert_exit 0 classify random.bin --format tsv || return 1
	assert_exit 0 classify random.bin --format text
}
check "4 KiB of random bytes: exit 0, valid UTF-8 JSON out" t_binary

# BOM, CRLF line ends, invalid bytes, overlong encodings, surrogates, NUL bytes.
printf '\357\273\277China agreed to resume talks with Taiwan.\r\nThe minister \377\376 praised the \300\257 accord and the \340\200\257 deal.\r\nA surrogate \355\240\200 and a NUL \000 byte appear here.\r\nThe talks will continue in Beijing.\r\n' >mixed.txt

t_mixed_bytes() {
	assert_exit 0 classify mixed.txt --format json || return 1
	cp "$T/stdout" mixed.json
	valid_json mixed.json || { note "output is not valid UTF-8 JSON"; return 1; }
	py '
import json
d = json.load(open("mixed.json"))
S = [s["text"] for s in d["sentences"]]
assert len(S) == 4, S
assert S[0] == "China agreed to resume talks with Taiwan.", repr(S[0])  # no BOM
assert not any("\r" in s or "\ufeff" in s or "\x00" in s for s in S), S
assert "\ufffd" in S[1] and "\ufffd" in S[2], S  # bad bytes replaced, not dropped silently
assert S[3] == "The talks will continue in Beijing.", repr(S[3])
assert set(d["sentences"][0]["actors"]) == {"CHN", "TWN"}, d["sentences"][0]["actors"]
'
}
check "BOM, CRLF, invalid/overlong UTF-8, NUL: exit 0, bytes replaced" t_mixed_bytes

t_mixed_reported() {
	# a count of replaced bytes lets a user notice damaged input (not silently dropped)
	py '
import json
d = json.load(open("mixed.json"))
n = d.get("invalid_bytes")
assert isinstance(n, int) and n > 0, ("invalid_bytes", n)
'
}
check "replaced bytes are counted in the output" t_mixed_reported

t_long_line() {
	# one 2 MB "sentence" with no punctuation or spaces
	py 'import sys; sys.stdout.write("x" * 2000000 + "\n")' >longword.txt
	assert_exit 0 classify longword.txt --format tsv
}
check "a 2 MB token without spaces: exit 0" t_long_line

# ---- classify: input it must reject -----------------------------------------

t_too_large() {
	# 20 MB > the 16 MB article limit
	py '
import sys
s = "China agreed to resume talks with the United States on Tuesday. "
n = 20 * 1024 * 1024 // len(s) + 1
sys.stdout.write(s * n)
' >huge.txt
	assert_exit 1 classify huge.txt || return 1
	assert_one_line_error || return 1
	assert_stderr_matches 'huge\.txt' || return 1
	assert_stderr_matches 'limit|large'
}
check "a 20 MB article: exit 1 with one message naming it" t_too_large

t_too_large_stdin() {
	classify <huge.txt >"$T/stdout" 2>"$T/stderr"
	RC=$?
	[ "$RC" -eq 1 ] || { note "expected exit 1, got $RC"; _show_stderr; return 1; }
	assert_one_line_error
}
check "a 20 MB article on stdin: exit 1" t_too_large_stdin

t_too_large_jsonl() {
	py '
import json
print(json.dumps({"id": "ok", "text": "Beijing and Washington agreed to talks."}))
print(json.dumps({"id": "big", "text": "Talks resumed. " * (17 * 1024 * 1024 // 15)}))
' >huge.jsonl
	assert_exit 1 classify --input jsonl huge.jsonl --format jsonl || return 1
	assert_stderr_matches '^entente: huge\.jsonl:2: '
}
check "JSONL article over 16 MB: exit 1 with FILE:2" t_too_large_jsonl

printf '{"id": "a", "text": "China and Taiwan agreed to talks."}\n' >good.line

jsonl_bad() { # NAME LINE-CONTENT LINE-NUMBER
	{
		cat good.line
		printf '\n' # a blank line still counts
		printf '%s\n' "$2"
		cat good.line
	} >"$1.jsonl"
	assert_exit 1 classify --input jsonl "$1.jsonl" --format jsonl || return 1
	assert_stderr_matches "^entente: $1\\.jsonl:$3: " || return 1
	assert_one_line_error
}
check "JSONL broken JSON: exit 1 with FILE:LINE" jsonl_bad broken '{"id": "b", "text": "unterminated' 3
check "JSONL \"text\": 5: exit 1 with FILE:LINE" jsonl_bad number-text '{"id": "b", "text": 5}' 3
check "JSONL without text: exit 1 with FILE:LINE" jsonl_bad no-text '{"id": "b", "body": "China spoke."}' 3
check "JSONL array instead of object: exit 1 with FILE:LINE" jsonl_bad array '["China spoke."]' 3
check "JSONL \"date\": 20240101: exit 1 with FILE:LINE" jsonl_bad number-date '{"id": "b", "date": 20240101, "text": "x"}' 3
check "JSONL \"id\": {}: exit 1 with FILE:LINE" jsonl_bad object-id '{"id": {}, "text": "China spoke."}' 3
check "JSONL invalid date string: exit 1 with FILE:LINE" jsonl_bad bad-date '{"id": "b", "date": "2024-02-30", "text": "China spoke."}' 3

# The broken line sits in the third window of -j 2 (128 articles each), so
# the window after it is already being classified when the error is found.
t_threads_error() {
	i=0
	while [ $i -lt 300 ]; do cat good.line; i=$((i + 1)); done >mid.jsonl
	printf '{"id": broken\n' >>mid.jsonl # line 301
	i=0
	while [ $i -lt 300 ]; do cat good.line; i=$((i + 1)); done >>mid.jsonl
	for j in 1 2 4; do
		assert_exit 1 classify --input jsonl --format jsonl -j $j mid.jsonl || return 1
		assert_stderr_matches '^entente: mid\.jsonl:301: ' || return 1
		assert_one_line_error || return 1
		cp "$T/stdout" mid.$j
	done
	[ "$(wc -l <mid.1)" -eq 300 ] || { note "expected the 300 articles before the error"; return 1; }
	cmp -s mid.1 mid.2 && cmp -s mid.1 mid.4 || { note "-j 2/-j 4 wrote different output before the error than -j 1"; return 1; }
}
check "-j 2 and -j 4 with a broken line: exit 1, FILE:301, the 300 articles before it as -j 1" t_threads_error

t_jsonl_invalid_utf8() {
	{
		cat good.line
		printf '{"id": "b", "text": "bad \377 byte"}\n'
	} >badutf8.jsonl
	run classify --input jsonl badutf8.jsonl --format jsonl
	# either rejected with FILE:LINE, or accepted with the byte replaced
	if [ "$RC" -eq 1 ]; then
		assert_stderr_matches '^entente: badutf8\.jsonl:2: '
	elif [ "$RC" -eq 0 ]; then
		valid_json_lines "$T/stdout"
	else
		note "exit $RC"
		_show_stderr
		return 1
	fi
}
valid_json_lines() {
	py '
import json, sys
for l in open(sys.argv[1], "rb"):
    json.loads(l.decode("utf-8"))
' "$1"
}
check "JSONL with an invalid UTF-8 byte: exit 1 with FILE:LINE, or replaced" t_jsonl_invalid_utf8

# ---- train: files it must reject ---------------------------------------------

t_header_only() {
	printf 'label\ttext\n' >header-only.tsv
	assert_exit 1 "$ENTENTE_BIN" train header-only.tsv --no-actors -o h.ent || return 1
	assert_stderr_matches '^entente: ' || return 1
	[ ! -e h.ent ] || { note "a model was written"; return 1; }
}
check "train on a header-only file: exit 1" t_header_only

t_no_label_column() {
	printf 'category\ttext\ncooperative\tThe two sides agreed to talks.\nconflictual\tThe army shelled the town.\n' >no-label.tsv
	assert_exit 1 "$ENTENTE_BIN" train no-label.tsv --no-actors -o h.ent || return 1
	assert_stderr_matches 'no-label\.tsv:1: ' || return 1
	printf 'text\nThe two sides agreed to talks.\nThe army shelled the town.\n' >text-only.tsv
	assert_exit 1 "$ENTENTE_BIN" train text-only.tsv --no-actors -o h.ent || return 1
	assert_stderr_matches 'text-only\.tsv:1: '
}
check "train on a file without a label column: exit 1 with FILE:1" t_no_label_column

t_empty_training_file() {
	: >empty.tsv
	assert_exit 1 "$ENTENTE_BIN" train empty.tsv --no-actors -o h.ent || return 1
	assert_stderr_matches 'empty\.tsv'
}
check "train on an empty file: exit 1 naming it" t_empty_training_file

t_one_label() {
	write_training_data all.tsv
	head -n 31 all.tsv >one-label.tsv
	assert_exit 1 "$ENTENTE_BIN" train one-label.tsv --no-actors -o h.ent || return 1
	assert_stderr_matches '^entente: '
}
check "train on a single label: exit 1" t_one_label

t_binary_training() {
	head -c 4096 /dev/urandom >random.tsv
	run "$ENTENTE_BIN" train random.tsv --no-actors -o h.ent
	[ "$RC" -eq 1 ] || { note "expected exit 1, got $RC"; _show_stderr; return 1; }
}
check "train on random bytes: exit 1" t_binary_training

t_50mb_training_line() {
	# a 50 MB row without a newline: over the 1 MiB row cap, reported, not kept
	printf 'label\ttext\ncooperative\tThe two sides agreed to resume talks.\nconflictual\tThe army shelled the town.\nneutral\t' >huge-row.tsv
	head -c 52428800 /dev/zero | tr '\0' 'a' >>huge-row.tsv
	assert_exit 1 "$ENTENTE_BIN" train huge-row.tsv --no-actors -o h.ent || return 1
	assert_stderr_matches 'huge-row\.tsv:4: line of 5242[0-9]* bytes exceeds the limit' || return 1
	[ ! -e h.ent ] || { note "a model was written"; return 1; }
	rm -f huge-row.tsv
}
check "train on a 50 MB row without a newline: exit 1 with FILE:4" t_50mb_training_line

# ---- SIGINT during training ------------------------------------------------------
# 2000 generated rows with --grid: several seconds in the plain build, so the
# signal lands during training; the existing model must be left byte-identical.
awk 'BEGIN {
	srand(7)
	ns = split("China|The United States|Russia|Japan|India|Brazil|France|Germany|Turkey|Egypt|Kenya|Mexico|Canada|Iran|Israel|Vietnam|Indonesia|Nigeria|Poland|Spain", S, "|")
	nc = split("agreed to resume talks with|pledged to deepen cooperation with|signed a trade accord with|praised|sent humanitarian aid to|welcomed the ceasefire proposal from|eased sanctions on|released prisoners held by|offered to mediate for|hosted a friendly summit with", C, "|")
	nk = split("condemned|threatened sanctions against|accused|expelled diplomats from|rejected the demands of|launched strikes on|imposed tariffs on|warned|mobilized troops against|protested against", K, "|")
	nn = split("said it would publish trade figures about|reported weather data for|held a scheduled meeting on statistics with|announced a census schedule similar to|released quarterly growth numbers alongside|noted market closures in|published a travel advisory listing|described the election calendar of|marked a public holiday shared with|scheduled a football friendly against", N, "|")
	nt = split("on Monday|on Tuesday|late on Wednesday|this week|after months of delay|in a statement|at a news conference|according to officials|in the capital|during the visit", W, "|")
	print "label\ttext"
	for (i = 0; i < 2000; i++) {
		a = S[int(rand() * ns) + 1]; b = S[int(rand() * ns) + 1]; t = W[int(rand() * nt) + 1]
		r = i % 3
		if (r == 0) print "cooperative\t" a " " C[int(rand() * nc) + 1] " " b " " t "."
		else if (r == 1) print "conflictual\t" a " " K[int(rand() * nk) + 1] " " b " " t "."
		else print "neutral\t" a " " N[int(rand() * nn) + 1] " " b " " t "."
	}
}' >large.tsv

t_sigint() {
	cp "$M" target.ent
	cp "$M" original.ent
	# (a background job of a non-interactive shell starts with SIGINT ignored;
	# entente installs its own handler when training starts, so wait for that)
	"$ENTENTE_BIN" train large.tsv --grid --no-actors -o target.ent >sigint.out 2>sigint.err &
	pid=$!
	sleep 2
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		note "training ended (exit $?) before the signal could be sent; inconclusive, not counted"
		return 0
	fi
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		note "training exited 0 after SIGINT"
		cmp -s target.ent original.ent || note "and replaced the model"
		return 1
	fi
	[ "$rc" -lt 128 ] || [ "$rc" -eq 130 ] || { note "killed by signal $((rc - 128))"; return 1; }
	cmp -s target.ent original.ent || { note "the existing model was modified"; return 1; }
	if ls | grep -q 'target\.ent\.'; then
		note "temporary file left behind: $(ls | grep 'target\.ent\.')"
		return 1
	fi
	grep -q '^entente: ' sigint.err || { note "no message after the interruption"; sed 's/^/#   /' sigint.err; return 1; }
	note "exit $rc: $(cat sigint.err)"
}
check "SIGINT during train --grid leaves the existing model byte-identical" t_sigint

finish
