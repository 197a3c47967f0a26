#!/bin/sh
# entente train / eval / cv: models, reports, bad rows, exit codes.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

write_training_data train.tsv
write_actor_dict actors.tsv

# ---- training ---------------------------------------------------------------

t_train_produces_model() {
	assert_exit 0 "$ENTENTE_BIN" train train.tsv --actors actors.tsv --seed 1 -o m1.ent || return 1
	[ -s m1.ent ] || { note "m1.ent missing or empty"; return 1; }
	head -n 1 m1.ent | grep -q '^entente-model [0-9][0-9]*$' || { note "no 'entente-model N' first line"; return 1; }
	ls | grep -q '\.tmp' && { note "temporary file left behind: $(ls | grep '\.tmp')"; return 1; }
	return 0
}
check "train writes a model bundle" t_train_produces_model

t_train_quiet() {
	# stderr is not a terminal here: no progress bar, no chatter.
	assert_exit 0 "$ENTENTE_BIN" train train.tsv --actors actors.tsv --seed 1 -o m-quiet.ent || return 1
	assert_stderr_empty
}
check "train prints nothing on a non-terminal stderr" t_train_quiet

t_train_deterministic() {
	assert_exit 0 "$ENTENTE_BIN" train train.tsv --actors actors.tsv --seed 1 -o m2.ent || return 1
	cmp m1.ent m2.ent || { note "two trainings on the same data differ"; return 1; }
}
check "training twice gives byte-identical models" t_train_deterministic

t_train_deterministic_noactors() {
	assert_exit 0 "$ENTENTE_BIN" train train.tsv --no-actors -o n1.ent || return 1
	assert_exit 0 "$ENTENTE_BIN" train train.tsv --no-actors -o n2.ent || return 1
	cmp n1.ent n2.ent
}
check "training twice with --no-actors gives byte-identical models" t_train_deterministic_noactors

t_train_overwrites() {
	cp m1.ent m3.ent
	assert_exit 0 "$ENTENTE_BIN" train train.tsv --no-actors -o m3.ent || return 1
	cmp -s m3.ent n1.ent || { note "an existing output file was not replaced by the new model"; return 1; }
}
check "train replaces an existing model file" t_train_overwrites

# Labeled data in other shapes: columns in any order with extra ones, CRLF line
# ends, a UTF-8 BOM, JSONL. Same rows, so the same model, byte for byte.
t_data_shapes() {
	awk -F '\t' 'BEGIN { OFS = "\t" } NR == 1 { print "id", "text", "source", "label"; next }
		{ print "r" NR, $2, "wire", $1 }' train.tsv >reordered.tsv
	sed 's/$/\r/' train.tsv >crlf.tsv
	{ printf '\357\273\277'; cat train.tsv; } >bom.tsv
	py '
import json, sys
for line in open("train.tsv").read().splitlines()[1:]:
    label, text = line.split("\t")
    print(json.dumps({"text": text, "label": label, "id": 7}))
' >train.jsonl
	for f in reordered.tsv crlf.tsv bom.tsv train.jsonl; do
		assert_exit 0 "$ENTENTE_BIN" train "$f" --no-actors -o shape.ent || return 1
		cmp -s shape.ent n1.ent || { note "$f gives a different model than train.tsv"; return 1; }
	done
}
check "column order, extra columns, CRLF, BOM and JSONL give the same model" t_data_shapes

t_two_files() {
	head -n 46 train.tsv >part1.tsv
	{ head -n 1 train.tsv; tail -n +47 train.tsv; } >part2.tsv
	assert_exit 0 "$ENTENTE_BIN" train part1.tsv part2.tsv --no-actors -o parts.ent || return 1
	cmp -s parts.ent n1.ent || { note "two files give a different model than one"; return 1; }
	assert_exit 0 "$ENTENTE_BIN" eval -m n1.ent part1.tsv part2.tsv --format json || return 1
	py 'import json,sys; assert json.load(sys.stdin)["n"] == 90' <"$T/stdout"
}
check "DATA... across two files equals one file" t_two_files

t_stdin_data() {
	"$ENTENTE_BIN" train - --no-actors -o stdin.ent <train.tsv 2>"$T/stderr" || { _show_stderr; return 1; }
	cmp -s stdin.ent n1.ent || { note "training from stdin gives a different model"; return 1; }
}
check "train reads '-' as standard input" t_stdin_data

# An evaluation set whose labels are all wrong on purpose: every row is a mistake.
{
	printf 'label\ttext\n'
	printf 'conflictual\tChina and the United States agreed to resume talks on trade next month.\n'
	printf 'neutral\tThe two foreign ministers signed an agreement to expand student exchanges.\n'
	printf 'neutral\tBrazil and Argentina pledged to strengthen their partnership on energy.\n'
	printf 'cooperative\tRussia expelled ten diplomats in retaliation for the spy scandal.\n'
	printf 'cooperative\tGunmen attacked a military convoy, killing a dozen soldiers.\n'
	printf 'conflictual\tThe central bank left interest rates unchanged on Thursday.\n'
} >wrong.tsv

# ---- eval -------------------------------------------------------------------

t_eval_text() {
	assert_exit 0 "$ENTENTE_BIN" eval -m m1.ent train.tsv || return 1
	assert_stdout_matches '^ +precision +recall +f1-score +support *$' || return 1
	for row in cooperative conflictual neutral accuracy 'macro avg' 'weighted avg'; do
		assert_stdout_matches "^ *$row( +[0-9.]+)+ *\$" || return 1
	done
	assert_stdout_matches '[Cc]onfusion matrix' || return 1
	# the matrix: a header with the three labels, then one row per gold label with 3 counts
	assert_stdout_matches '^ +cooperative +conflictual +neutral *$' || return 1
	n=$(grep -Ec '^ *(cooperative|conflictual|neutral)( +[0-9]+){3} *$' "$T/stdout")
	[ "$n" -eq 3 ] || { note "expected 3 confusion rows, found $n"; return 1; }
}
check "eval text report: precision/recall/f1-score/support and confusion matrix" t_eval_text

t_eval_json() {
	assert_exit 0 "$ENTENTE_BIN" eval -m m1.ent train.tsv --format json || return 1
	py 'import json,sys; json.load(sys.stdin)' <"$T/stdout" || { note "not valid JSON"; return 1; }
	py '
import json, sys
d = json.load(sys.stdin)
labels = ["cooperative", "conflictual", "neutral"]
for k in ("n", "accuracy", "macro_f1", "classes", "confusion"):
    assert k in d, "missing key %s" % k
assert d["n"] == 90, d["n"]
assert 0 <= d["accuracy"] <= 1 and 0 <= d["macro_f1"] <= 1
assert sorted(d["classes"]) == sorted(labels), d["classes"].keys()
for l in labels:
    c = d["classes"][l]
    for k in ("precision", "recall", "f1", "support"):
        assert k in c, (l, k)
    assert c["support"] == 30, (l, c["support"])
total = sum(d["confusion"][g][p] for g in labels for p in labels)
assert total == 90, total
diag = sum(d["confusion"][l][l] for l in labels)
assert abs(diag / 90.0 - d["accuracy"]) < 1e-4, (diag, d["accuracy"])
for l in labels:
    assert sum(d["confusion"][l].values()) == 30, ("row", l)
' <"$T/stdout"
}
check "eval --format json: n, accuracy, macro_f1, classes, confusion" t_eval_json

t_eval_markdown() {
	assert_exit 0 "$ENTENTE_BIN" eval -m m1.ent train.tsv --format markdown || return 1
	assert_stdout_matches '^\|.*precision.*\|.*recall.*\|.*f1-score.*\|.*support.*\|$' || return 1
	assert_stdout_matches '^\|( *:?-+:? *\|)+$' || return 1
	for l in cooperative conflictual neutral; do
		assert_stdout_matches "^\\| *$l *\\|" || return 1
	done
}
check "eval --format markdown gives markdown tables" t_eval_markdown

t_eval_errors() {
	assert_exit 0 "$ENTENTE_BIN" eval -m m1.ent wrong.tsv --errors 3 || return 1
	n=$(grep -Ec 'wrong\.tsv:[2-7]\b' "$T/stdout")
	[ "$n" -eq 3 ] || { note "expected 3 listed mistakes citing wrong.tsv:LINE, found $n"; sed 's/^/#   /' "$T/stdout"; return 1; }
	assert_stdout_matches 'gold' || return 1
	assert_stdout_matches 'predicted' || return 1
}
check "eval --errors 3 lists three mistakes with FILE:LINE" t_eval_errors

t_eval_no_errors_by_default() {
	assert_exit 0 "$ENTENTE_BIN" eval -m m1.ent wrong.tsv || return 1
	! grep -Eq 'wrong\.tsv:[0-9]+' "$T/stdout" || { note "mistakes listed without --errors"; return 1; }
}
check "eval lists no mistakes without --errors" t_eval_no_errors_by_default

t_eval_output_file() {
	assert_exit 0 "$ENTENTE_BIN" eval -m m1.ent train.tsv --format json -o report.json || return 1
	[ ! -s "$T/stdout" ] || { note "-o FILE still wrote to stdout"; return 1; }
	py 'import json,sys; json.load(open(sys.argv[1]))' report.json
}
check "eval -o FILE writes the report to the file" t_eval_output_file

t_small_c() {
	# Every C on the --grid ladder (0.125 .. 32) must give a model that labels
	# its own 90 training sentences far better than chance (1/3).
	# BUG (found by this test; src/svm_backend.c ent_svm_predict): with --c 0.125
	# libsvm's Platt fit comes out inverted (prob_a > 0 for every class pair), and
	# since the label is the argmax of those probabilities, eval on the training
	# data scores accuracy 0.033 while the SVM's own decision votes score 0.933.
	# --grid can pick such a C inside cv folds (cv --grid shows per-fold
	# macro-F1 of 0.048 and 0.107 on this data, far below chance).
	for c in 0.125 1 32; do
		assert_exit 0 "$ENTENTE_BIN" train train.tsv --no-actors --c "$c" -o c.ent || return 1
		assert_exit 0 "$ENTENTE_BIN" eval -m c.ent train.tsv --format json || return 1
		acc=$(py 'import json,sys; print(json.load(sys.stdin)["accuracy"])' <"$T/stdout")
		if ! py 'import sys; sys.exit(0 if float(sys.argv[1]) >= 0.6 else 1)' "$acc"; then
			note "BUG: --c $c: accuracy on its own training data is $acc (chance is 0.333)"
			grep '^prob_a' c.ent | sed 's/^/#   model: /'
			return 1
		fi
	done
}
check "models for C = 0.125, 1, 32 fit their training data (accuracy >= 0.6)" t_small_c

# ---- cv ---------------------------------------------------------------------

t_cv() {
	assert_exit 0 "$ENTENTE_BIN" cv train.tsv -k 3 --actors actors.tsv || return 1
	assert_stdout_matches 'precision +recall +f1-score +support' || return 1
	line=$(grep -Ei 'macro-?F1.*fold|fold.*macro-?F1' "$T/stdout" | head -n 1)
	[ -n "$line" ] || { note "no per-fold macro-F1 line"; sed 's/^/#   /' "$T/stdout"; return 1; }
	# the per-fold line lists exactly 3 scores in [0, 1]
	per=$(grep -Ei 'per fold' "$T/stdout" | head -n 1)
	n=$(printf '%s\n' "$per" | sed 's/^[^:]*://' | tr ' ' '\n' | grep -Ec '^(0(\.[0-9]+)?|1(\.0+)?)$')
	[ "$n" -eq 3 ] || { note "expected 3 fold scores in: $per"; return 1; }
}
check "cv -k 3 prints the report and per-fold macro-F1" t_cv

t_cv_json() {
	assert_exit 0 "$ENTENTE_BIN" cv train.tsv -k 3 --no-actors --format json || return 1
	py '
import json, sys
d = json.load(sys.stdin)
assert d["n"] == 90 and "macro_f1" in d and "confusion" in d
' <"$T/stdout"
}
check "cv --format json is valid JSON with n=90" t_cv_json

t_cv_bad_k() {
	assert_exit 2 "$ENTENTE_BIN" cv train.tsv -k 1 --no-actors || return 1
	assert_stderr_matches '^entente: '
}
check "cv -k 1 is a usage error (2)" t_cv_bad_k

# ---- bad rows ---------------------------------------------------------------
# Each file has one bad row at a known line; the message must cite FILE:LINE.

head -n 4 train.tsv >bad-label.tsv
printf 'friendly\tThe two sides held cordial talks in Geneva.\n' >>bad-label.tsv # line 5
sed -n '50,52p' train.tsv >>bad-label.tsv

head -n 6 train.tsv >bad-fields.tsv
printf 'neutral\tThe meeting ended.\tan extra field\n' >>bad-fields.tsv # line 7
sed -n '70,71p' train.tsv >>bad-fields.tsv

head -n 3 train.tsv >bad-empty.tsv
printf 'neutral\t   \n' >>bad-empty.tsv # line 4
sed -n '40,42p' train.tsv >>bad-empty.tsv

head -n 5 train.tsv >bad-utf8.tsv
printf 'conflictual\tThe minister \377\376 denounced the \300\257 raid.\n' >>bad-utf8.tsv # line 6
sed -n '80,81p' train.tsv >>bad-utf8.tsv

{
	printf '{"label": "cooperative", "text": "Both sides agreed to talks."}\n'
	printf '{"label": "neutral", "text": "Rain is expected."}\n'
	printf '{"label": "conflictual", "text": "The army shelled\n' # line 3: broken JSON
	printf '{"label": "neutral", "text": "Markets were flat."}\n'
} >bad-json.jsonl

bad_row() { # FILE LINE REGEX-OF-WHAT
	for cmd in train eval; do
		if [ $cmd = train ]; then
			assert_exit 1 "$ENTENTE_BIN" train "$1" --no-actors -o bad.ent || return 1
		else
			assert_exit 1 "$ENTENTE_BIN" eval -m m1.ent "$1" || return 1
		fi
		assert_stderr_matches "^(entente: )?$1:$2: " || return 1
		assert_stderr_matches "$1:$2: .*($3)" || return 1
		if [ $cmd = train ] && [ -e bad.ent ]; then
			note "train wrote a model despite the bad row"
			return 1
		fi
	done
}
check "unknown label: exit 1, FILE:5" bad_row bad-label.tsv 5 "label"
check "wrong field count: exit 1, FILE:7" bad_row bad-fields.tsv 7 "field|column"
check "empty text: exit 1, FILE:4" bad_row bad-empty.tsv 4 "empty"
check "invalid UTF-8: exit 1, FILE:6" bad_row bad-utf8.tsv 6 "UTF-8|utf-8|UTF8|encoding"
check "broken JSONL row: exit 1, FILE:3" bad_row bad-json.jsonl 3 "JSON"

t_all_bad_rows_reported() {
	cat bad-label.tsv >many.tsv
	printf 'neutral\tx\ty\n' >>many.tsv                     # line 9
	printf 'bogus\tThe minister spoke.\n' >>many.tsv       # line 10
	assert_exit 1 "$ENTENTE_BIN" train many.tsv --no-actors -o bad.ent || return 1
	for l in 5 9 10; do
		assert_stderr_matches "many\\.tsv:$l: " || return 1
	done
}
check "every bad row is reported, not only the first" t_all_bad_rows_reported

t_skip_invalid() {
	{
		cat train.tsv
		printf 'friendly\tThe two sides held cordial talks in Geneva.\n'
		printf 'neutral\tThe meeting ended.\tan extra field\n'
		printf 'neutral\t \n'
	} >skip.tsv
	assert_exit 0 "$ENTENTE_BIN" train skip.tsv --no-actors --skip-invalid -o skip.ent || return 1
	[ -s skip.ent ] || { note "no model written"; return 1; }
	assert_stderr_matches 'skipped 3 invalid rows?' || return 1
	# each skipped row is still named
	assert_stderr_matches 'skip\.tsv:92: ' || return 1
	assert_stderr_matches 'skip\.tsv:94: ' || return 1
	# the model is the one the 90 good rows give
	cmp -s skip.ent n1.ent || note "(model differs from the clean-data model; metadata may include the file)"
	return 0
}
check "--skip-invalid succeeds and reports the skipped count" t_skip_invalid

# ---- missing files and usage -----------------------------------------------
# DESIGN.md: 4 = I/O or system error; a missing input file is an I/O error.

missing() {
	run "$@"
	if [ "$RC" -ne 4 ]; then
		note "expected exit 4 (I/O error per DESIGN.md), got $RC: $*"
		_show_stderr
		return 1
	fi
	assert_stderr_matches "^entente: .*no-such-file\\.tsv" || return 1
	assert_stderr_matches "No such file"
}
check "train on a missing file: exit 4 naming the path" missing "$ENTENTE_BIN" train no-such-file.tsv --no-actors -o x.ent
check "eval on a missing file: exit 4 naming the path" missing "$ENTENTE_BIN" eval -m m1.ent no-such-file.tsv
check "cv on a missing file: exit 4 naming the path" missing "$ENTENTE_BIN" cv no-such-file.tsv --no-actors

usage() {
	assert_exit 2 "$@" || return 1
	assert_stderr_matches '^entente: '
}
check "train --bogus: exit 2" usage "$ENTENTE_BIN" train train.tsv -o x.ent --bogus
check "eval --bogus: exit 2" usage "$ENTENTE_BIN" eval -m m1.ent train.tsv --bogus
check "cv --bogus: exit 2" usage "$ENTENTE_BIN" cv train.tsv --bogus
check "train without -o: exit 2" usage "$ENTENTE_BIN" train train.tsv
check "train -o without a value: exit 2" usage "$ENTENTE_BIN" train train.tsv -o
check "eval --format yaml: exit 2" usage "$ENTENTE_BIN" eval -m m1.ent train.tsv --format yaml
check "train --ngrams 3-1: exit 2" usage "$ENTENTE_BIN" train train.tsv -o x.ent --ngrams 3-1
check "train --c -1: exit 2" usage "$ENTENTE_BIN" train train.tsv -o x.ent --c -1
check "unknown command: exit 2" usage "$ENTENTE_BIN" frobnicate
check "help for an unknown command: exit 2" usage "$ENTENTE_BIN" help frobnicate

t_help() {
	for c in train classify eval cv merge actors; do
		assert_exit 0 "$ENTENTE_BIN" help $c || return 1
		assert_stdout_matches "^entente $c " || return 1
	done
	assert_exit 0 "$ENTENTE_BIN" --version || return 1
	assert_stdout_matches '^entente [0-9]+\.[0-9]+\.[0-9]+'
}
check "help COMMAND and --version exit 0" t_help

finish
