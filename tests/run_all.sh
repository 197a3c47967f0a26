#!/bin/sh
# Runs every CUnit suite and every CLI test script of one build variant.
# Usage: tests/run_all.sh BUILD_DIR   (e.g. build/plain)
b=${1:?build dir}
passed=0; failed=0; skipped=0; failures=""
export ENTENTE_BIN="$PWD/$b/entente"
export ENTENTE_ROOT="$PWD"
for t in "$b"/tests/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.o) continue ;; esac
	name=$(basename "$t")
	if (cd tests && "../$t") > "$t.log" 2>&1; then
		passed=$((passed + 1)); echo "PASS $name"
	else
		failed=$((failed + 1)); failures="$failures $name"
		echo "FAIL $name"; tail -n 40 "$t.log"
	fi
done
for t in tests/cli/*.sh; do
	case "$t" in */lib.sh) continue ;; esac
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	sh "$t" > "$b/cli-$name.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1)); echo "PASS cli/$name"
	elif [ $rc -eq 77 ]; then
		skipped=$((skipped + 1)); echo "SKIP cli/$name: $(tail -n 1 "$b/cli-$name.log")"
	else
		failed=$((failed + 1)); failures="$failures cli/$name"
		echo "FAIL cli/$name"; tail -n 40 "$b/cli-$name.log"
	fi
done
echo "$b: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || { echo "failing:$failures" >&2; exit 1; }
