#!/usr/bin/env bash
# Run `make <stage>` for each stage in turn, timing each, and print a table of the times and a
# total at the end. The first stage to fail stops the run, and its exit code is the run's.
#
#   scripts/stages.sh preflight lint unit-sqlite      (`make test` runs it with every stage)
set -uo pipefail

MAKE=${MAKE:-make}
names=()
tenths=()
results=()
status=0

# Tenths of a second since the epoch (bash 5's EPOCHREALTIME is in microseconds).
clock() {
  local now=${EPOCHREALTIME:-$(date +%s.%N)}
  now=${now/,/.}
  local fraction=${now#*.}
  printf '%s%s' "${now%%.*}" "${fraction:0:1}"
}
duration() {
  local tenths=$1
  if [ "$tenths" -ge 600 ]; then
    printf '%dm%02d.%ds' $((tenths / 600)) $((tenths % 600 / 10)) $((tenths % 10))
  else
    printf '%d.%ds' $((tenths / 10)) $((tenths % 10))
  fi
}

summary() {
  local total=0 i
  printf '\n%-15s %9s  %s\n' "stage" "time" "result"
  printf '%-15s %9s  %s\n' "---------------" "---------" "------"
  for i in "${!names[@]}"; do
    printf '%-15s %9s  %s\n' "${names[$i]}" "$(duration "${tenths[$i]}")" "${results[$i]}"
    total=$((total + tenths[i]))
  done
  for stage in "${@}"; do
    printf '%-15s %9s  %s\n' "$stage" "" "not run"
  done
  printf '%-15s %9s  %s\n\n' "total" "$(duration "$total")" \
    "$([ "$status" -eq 0 ] && echo ok || echo "FAILED (exit $status)")"
}

stages=("$@")
for i in "${!stages[@]}"; do
  stage=${stages[$i]}
  printf '\n==> make %s\n' "$stage"
  start=$(clock)
  $MAKE --no-print-directory "$stage"
  code=$?
  names+=("$stage")
  tenths+=($(($(clock) - start)))
  if [ "$code" -ne 0 ]; then
    results+=("FAILED (exit $code)")
    status=$code
    summary "${stages[@]:$((i + 1))}"
    exit "$status"
  fi
  results+=("ok")
done
summary
