#!/usr/bin/env bash
# Test-suite wall time, old against new, back to back on clean clones (docs/benchmarks.md,
# "Test suite"). Usage: hivemind-bench/scripts/suite-times.sh OLD_REV [NEW_REV]
# NEW_REV (default HEAD) runs `bash .ci/run`, as CI does; OLD_REV runs `./mvnw verify`.
set -u
repo="$(cd "$(dirname "$0")/../.." && pwd)"
old="${1:?usage: suite-times.sh OLD_REV [NEW_REV]}"
new="${2:-HEAD}"

report() {
  for m in hivemind-*; do
    t=$(cat "$m"/target/surefire-reports/*.txt 2>/dev/null | grep -oE "Time elapsed: [0-9.]+" | awk '{s+=$3} END {printf "%.1f", s}')
    n=$(cat "$m"/target/surefire-reports/*.txt 2>/dev/null | grep -oE "^Tests run: [0-9]+" | awk '{s+=$3} END {print s+0}')
    it=$(cat "$m"/target/failsafe-reports/*.txt 2>/dev/null | grep -oE "Time elapsed: [0-9.]+" | awk '{s+=$3} END {printf "%.1f", s}')
    itn=$(cat "$m"/target/failsafe-reports/*.txt 2>/dev/null | grep -oE "^Tests run: [0-9]+" | awk '{s+=$3} END {print s+0}')
    echo "  $m unit: $n tests ${t}s; IT: $itn tests ${it}s"
  done
}

run() { # label rev command...
  local label="$1" rev="$2"; shift 2
  local dir; dir="$(mktemp -d)"
  git clone -q "$repo" "$dir" && git -C "$dir" checkout -q "$rev"
  cd "$dir" || return
  local start end
  start=$(date +%s.%N); "$@" > run.log 2>&1; local rc=$?; end=$(date +%s.%N)
  echo "$label ($rev) rc=$rc wall=$(echo "$end - $start" | bc) s"
  report
  cd / && rm -rf "$dir"
}

run new "$new" env CI=true bash .ci/run
run old "$old" ./mvnw -B verify
