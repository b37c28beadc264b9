#!/usr/bin/env bash
# Runs every atheris harness in fuzz/ for a bounded time and fails on any finding.
#
#   fuzz/run.sh SECONDS        total budget, shared equally by the harnesses (default 60)
#
# Uses $PYTHON (default: python) with routecore and atheris installed
# (pip install -e ".[test,fuzz]"). Corpora and crash inputs go to a temporary directory that
# is removed afterwards; a finding's input is printed (base64) so it can be replayed with
#   echo BASE64 | base64 -d > crash && python fuzz/fuzz_NAME.py crash
# Prints the number of executions per harness and in total.
set -euo pipefail
cd "$(dirname "$0")/.."

budget="${1:-60}"
python="${PYTHON:-python}"
harnesses=(fuzz/fuzz_graph.py fuzz/fuzz_scenario.py fuzz/fuzz_scenario_dir.py fuzz/fuzz_pickle.py)

if ! "$python" -c "import atheris, routecore" 2>/dev/null; then
  echo "fuzz/run.sh: $python cannot import atheris and routecore; pip install -e '.[fuzz]'" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/routecore-fuzz.XXXXXX")"
trap 'rm -rf "$work"' EXIT
per_harness=$(( budget / ${#harnesses[@]} ))
(( per_harness >= 1 )) || per_harness=1

status=0
total=0
for harness in "${harnesses[@]}"; do
  name="$(basename "$harness" .py)"
  mkdir -p "$work/$name/corpus" "$work/$name/scratch"
  log="$work/$name/log"
  set +e
  ROUTECORE_FUZZ_TMP="$work/$name/scratch" "$python" "$harness" "$work/$name/corpus" \
    -max_total_time="$per_harness" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/$name/" >"$log" 2>&1
  rc=$?
  set -e
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  runs="${runs:-0}"
  total=$(( total + runs ))
  if (( rc != 0 )); then
    status=1
    echo "== $name: FINDING after $runs executions (exit $rc)"
    sed -n '/=== Uncaught Python exception/,/^SUMMARY/p' "$log" | head -n 60
    grep -E '^(Base64|artifact_prefix)' "$log" || tail -n 40 "$log"
  else
    echo "== $name: $runs executions in ${per_harness} s, no finding"
  fi
done
echo "== fuzz total: $total executions"
exit "$status"
