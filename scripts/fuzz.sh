#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, coverage-instrumented code under test)
# and runs them one after another.
#   scripts/fuzz.sh                   every target, 180 s each
#   scripts/fuzz.sh sosl_parse 600    one target for 10 minutes
#   scripts/fuzz.sh all 60            every target, 60 s each
# Each run starts from the checked-in seeds (fuzz/corpus/<target>/) plus what earlier runs found
# (build/fuzz/corpus/<target>/, kept between runs). A crash leaves its input in
# build/fuzz/artifacts/<target>/ and stops the script: copy that file into fuzz/corpus/<target>/
# so that the CTest replay (<target>_fuzz_replay) reproduces it, then fix the code.
# Extra libFuzzer flags can be given in FUZZ_FLAGS (e.g. FUZZ_FLAGS="-jobs=2 -workers=2").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

target=${1:-all}
seconds=${2:-180}
build=build/fuzz

if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DSFKIT_BUILD_FUZZ=ON -DSFKIT_BUILD_TESTS=OFF \
    -DSFKIT_BUILD_BENCH=OFF >/dev/null
fi

if [ "$target" = all ]; then
  targets=$(ls fuzz/*_fuzz.cpp | sed 's|fuzz/||; s|_fuzz\.cpp$||')
else
  targets=$target
fi

# Token dictionaries (-dict=) by target.
dict_for() {
  case $1 in
    soql_parse | sosl_parse | date_literal) echo fuzz/soql.dict ;;
    record_xml | soap_envelope) echo fuzz/xml.dict ;;
    json_codec) echo fuzz/json.dict ;;
    *) [ -f "fuzz/$1.dict" ] && echo "fuzz/$1.dict" ;;
  esac
}

for t in $targets; do
  cmake --build "$build" --target "${t}_fuzz"
  work=$build/corpus/$t
  artifacts=$build/artifacts/$t
  mkdir -p "$work" "$artifacts"
  dict=$(dict_for "$t" || true)
  echo "== $t: ${seconds}s, seeds fuzz/corpus/$t ($(ls "fuzz/corpus/$t" | wc -l) files)"
  set +e
  # shellcheck disable=SC2086
  "$build/fuzz/${t}_fuzz" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" ${dict:+-dict=$dict} ${FUZZ_FLAGS:-} \
    "$work" "fuzz/corpus/$t" >"$build/$t.log" 2>&1
  rc=$?
  set -e
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|peak_rss)|^[a-z_]+_fuzz: |^input: |ERROR|SUMMARY' \
    "$build/$t.log" || true
  if [ "$rc" -ne 0 ]; then
    echo "$t: FAILED (exit $rc), see $build/$t.log and $artifacts/" >&2
    exit 1
  fi
  echo "== $t: corpus now $(ls "$work" | wc -l) files in $work"
done
