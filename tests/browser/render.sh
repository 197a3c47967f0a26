#!/bin/sh
# Renders the HTML reports of eval and classify in headless Chromium, saves
# PNG screenshots and checks they are not blank (tests/browser/pngcheck.py:
# distinct colours, the share of the page drawn, and the palette's blue and
# vermillion in the eval report), and that the pages print to PDF.
# Exits 77 (skip) where chromium is missing.
#
# Usage: sh tests/browser/render.sh            the test, on the CLI tests' small model
#        sh tests/browser/render.sh --readme   also trains on training/ and writes
#                                           tests/browser/eval.png and classify.png
# ENTENTE_SCREENSHOTS=DIR keeps the test's screenshots in DIR.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/lib.sh"

browser=""
for b in chromium chromium-browser google-chrome; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$(command -v "$b")
		break
	fi
done
[ -n "$browser" ] || skip_all "chromium is not installed (Debian package chromium): reports not rendered"
have_python || skip_all "needs /usr/bin/python3"

readme=""
[ "$1" = "--readme" ] && readme=1
out=${ENTENTE_SCREENSHOTS:-$T}
mkdir -p "$out"
cd "$T" || exit 1

# chromium FLAG... URL: one headless run with a fresh profile and no network.
chrome() {
	_profile=$(mktemp -d "$T/profile.XXXXXX")
	timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$_profile" "$@" >"$T/chromium.log" 2>&1
}

# shot HTML PNG [RRGGBB...]: a 1200x1600 screenshot that must not be blank.
shot() {
	_html=$1
	_png=$2
	shift 2
	rm -f "$_png"
	chrome --screenshot="$_png" --window-size=1200,1600 "file://$_html"
	if [ ! -s "$_png" ]; then
		note "chromium wrote no screenshot of $_html:"
		tail -n 5 "$T/chromium.log" | sed 's/^/#   /'
		return 1
	fi
	_summary=$("$PY" "$here/pngcheck.py" "$_png" "$@")
	_rc=$?
	note "$_summary"
	return $_rc
}

# pdf HTML: the print stylesheet lays the page out without trouble.
pdf() {
	rm -f page.pdf
	chrome --no-pdf-header-footer --print-to-pdf="$T/page.pdf" "file://$1"
	[ -s page.pdf ] && head -c 5 page.pdf | grep -q '%PDF-' || { note "no PDF of $1"; return 1; }
}

cat >article.txt <<'ARTICLE'
China and US agree to resume talks as Taiwan tensions simmer

BEIJING, March 4 (Wire) - China and the United States agreed to resume talks on trade and climate next month, officials in Beijing said on Tuesday. Both governments pledged to deepen cooperation on fentanyl control and student exchanges.

But Beijing condemned a new US arms sale to Taiwan as a gross interference in its internal affairs. Taipei accused Beijing of staging military drills near its coast. The central bank in Taipei left interest rates unchanged on Thursday.
ARTICLE

M=$(trained_model) || { echo "not ok - training the test model"; exit 1; }
write_actor_dict dict.tsv

t_eval() {
	assert_exit 0 "$ENTENTE_BIN" eval -m "$M" "$T/cache/train.tsv" --format html -o "$T/eval.html" --errors 5 &&
		shot "$T/eval.html" "$out/eval.png" 0072b2 d55e00
}
check "the eval report renders in chromium (blue and hatched vermillion bars drawn)" t_eval

t_classify() {
	assert_exit 0 "$ENTENTE_BIN" classify -m "$M" --actors dict.tsv article.txt --format html -o "$T/classify.html" &&
		shot "$T/classify.html" "$out/classify.png"
}
check "the classify report renders in chromium" t_classify

t_print() {
	pdf "$T/eval.html" && pdf "$T/classify.html"
}
check "both reports print to PDF" t_print

# The README's pictures: a model trained on training/, the test split, the
# demo article; run from the project root so the titles show relative paths.
t_readme() {
	(
		cd "$ENTENTE_ROOT" || exit 1
		# shellcheck disable=SC2046
		assert_exit 0 "$ENTENTE_BIN" train $(ls training/*.tsv | grep -v '/test\.tsv$') --actors models/actors.tsv \
			--c 1 --seed 1 -o "$T/readme.model" &&
			assert_exit 0 "$ENTENTE_BIN" eval -m "$T/readme.model" training/test.tsv --format html --errors 8 \
				-o "$T/readme-eval.html" &&
			assert_exit 0 "$ENTENTE_BIN" classify -m "$T/readme.model" tests/data/demo-article.txt --format html \
				-o "$T/readme-classify.html"
	) &&
		shot "$T/readme-eval.html" "$here/eval.png" 0072b2 d55e00 &&
		shot "$T/readme-classify.html" "$here/classify.png"
}
if [ -n "$readme" ]; then
	check "the README screenshots (tests/browser/eval.png, classify.png)" t_readme
fi
finish
