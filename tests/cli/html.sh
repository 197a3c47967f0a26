#!/bin/sh
# --format html: the eval, cv and classify reports are valid HTML5 (checked
# with html5lib's strict parser), self-contained, hold the expected charts and
# tables, and show the same numbers as the JSON output.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

have_python || skip_all "needs /usr/bin/python3"
M=$(trained_model) || { echo "not ok - training the test model"; exit 1; }
write_actor_dict dict.tsv
DATA="$T/cache/train.tsv"

have_html5lib() {
	"$PY" -c 'import html5lib' 2>/dev/null
}

# validate FILE [TAG>=N | TAG==N | text:WORDS]...: a strict HTML5 parse, then
# element counts and text the page must hold.
validate() {
	py '
import sys
import html5lib
from html5lib.html5parser import ParseError

path = sys.argv[1]
parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
try:
    with open(path, "rb") as f:
        doc = parser.parse(f)
except ParseError as e:
    for (line, col), code, data in parser.errors:
        print("%s:%s:%s: %s %r" % (path, line, col, code, data))
    print("%s: not valid HTML5: %s" % (path, e))
    sys.exit(1)
counts = {}
for el in doc.iter():
    if isinstance(el.tag, str):
        name = el.tag.split("}")[-1]
        counts[name] = counts.get(name, 0) + 1
text = " ".join(doc.itertext())
ok = True
for want in sys.argv[2:]:
    if want.startswith("text:"):
        if want[5:] not in text:
            print("%s: no text %r" % (path, want[5:]))
            ok = False
        continue
    op = ">=" if ">=" in want else "=="
    name, n = want.split(op)
    have = counts.get(name, 0)
    if (op == ">=" and have < int(n)) or (op == "==" and have != int(n)):
        print("%s: %d <%s> elements, expected %s %s" % (path, have, name, op, n))
        ok = False
sys.exit(0 if ok else 1)
' "$@"
}

# No scripts, no external resources: the page stands alone.
self_contained() {
	if grep -Eiq '<script|<link|<img|<iframe|src=|href="?https?:|url\(["'"'"']?https?:|@import' "$1"; then
		note "$1 refers to something outside the page:"
		grep -Eio '<script|<link|<img|<iframe|src=[^ >]*|href="?https?:[^ >]*|@import' "$1" | head -n 3 | sed 's/^/#   /'
		return 1
	fi
}

# ---- eval and cv ---------------------------------------------------------------

t_eval_valid() {
	assert_exit 0 "$ENTENTE_BIN" eval -m "$M" "$DATA" --format html -o eval.html --errors 4 || return 1
	assert_stderr_empty || return 1
	self_contained eval.html || return 1
	validate eval.html 'svg==3' 'table>=4' 'rect>=18' 'circle==0' 'title>=10' \
		'text:Classification report' 'text:Confusion matrix' 'text:Precision, recall and F1 per class' \
		'text:cooperative' 'text:conflictual' 'text:neutral' 'text:macro avg' 'text:weighted avg' \
		'text:Training data per label' 'text:Most confident mistakes' 'text:predicted'
}

# The heat map's cells: the counts and row percentages of the JSON report, in order.
t_eval_numbers() {
	assert_exit 0 "$ENTENTE_BIN" eval -m "$M" "$DATA" --format json -o eval.json || return 1
	py '
import json, sys
from decimal import Decimal, ROUND_HALF_UP
import html5lib
doc = html5lib.parse(open("eval.html", "rb"), namespaceHTMLElements=False)
texts = [t.text for t in doc.iter() if isinstance(t.tag, str) and t.tag.endswith("}text") and t.text]
shown = [t for t in texts if t.endswith("%")]
d = json.load(open("eval.json"))
labels = ("cooperative", "conflictual", "neutral")
want = []
for g in labels:
    row = d["confusion"][g]
    total = sum(row.values())
    for p in labels:
        pct = (Decimal(100 * row[p]) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        want.append("%s%%" % pct)
assert shown[:9] == want, ("heat map percentages", shown[:9], want)
counts = [str(d["confusion"][g][p]) for g in labels for p in labels]
i = 0
for t in texts:
    if i < 9 and t == counts[i]:
        i += 1
assert i == 9, ("heat map counts", counts)
page = open("eval.html", encoding="utf-8").read()
acc = "<td>%.3f</td><td>%d</td>" % (d["accuracy"], d["n"])
assert acc in page, ("accuracy row", acc)
'
}
if have_html5lib; then
	check "eval --format html is valid HTML5 with the report table, heat map and bars" t_eval_valid
	check "eval --format html: heat map counts and row percentages match the JSON report" t_eval_numbers
else
	skip "eval --format html is valid HTML5" "python3-html5lib is not installed (tests/deps.sh installs it)"
	skip "eval --format html numbers" "python3-html5lib is not installed"
fi

t_eval_stdout() {
	assert_exit 0 "$ENTENTE_BIN" eval -m "$M" "$DATA" --format html || return 1
	head -n 1 "$T/stdout" | grep -q '^<!DOCTYPE html>$' && tail -n 1 "$T/stdout" | grep -q '^</html>$'
}
check "eval --format html without -o writes the page to stdout" t_eval_stdout

t_cv_valid() {
	assert_exit 0 "$ENTENTE_BIN" cv "$DATA" -k 3 --actors dict.tsv --seed 1 --format html -o cv.html --errors 2 ||
		return 1
	self_contained cv.html || return 1
	have_html5lib || { grep -q 'Macro F1 per fold' cv.html; return; }
	validate cv.html 'svg==4' 'circle==3' 'text:Macro F1 per fold' 'text:fold 3' 'text:mean' \
		'text:Classification report' 'text:one model per fold'
}
check "cv --format html adds the per-fold macro-F1 dots and mean" t_cv_valid

# ---- classify -----------------------------------------------------------------

cat >article.txt <<'ARTICLE'
China and US agree to resume talks as Taiwan tensions simmer

BEIJING, March 4 (Wire) - China and the United States agreed to resume talks on trade next month, officials in Beijing said on Tuesday. Both governments pledged to deepen cooperation on climate <change> & "student" exchanges.

But Beijing condemned a new US arms sale to Taiwan as a gross interference in its internal affairs. Taipei accused Beijing of staging military drills near its coast. The central bank in Taipei left interest rates unchanged on Thursday.
ARTICLE

classify() {
	"$ENTENTE_BIN" classify -m "$M" --actors dict.tsv "$@"
}

t_classify_valid() {
	assert_exit 0 classify article.txt --format html -o article.html || return 1
	assert_stderr_empty || return 1
	self_contained article.html || return 1
	validate article.html 'svg>=2' 'table>=1' 'article==1' 'mark>=8' 'p>=3' \
		'text:cooperative' 'text:conflictual' 'text:neutral' 'text:Actor tone' 'text:Pairs' \
		'text:China' 'text:Taiwan' 'text:climate <change> & "student" exchanges'
}

# Each sentence of the JSON output is one tinted span, with its label, its
# probabilities, and its text; each actor mention is marked.
t_classify_matches_json() {
	assert_exit 0 classify article.txt --format json -o article.json || return 1
	py '
import json, re
import html5lib
doc = html5lib.parse(open("article.html", "rb"), namespaceHTMLElements=False)
d = json.load(open("article.json"))
cls = {"coop": "cooperative", "conf": "conflictual", "neu": "neutral"}
spans = [e for e in doc.iter() if e.tag == "span" and (e.get("class") or "").startswith("s ")]
assert len(spans) == len(d["sentences"]), (len(spans), len(d["sentences"]))
flat = lambda s: re.sub(r"\s+", " ", s).strip()
for e, s in zip(spans, d["sentences"]):
    label = cls[e.get("class").split()[1]]
    assert label == s["label"], (label, s)
    p = s["probabilities"]
    for l in ("cooperative", "conflictual", "neutral"):
        assert "%s %.2f" % (l, p[l]) in e.get("title"), (e.get("title"), p)
    pr = [c for c in e if c.get("class") == "pr"][0]
    assert s["label"] in "".join(pr.itertext()), "probabilities not in the text"
    own = "".join(c for c in e.itertext())
    own = own.replace("".join(pr.itertext()), "")
    mk = [c for c in e if c.get("class") == "mk"][0]
    own = own.replace(mk.text, "", 1)
    assert flat(own) == flat(s["text"]), (own, s["text"])
marks = [e for e in doc.iter() if e.tag == "mark"]
mentioned = sum(len(s["actors"]) for s in d["sentences"])
assert len(marks) >= mentioned, (len(marks), mentioned)
codes = {a["code"] for a in d["actors"]}
page = open("article.html", encoding="utf-8").read()
for c in codes:
    assert ("(%s): tone" % c) in page, ("no chart row for", c)
'
}
if have_html5lib; then
	check "classify --format html is valid HTML5 with the text, chart and pair table" t_classify_valid
	check "classify --format html: sentences, labels, probabilities and actors match the JSON" t_classify_matches_json
else
	skip "classify --format html is valid HTML5" "python3-html5lib is not installed (tests/deps.sh installs it)"
	skip "classify --format html matches the JSON" "python3-html5lib is not installed"
fi

# Many articles (JSONL): an overview first, then one section per article.
write_articles() {
	py '
import json, sys
texts = [
    "China and the United States agreed to resume talks on trade. Washington praised Beijing.",
    "Beijing condemned the arms sale to Taiwan. Taipei accused Beijing of military drills.",
    "Russia and China signed an agreement on energy. Moscow welcomed the deal.",
    "The central bank left interest rates unchanged on Thursday.",
]
with open(sys.argv[1], "w") as f:
    for i, t in enumerate(texts):
        f.write(json.dumps({"id": "wire-%d <&>" % i, "date": "2024-03-0%d" % (i + 1), "text": t}) + "\n")
' "$1"
}

t_many_valid() {
	write_articles articles.jsonl
	assert_exit 0 classify --input jsonl articles.jsonl --format html -o many.html || return 1
	self_contained many.html || return 1
	grep -q 'wire-0 &lt;&amp;&gt;' many.html || { note "article id not escaped"; return 1; }
	have_html5lib || return 0
	validate many.html 'article==4' 'section>=1' 'svg>=5' 'table>=3' 'text:Overview' \
		'text:Actors by tone and volume' 'text:Most conflictual pairs' 'text:Most cooperative pairs' \
		'text:4 articles' || return 1
	py '
page = open("many.html", encoding="utf-8").read()
o, a = page.find("<h2>Overview</h2>"), page.find("<article class=\"doc\">")
assert 0 < o < a, "the overview is not before the articles"
'
}
check "classify --input jsonl --format html: overview first, one section per article" t_many_valid

t_many_threads() {
	assert_exit 0 classify --input jsonl articles.jsonl --format html -j 3 -o many3.html || return 1
	cmp many.html many3.html || { note "-j 3 differs from -j 1"; return 1; }
}
check "classify --format html gives the same page with -j 3" t_many_threads

t_html_stdout() {
	assert_exit 0 classify --format html <article.txt || return 1
	head -n 1 "$T/stdout" | grep -q '^<!DOCTYPE html>$' && grep -q 'standard input' "$T/stdout"
}
check "classify --format html reads stdin and writes stdout" t_html_stdout

t_too_many() {
	py '
import json
with open("big.jsonl", "w") as f:
    for i in range(2001):
        f.write(json.dumps({"id": i, "text": "Markets rose."}) + "\n")
'
	assert_exit 2 classify --input jsonl big.jsonl --format html -o big.html || return 1
	assert_one_line_error || return 1
	assert_stderr_matches 'at most 2000 articles' || return 1
	[ ! -e big.html ] || { note "a partial report was left behind"; return 1; }
	ls | grep -q '\.tmp' && { note "temporary file left behind"; return 1; }
	return 0
}
check "an HTML report over 2000 articles is a clear error and leaves no file" t_too_many

t_markdown_rejected() {
	assert_exit 2 classify article.txt --format markdown || return 1
	assert_one_line_error && assert_stderr_matches 'html'
}
check "classify --format markdown is a usage error that lists html" t_markdown_rejected

finish
