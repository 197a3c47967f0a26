# Shared helpers for the CLI test scripts (POSIX sh). Source it:
#     . "$(dirname "$0")/lib.sh"
#
# Provides:
#   $T                       a private temporary directory, removed on exit
#   check NAME CMD...        runs CMD, prints "ok - NAME" or "not ok - NAME"
#   skip NAME REASON         prints "ok - NAME # SKIP REASON" (a check that cannot run here)
#   finish                   prints the tally; exits 0 when every check passed
#   skip_all REASON          exits 77 with REASON as the last line
#   run CMD...               runs CMD, stdout -> $T/stdout, stderr -> $T/stderr, $RC = status
#   assert_exit CODE CMD...  run + the status must be CODE (and never a signal)
#   assert_stderr_matches RE / assert_stdout_matches RE   (grep -E on the last run)
#   assert_one_line_error    stderr of the last run is exactly one "entente: ..." line
#   note TEXT                a diagnostic line ("# TEXT") for the log
#   write_training_data FILE labeled TSV, 30 sentences per label (label<TAB>text)
#   write_actor_dict FILE    a small CHN/USA/TWN/RUS dictionary
#   trained_model            trains (once per script run) with the dictionary; prints the path
#   trained_model_noactors   the same with --no-actors
#   py CODE ARGS...          runs /usr/bin/python3 -c CODE
# Set KEEP_T=1 to keep $T for debugging.

ENTENTE_BIN=${ENTENTE_BIN:-bin/entente}
ENTENTE_ROOT=${ENTENTE_ROOT:-.}
case "$ENTENTE_BIN" in /*) ;; *) ENTENTE_BIN="$PWD/$ENTENTE_BIN" ;; esac
case "$ENTENTE_ROOT" in /*) ;; *) ENTENTE_ROOT="$(cd "$ENTENTE_ROOT" && pwd)" ;; esac
export ENTENTE_BIN ENTENTE_ROOT
# The tests must not depend on a shipped model or dictionary.
unset ENTENTE_MODEL ENTENTE_ACTORS
# Stable sanitizer reports when the binary is an ASan build; keep leak checks on.
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export ASAN_OPTIONS UBSAN_OPTIONS
LC_ALL=C
export LC_ALL

PY=/usr/bin/python3
_passed=0
_failed=0
_skipped=0
_failures=""

T=$(mktemp -d "${TMPDIR:-/tmp}/entente-cli.XXXXXX") || { echo "cannot create a temporary directory"; exit 1; }
trap '[ -n "$KEEP_T" ] || rm -rf "$T"' EXIT
trap 'rm -rf "$T"; exit 130' INT
trap 'rm -rf "$T"; exit 143' TERM HUP

skip_all() {
	echo "$1"
	exit 77
}

if [ ! -x "$ENTENTE_BIN" ]; then
	skip_all "binary not built: $ENTENTE_BIN"
fi

note() {
	printf '# %s\n' "$*"
}

check() {
	_name=$1
	shift
	if "$@"; then
		_passed=$((_passed + 1))
		echo "ok - $_name"
	else
		_failed=$((_failed + 1))
		_failures="$_failures
  $_name"
		echo "not ok - $_name"
	fi
}

skip() {
	_skipped=$((_skipped + 1))
	echo "ok - $1 # SKIP $2"
}

finish() {
	echo "# $(basename "$0" .sh): $_passed passed, $_failed failed, $_skipped skipped"
	if [ "$_failed" -gt 0 ]; then
		printf '# failed:%s\n' "$_failures"
		exit 1
	fi
	exit 0
}

run() {
	"$@" >"$T/stdout" 2>"$T/stderr"
	RC=$?
	return 0
}

_show_stderr() {
	if [ -s "$T/stderr" ]; then
		note "stderr was:"
		head -n 15 "$T/stderr" | sed 's/^/#   /'
	else
		note "stderr was empty"
	fi
}

assert_exit() {
	_want=$1
	shift
	run "$@"
	if [ "$RC" -ge 128 ]; then
		note "killed by signal $((RC - 128)) (exit $RC): $*"
		_show_stderr
		return 1
	fi
	if [ "$RC" -ne "$_want" ]; then
		note "expected exit $_want, got $RC: $*"
		_show_stderr
		return 1
	fi
	return 0
}

assert_stderr_matches() {
	if grep -Eq -- "$1" "$T/stderr"; then
		return 0
	fi
	note "stderr does not match /$1/"
	_show_stderr
	return 1
}

assert_stdout_matches() {
	if grep -Eq -- "$1" "$T/stdout"; then
		return 0
	fi
	note "stdout does not match /$1/"
	head -n 15 "$T/stdout" | sed 's/^/#   /'
	return 1
}

assert_stderr_empty() {
	if [ ! -s "$T/stderr" ]; then
		return 0
	fi
	note "stderr should be empty"
	_show_stderr
	return 1
}

assert_one_line_error() {
	_lines=$(wc -l <"$T/stderr")
	if [ "$_lines" -eq 1 ] && grep -q '^entente: ' "$T/stderr"; then
		return 0
	fi
	note "expected one stderr line starting 'entente: ', got $_lines line(s)"
	_show_stderr
	return 1
}

py() {
	_code=$1
	shift
	"$PY" -c "$_code" "$@"
}

have_python() {
	[ -x "$PY" ]
}

# A labeled training set written by hand: 30 wire-news sentences per label.
write_training_data() {
	{
		printf 'label\ttext\n'
		awk '{ print "cooperative\t" $0 }' <<'EOF'
China and the United States agreed to resume talks on trade next month.
Beijing pledged to deepen cooperation with Washington on climate change.
The two foreign ministers signed an agreement to expand student exchanges.
Japan and South Korea agreed to restore a military intelligence sharing pact.
The European Union announced a new aid package for flood victims in Pakistan.
Leaders welcomed the ceasefire and praised the mediators for their patience.
Washington eased sanctions on Venezuelan oil exports after the election deal.
Moscow released two detained journalists as a goodwill gesture.
India and Bangladesh signed a water sharing treaty on Tuesday.
The president thanked Germany for its steady support during the crisis.
Both governments expressed a desire to work together on regional security.
France will provide emergency food assistance to Sudan, its foreign ministry said.
Turkey and Greece agreed to hold confidence building talks in Athens.
Officials from Taipei and Tokyo met to discuss closer economic ties.
The United Nations welcomed the peace accord signed by the rival factions.
Canada offered to mediate between the two neighbours and host negotiations.
Brazil and Argentina pledged to strengthen their partnership on energy.
The minister hailed a new chapter of friendship between the two nations.
Kenya and Ethiopia reached an agreement to reopen border trade.
Beijing and Washington will set up a joint working group on fentanyl control.
The summit ended with a joint statement pledging mutual respect and dialogue.
Australia agreed to share vaccines with Pacific island states.
Egypt brokered a truce that both sides promised to honour.
The United States donated medical supplies to earthquake survivors in Turkey.
Seoul and Pyongyang reopened a communication hotline after months of silence.
Norway facilitated a prisoner exchange between the warring parties.
The ministers endorsed a plan to cut tariffs and boost bilateral investment.
Indonesia welcomed Chinese investment in its new capital and praised the partnership.
Mexico and the United States agreed to cooperate on border security.
The two leaders shook hands and vowed to rebuild trust.
EOF
		awk '{ print "conflictual\t" $0 }' <<'EOF'
China condemned the arms sale to Taiwan as a gross interference in its affairs.
Washington threatened sanctions against companies that supply the military.
Russia expelled ten diplomats in retaliation for the spy scandal.
The foreign ministry accused its neighbour of violating the ceasefire.
Protesters clashed with police outside the embassy in Belgrade.
Troops opened fire on demonstrators, killing at least five people.
Iran rejected the proposal and warned of a harsh response.
North Korea fired two ballistic missiles into the sea, defying UN resolutions.
Beijing denounced the American warship passage through the strait as a provocation.
The government imposed new tariffs on steel imports in an escalating trade war.
Israel launched air strikes on targets in Gaza overnight.
India criticized Pakistan for harbouring militants behind the attack.
The president vowed to retaliate if the blockade was not lifted.
Armenia and Azerbaijan traded accusations after deadly border fighting.
The United States blacklisted several Chinese technology firms.
Rebels seized the airport and shelled government positions.
Moscow warned NATO that deploying missiles would cross a red line.
Taiwan protested against Chinese military drills near the island.
The ambassador was summoned to explain the hostile remarks.
Ethiopia mobilized troops along the disputed frontier.
Opposition leaders were arrested in a sweeping crackdown on dissent.
Venezuela suspended diplomatic relations with its neighbour over the dispute.
The minister slammed the report as a pack of lies aimed at smearing the country.
Gunmen attacked a military convoy, killing a dozen soldiers.
Washington froze the assets of officials accused of corruption and abuses.
Serbia threatened to boycott the talks unless its demands were met.
Chinese coast guard vessels blocked and rammed a Philippine supply boat.
The court sentenced the foreign activists to prison for espionage.
Sudan accused foreign powers of arming the paramilitary forces.
Lawmakers demanded punitive measures against the regime after the poisoning.
EOF
		awk '{ print "neutral\t" $0 }' <<'EOF'
The central bank left interest rates unchanged on Thursday.
Heavy rain is expected across the north of the country this weekend.
The ministry published its annual report on foreign trade figures.
Real Madrid beat Barcelona two goals to one in the league match.
Oil prices rose slightly in early trading in London.
The parliament will hold its next session in September.
Officials said the census results would be released later this year.
The foreign minister is scheduled to visit three African countries next week.
Shares in technology companies fell as investors awaited earnings.
The election commission said turnout reached sixty percent.
Temperatures will climb above thirty degrees in the capital.
The spokesman declined to comment on the report.
The population of the city grew by two percent last year, the statistics office said.
China's economy grew five percent in the third quarter, official data showed.
The United States will hold midterm elections in November.
A new museum of modern art opened in the old harbour district.
The delegation arrived in Geneva on Monday evening.
Taiwan reported an increase in tourist arrivals during the holiday.
The prime minister gave a speech at the university graduation ceremony.
The company announced it would build a new factory near the port.
The conference on ocean science will take place in Lisbon.
Farmers expect a good harvest of wheat after the mild winter.
The government appointed a new head of the statistics agency.
The marathon attracted more than forty thousand runners.
Washington said the president would travel to Asia later this month.
The ministry of health released new guidelines on seasonal flu vaccines.
The stock exchange will close early on the eve of the holiday.
Beijing hosted an international film festival over the weekend.
The report covers exports, imports and foreign direct investment.
A spokesperson said the meeting agenda had not yet been finalised.
EOF
	} >"$1"
}

# CODE<TAB>PATTERN[<TAB>key=value]; the first pattern of a code names it.
write_actor_dict() {
	cat >"$1" <<'EOF'
# test dictionary: a few countries and their capitals
CHN	China
CHN	People's Republic of China
CHN	Beijing
CHN	Chinese
USA	United States
USA	United States of America
USA	US	case=exact
USA	Washington
USA	White House
USA	American
TWN	Taiwan
TWN	Taipei
TWN	Taiwanese
RUS	Russia
RUS	Moscow
RUS	Kremlin
EOF
}

# Trains once per script run (cached in $T); prints the model path.
trained_model() {
	if [ ! -f "$T/cache/model.ent" ]; then
		mkdir -p "$T/cache"
		write_training_data "$T/cache/train.tsv"
		write_actor_dict "$T/cache/actors.tsv"
		"$ENTENTE_BIN" train "$T/cache/train.tsv" --actors "$T/cache/actors.tsv" --seed 1 \
			-o "$T/cache/model.ent" >"$T/cache/train.log" 2>&1 || {
			echo "training the test model failed:" >&2
			cat "$T/cache/train.log" >&2
			return 1
		}
	fi
	echo "$T/cache/model.ent"
}

trained_model_noactors() {
	if [ ! -f "$T/cache/model-noactors.ent" ]; then
		mkdir -p "$T/cache"
		write_training_data "$T/cache/train.tsv"
		"$ENTENTE_BIN" train "$T/cache/train.tsv" --no-actors --seed 1 \
			-o "$T/cache/model-noactors.ent" >"$T/cache/train-noactors.log" 2>&1 || {
			echo "training the test model (--no-actors) failed:" >&2
			cat "$T/cache/train-noactors.log" >&2
			return 1
		}
	fi
	echo "$T/cache/model-noactors.ent"
}
