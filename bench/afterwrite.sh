#!/bin/bash
# The organisation-wide pages right after a write: serves a copy of DB, logs
# in as dx (as bench/run.sh does) and, for each typical write (one self
# assessment submitted, one training application, one quiz passed), makes the
# write through the site and then requests /kpi, /gaps, /plans/demand and
# /kpi/report: the first request after the write against a warm one (server
# CPU ms from /proc/PID/stat, and wall ms). Then the same write once more and
# four concurrent requests of /kpi: their total server CPU shows whether each
# rebuilt the summaries or they waited for one rebuild. Prints a Markdown table.
#
# Usage: bench/afterwrite.sh DB (a database made by `jinzai init --demo
# [--staff N] --demo-password bench-password-1`; it is copied, not changed).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: bench/afterwrite.sh DB" >&2; exit 2; }
PY=/usr/bin/python3
dir=$(mktemp -d)
pid=
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$dir"' EXIT
sqlite3 "$1" ".backup '$dir/aw.db'"
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./jinzai serve --db "$dir/aw.db" --listen 127.0.0.1:$port 2>"$dir/serve.log" &
pid=$!
for i in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
$PY - "$dir/aw.db" "$port" "$pid" <<'PYEOF'
import http.client, os, re, sqlite3, sys, threading, time, urllib.parse
db, port, spid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tick = os.sysconf("SC_CLK_TCK")
origin = "http://127.0.0.1:%d" % port
PAGES = ["/kpi", "/gaps", "/plans/demand", "/kpi/report"]

def cpu():
    f = open("/proc/%s/stat" % spid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000.0 / tick

def conn(): return http.client.HTTPConnection("127.0.0.1", port, timeout=600)

c = conn()
c.request("GET", "/login"); r = c.getresponse(); r.read()
pre = re.search(r"jz_pre=([^;]+)", r.getheader("Set-Cookie")).group(1)
body = urllib.parse.urlencode({"csrf": pre, "login": "dx", "password": "bench-password-1", "next": "/"})
c.request("POST", "/login", body, {"Cookie": "jz_pre=" + pre, "Content-Type": "application/x-www-form-urlencoded", "Origin": origin})
r = c.getresponse(); r.read()
cookie = "jz_s=" + re.search(r"jz_s=([^;]+)", r.getheader("Set-Cookie")).group(1)

def get(path, cn=None):
    cn = cn or c
    cn.request("GET", path, headers={"Cookie": cookie})
    r = cn.getresponse()
    return r.status, r.read().decode("utf-8", "replace")

def post(path, form):
    c.request("POST", path, urllib.parse.urlencode(form),
              {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Origin": origin})
    r = c.getresponse(); r.read()
    return r.status

def timed(path):
    c0, t0 = cpu(), time.perf_counter()
    st, _ = get(path)
    if st != 200: raise SystemExit("afterwrite: %s answered %d" % (path, st))
    return cpu() - c0, (time.perf_counter() - t0) * 1000

csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', get("/")[1]).group(1)
s = sqlite3.connect(db, timeout=30)
me = s.execute("SELECT staff_id FROM account WHERE login = 'dx'").fetchone()[0]
nendo = int(s.execute("SELECT value FROM setting WHERE key = 'current_nendo'").fetchone()[0])

def write_assessment():
    # dx's own form back to a draft (not a write the site sees), then submitted
    s.execute("UPDATE assessment SET state = 'draft' WHERE staff_id = ? AND nendo = ?", (me, nendo)); s.commit()
    page = get("/assess")[1]
    form = [("csrf", csrf), ("nendo", str(nendo)), ("op", "submit")]
    form += [("level_" + i, "2") for i in sorted(set(re.findall(r'name="level_(\d+)"', page)))]
    return post("/assess", form)

def write_application():
    row = s.execute("SELECT t.id FROM training_session t JOIN course k ON k.id = t.course_id WHERE t.cancelled = 0 AND t.nendo = ?"
                    " AND k.format <> 'elearning' AND t.starts_at > strftime('%Y-%m-%dT%H:%M', 'now', '+14 days')"
                    " AND NOT EXISTS (SELECT 1 FROM application x WHERE x.session_id = t.id AND x.staff_id = ?) ORDER BY t.starts_at LIMIT 1",
                    (nendo, me)).fetchone()
    if not row: return 0
    return post("/sessions/%d/apply" % row[0], [("csrf", csrf), ("app_note", "")])

def write_quiz():
    # an open attempt prepared directly (as bench/quiz.sh does), answered right
    course = s.execute("SELECT course_id FROM quiz ORDER BY course_id LIMIT 1").fetchone()[0]
    qs = s.execute("SELECT id, kind FROM quiz_question WHERE course_id = ? ORDER BY id LIMIT 10", (course,)).fetchall()
    a = s.execute("INSERT INTO quiz_attempt (course_id, staff_id, started_at, deadline) VALUES (?, ?, ?, 0)", (course, me, int(time.time()))).lastrowid
    form = [("csrf", csrf)]
    for i, (q, kind) in enumerate(qs, 1):
        opts = [r[0] for r in s.execute("SELECT id FROM quiz_option WHERE question_id = ? ORDER BY seq", (q,))]
        s.execute("INSERT INTO quiz_attempt_item (attempt_id, seq, question_id, options) VALUES (?, ?, ?, ?)", (a, i, q, ",".join(map(str, opts))))
        for o in s.execute("SELECT id FROM quiz_option WHERE question_id = ? AND correct = 1", (q,)):
            form.append(("a%d_%d" % (i, o[0]), "1") if kind == "multiple" else ("a%d" % i, str(o[0])))
    s.commit()
    return post("/quiz/attempts/%d" % a, form)

WRITES = [("assessment submitted", write_assessment), ("training application", write_application), ("quiz passed", write_quiz)]
med = lambda xs: sorted(xs)[len(xs) // 2]
for p in PAGES: timed(p)  # the summaries built once
warm = {p: [timed(p) for _ in range(3)] for p in PAGES}
after = {}
for name, fn in WRITES:
    st = fn()
    if st != 303: print("warning: %s answered %d (expected 303)" % (name, st), file=sys.stderr)
    after[name] = {p: timed(p) for p in PAGES}
print("| page | warm: CPU ms | warm: wall ms | " + " | ".join("after %s: CPU / wall ms" % n for n, _ in WRITES) + " |")
print("|---|---:|---:|" + "---:|" * len(WRITES))
for p in PAGES:
    print("| `%s` | %.0f | %.0f | %s |" % (p, med([x[0] for x in warm[p]]), med([x[1] for x in warm[p]]),
                                      " | ".join("%.0f / %.0f" % after[n][p] for n, _ in WRITES)))
# four requests at once right after a write
fn = write_assessment
fn()
out = []
def one():
    cn = conn(); t0 = time.perf_counter(); get("/kpi", cn); out.append((time.perf_counter() - t0) * 1000); cn.close()
c0 = cpu()
ts = [threading.Thread(target=one) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print()
print("Four concurrent `/kpi` right after an assessment: server CPU %.0f ms in all, slowest %.0f ms wall (one warm request: %.0f ms CPU)."
      % (cpu() - c0, max(out), med([x[0] for x in warm["/kpi"]])))
PYEOF
