#!/usr/bin/env bash
# Label Studio for real (not run in CI): export mctext tasks, annotate them in a live Label
# Studio through its API, export from Label Studio, import back into mctext, check the store.
#
#   scripts/labelstudio_roundtrip.sh [RUN_OUT_DIR]
#
# RUN_OUT_DIR: output folder of `mctext run`; without it a small synthetic run is written.
# Label Studio goes into its own virtualenv ($LS_VENV, default /tmp/ls-venv; pip from PyPI)
# and runs on 127.0.0.1:$LS_PORT with a throw-away data dir and a known user and token.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PY="${MCTEXT_PYTHON:-$REPO/.venv/bin/python}"
MCTEXT="${MCTEXT_BIN:-$REPO/.venv/bin/mctext}"
LS_VENV="${LS_VENV:-/tmp/ls-venv}"
LS_PORT="${LS_PORT:-18080}"
LS_URL="http://127.0.0.1:$LS_PORT"
WORK="$(mktemp -d /tmp/mctext-ls-XXXXXX)"
export LABEL_STUDIO_USERNAME="annotator@mctext.local"
export LABEL_STUDIO_PASSWORD="mctext-roundtrip-pw"
export LABEL_STUDIO_USER_TOKEN="mctext0roundtrip0token0123456789abcdef"
export LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true   # the fixed token above is a legacy token
export LABEL_STUDIO_BASE_DATA_DIR="$WORK/ls-data"
export LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK=true
echo "work dir: $WORK"

if [ ! -x "$LS_VENV/bin/label-studio" ]; then
  echo "== installing label-studio into $LS_VENV (takes a few minutes)"
  python3 -m venv "$LS_VENV"
  "$LS_VENV/bin/pip" install -q --upgrade pip
  "$LS_VENV/bin/pip" install -q label-studio
fi
echo "== label-studio $("$LS_VENV/bin/pip" show label-studio | awk '/^Version/{print $2}')"

RUN="${1:-}"
if [ -z "$RUN" ]; then
  RUN="$WORK/run"
  echo "== no RUN_OUT_DIR given: writing a small synthetic run to $RUN"
  (cd "$REPO/tests" && "$PY" -c "from pathlib import Path; from test_annotate_fixtures import make_run; make_run(Path('$RUN'))")
fi

echo "== mctext annotate export (labelstudio)"
$MCTEXT annotate export --from "$RUN" --out "$WORK/tasks.json" --format labelstudio --select uncertain --n 6 \
  --store "$WORK/store"

echo "== starting Label Studio on $LS_URL"
"$LS_VENV/bin/label-studio" start --no-browser --internal-host 127.0.0.1 -p "$LS_PORT" \
  --username "$LABEL_STUDIO_USERNAME" --password "$LABEL_STUDIO_PASSWORD" \
  --user-token "$LABEL_STUDIO_USER_TOKEN" --enable-legacy-api-token >"$WORK/ls.log" 2>&1 &
LS_PID=$!
trap 'kill $LS_PID 2>/dev/null || true; wait $LS_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  if curl -fsS "$LS_URL/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 $LS_PID 2>/dev/null; then echo "Label Studio exited:"; tail -30 "$WORK/ls.log"; exit 1; fi
  sleep 2
done
curl -fsS "$LS_URL/health" >/dev/null || { echo "Label Studio did not come up"; tail -30 "$WORK/ls.log"; exit 1; }
echo "Label Studio is up (pid $LS_PID)"

echo "== project, task import, annotations, export through the API"
"$PY" "$REPO/scripts/labelstudio_roundtrip.py" --url "$LS_URL" --token "$LABEL_STUDIO_USER_TOKEN" \
  --tasks "$WORK/tasks.json" --config "$WORK/tasks.json.config.xml" \
  --export "$WORK/ls-export.json" --expected "$WORK/expected.json"

echo "== mctext annotate import (Label Studio's export)"
$MCTEXT annotate import "$WORK/ls-export.json" --store "$WORK/store" --from "$RUN"
echo "== re-import of the same file (must add nothing)"
$MCTEXT annotate import "$WORK/ls-export.json" --store "$WORK/store" --from "$RUN"

echo "== check: the store holds exactly the labels submitted in Label Studio"
"$PY" - "$WORK" <<'PYEOF'
import json, sys
from pathlib import Path
from mctext.annotate.store import read_annotations, training_records
work = Path(sys.argv[1])
expected = json.loads((work / "expected.json").read_text())
stored = {r["segment_id"]: {"labels": r["labels"], "driver_types": r["driver_types"]}
          for r in read_annotations(work / "store")}
gold = {r["id"]: {"labels": r["labels"], "driver_types": r["driver_types"]} for r in training_records(work / "store")}
annotators = sorted({r["annotator"] for r in read_annotations(work / "store")})
print(f"stored records: {len(stored)}, annotators: {annotators}")
assert stored == expected, f"store differs from what was submitted:\n{stored}\n{expected}"
assert gold == expected, "training_records differs from what was submitted"
print("OK: store == submitted labels + driver types; training_records == the same")
PYEOF
echo "== done (work dir $WORK)"
