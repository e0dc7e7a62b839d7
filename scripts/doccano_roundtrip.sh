#!/usr/bin/env bash
# doccano for real (not run in CI): export mctext tasks as doccano JSONL, import them into a
# live doccano, annotate through its API, export from doccano, import back into mctext, check
# that the store holds exactly what was submitted.
#
#   scripts/doccano_roundtrip.sh [RUN_OUT_DIR]
#
# doccano (PyPI package `doccano`, 1.8) goes into its own virtualenv ($DOCCANO_VENV, default
# /tmp/doccano-venv) with marshmallow<4 and numpy<2 (its environs 9 and pandas 1.5 need them). Its web app is served by
# waitress on 127.0.0.1:$DOCCANO_PORT (doccano's own `webserver` binds 0.0.0.0), its task
# queue (celery, SQLite broker) beside it, with a throw-away $DOCCANO_HOME and a known user.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PY="${MCTEXT_PYTHON:-$REPO/.venv/bin/python}"
MCTEXT="${MCTEXT_BIN:-$REPO/.venv/bin/mctext}"
DOCCANO_VENV="${DOCCANO_VENV:-/tmp/doccano-venv}"
DOCCANO_PORT="${DOCCANO_PORT:-18090}"
URL="http://127.0.0.1:$DOCCANO_PORT"
WORK="$(mktemp -d /tmp/mctext-doccano-XXXXXX)"
export DOCCANO_HOME="$WORK/doccano-home"
DC_USER=admin
DC_PASSWORD=mctext-roundtrip-pw
echo "work dir: $WORK"

if [ ! -x "$DOCCANO_VENV/bin/doccano" ]; then
  echo "== installing doccano into $DOCCANO_VENV (takes a few minutes)"
  python3 -m venv "$DOCCANO_VENV"
  "$DOCCANO_VENV/bin/pip" install -q doccano "marshmallow<4" "numpy<2"
fi
echo "== doccano $("$DOCCANO_VENV/bin/pip" show doccano | awk '/^Version/{print $2}')"
"$DOCCANO_VENV/bin/doccano" init >"$WORK/init.log" 2>&1 || { tail -20 "$WORK/init.log"; exit 1; }
"$DOCCANO_VENV/bin/doccano" createuser --username "$DC_USER" --password "$DC_PASSWORD" >>"$WORK/init.log" 2>&1

RUN="${1:-}"
if [ -z "$RUN" ]; then
  RUN="$WORK/run"
  echo "== no RUN_OUT_DIR given: writing a small synthetic run to $RUN"
  (cd "$REPO/tests" && "$PY" -c "from pathlib import Path; from test_annotate_fixtures import make_run; make_run(Path('$RUN'))")
fi

echo "== mctext annotate export (doccano)"
$MCTEXT annotate export --from "$RUN" --out "$WORK/tasks.jsonl" --format doccano --select uncertain --n 6 \
  --store "$WORK/store"

echo "== starting doccano on $URL (web app + task queue)"
"$DOCCANO_VENV/bin/python" -c "
import backend.cli  # doccano's own environment: settings, DOCCANO_HOME database, sys.path
from waitress import serve
from config.wsgi import application
serve(application, host='127.0.0.1', port=$DOCCANO_PORT, threads=4)" >"$WORK/web.log" 2>&1 &
WEB_PID=$!
"$DOCCANO_VENV/bin/doccano" task --concurrency 1 >"$WORK/task.log" 2>&1 &
TASK_PID=$!
trap 'kill $WEB_PID $TASK_PID 2>/dev/null || true; wait $WEB_PID $TASK_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 90); do
  if curl -fsS "$URL/v1/health/" >/dev/null 2>&1; then break; fi
  if ! kill -0 $WEB_PID 2>/dev/null; then echo "doccano exited:"; tail -30 "$WORK/web.log"; exit 1; fi
  sleep 2
done
curl -fsS "$URL/v1/health/" >/dev/null || { echo "doccano did not come up"; tail -30 "$WORK/web.log"; exit 1; }
echo "doccano is up (pid $WEB_PID, task queue $TASK_PID)"

echo "== project, import, annotations, export through the API"
"$PY" "$REPO/scripts/doccano_roundtrip.py" --url "$URL" --user "$DC_USER" --password "$DC_PASSWORD" \
  --tasks "$WORK/tasks.jsonl" --export "$WORK/doccano-export.jsonl" --expected "$WORK/expected.json"

echo "== mctext annotate import (doccano's export)"
$MCTEXT annotate import "$WORK/doccano-export.jsonl" --annotator doccano-admin --store "$WORK/store" --from "$RUN"
echo "== re-import of the same file (must add nothing)"
$MCTEXT annotate import "$WORK/doccano-export.jsonl" --annotator doccano-admin --store "$WORK/store" --from "$RUN"

echo "== check: the store holds exactly the labels submitted in doccano"
"$PY" - "$WORK" <<'PYEOF'
import json, sys
from pathlib import Path
from mctext.annotate.store import read_annotations, training_records
work = Path(sys.argv[1])
expected = json.loads((work / "expected.json").read_text())
stored = {r["segment_id"]: {"labels": r["labels"], "driver_types": r["driver_types"]}
          for r in read_annotations(work / "store")}
gold = {r["id"]: {"labels": r["labels"], "driver_types": r["driver_types"]} for r in training_records(work / "store")}
print(f"stored records: {len(stored)}")
assert stored == expected, f"store differs from what was submitted:\n{stored}\n{expected}"
assert gold == expected, "training_records differs from what was submitted"
print("OK: store == submitted labels + driver types; training_records == the same")
PYEOF
echo "== done (work dir $WORK)"
