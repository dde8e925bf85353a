#!/bin/sh
# Quiz benchmark: 200 quiz submissions sent at the same moment to a demo
# server (one open attempt each, prepared in the database), timed one by one.
# Connections come from four loopback addresses (the server allows 64
# per address). Prints the p50, p99 and max latency (target: p99 under 50 ms).
set -eu
cd "$(dirname "$0")/.."
N=${QUIZ_SUBMISSIONS:-200}
PY=/usr/bin/python3
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
./jinzai init --demo --db "$dir/bench.db" --demo-password bench-password-1 >/dev/null
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./jinzai serve --db "$dir/bench.db" --listen 127.0.0.1:$port 2>"$dir/serve.log" &
pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
$PY - "$dir/bench.db" "$port" "$N" "$pid" <<'PYEOF'
import http.client, os, re, sqlite3, sys, time, urllib.parse
db, port, n, spid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def cpu_ms():
    f = open("/proc/%s/stat" % spid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")
base = "127.0.0.1"
def conn(): return http.client.HTTPConnection(base, port, timeout=30)
# log in as shokuin
c = conn(); c.request("GET", "/login"); r = c.getresponse(); r.read()
pre = re.search(r"jz_pre=([^;]+)", r.getheader("Set-Cookie")).group(1)
body = urllib.parse.urlencode({"csrf": pre, "login": "shokuin", "password": "bench-password-1", "next": "/"})
c.request("POST", "/login", body, {"Cookie": "jz_pre=" + pre, "Content-Type": "application/x-www-form-urlencoded", "Origin": "http://%s:%d" % (base, port)})
r = c.getresponse(); r.read()
cookie = "jz_s=" + re.search(r"jz_s=([^;]+)", r.getheader("Set-Cookie")).group(1)
c.request("GET", "/", headers={"Cookie": cookie}); page = c.getresponse().read().decode()
csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
# n open attempts of 10 questions each, prepared directly
s = sqlite3.connect(db, timeout=30)
staff = s.execute("SELECT staff_id FROM account WHERE login = 'shokuin'").fetchone()[0]
course = s.execute("SELECT course_id FROM quiz ORDER BY course_id LIMIT 1").fetchone()[0]
qs = s.execute("SELECT id, kind FROM quiz_question WHERE course_id = ? ORDER BY id LIMIT 10", (course,)).fetchall()
opts = {q: [r[0] for r in s.execute("SELECT id FROM quiz_option WHERE question_id = ? ORDER BY seq", (q,))] for q, _ in qs}
right = {q: [r[0] for r in s.execute("SELECT id FROM quiz_option WHERE question_id = ? AND correct = 1", (q,))] for q, _ in qs}
now = int(time.time())
# every page read, so a passing submission completes the module as it would for a learner
s.execute("INSERT OR IGNORE INTO module_progress (staff_id, page_id, viewed_at) SELECT ?, id, '2026-04-01T09:00:00' FROM module_page WHERE course_id = ?", (staff, course))
bodies = []
for k in range(n):
    a = s.execute("INSERT INTO quiz_attempt (course_id, staff_id, started_at, deadline) VALUES (?, ?, ?, 0)", (course, staff, now)).lastrowid
    form = [("csrf", csrf)]
    for i, (q, kind) in enumerate(qs, 1):
        s.execute("INSERT INTO quiz_attempt_item (attempt_id, seq, question_id, options) VALUES (?, ?, ?, ?)", (a, i, q, ",".join(map(str, opts[q]))))
        wrong = k % 3 == 0 and i == 1  # some fail
        for o in right[q]:
            if wrong: break
            form.append(("a%d_%d" % (i, o), "1") if kind == "multiple" else ("a%d" % i, str(o)))
    bodies.append((a, urllib.parse.urlencode(form)))
s.commit(); s.close()
# Every connection is opened first; then one loop sends all requests and times
# each response as it completes (no client threads to queue behind).
import selectors, socket
sel = selectors.DefaultSelector()
conns = []
for a, b in bodies:
    sk = socket.create_connection((base, port), source_address=("127.0.0.%d" % (2 + a % 4), 0))
    req = ("POST /quiz/attempts/%d HTTP/1.1\r\nHost: %s:%d\r\nCookie: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           "Origin: http://%s:%d\r\nContent-Length: %d\r\n\r\n%s" % (a, base, port, cookie, base, port, len(b), b)).encode()
    conns.append((sk, req))
lat, codes = [], []
cpu0 = cpu_ms()
t0 = time.perf_counter()
for sk, req in conns:
    sk.sendall(req)
    sk.setblocking(False)
    sel.register(sk, selectors.EVENT_READ, [b""])
left = len(conns)
while left:
    for key, _ in sel.select():
        data = key.fileobj.recv(65536)
        key.data[0] += data
        got = key.data[0]
        # a keep-alive connection, as a browser's: the answer is complete at
        # the end of its headers plus Content-Length bytes
        end = got.find(b"\r\n\r\n")
        if data and (end < 0 or len(got) < end + 4 + int(re.search(rb"(?i)content-length: *(\d+)", got[:end]).group(1))):
            continue
        lat.append((time.perf_counter() - t0) * 1000)
        codes.append(int(key.data[0].split(b" ", 2)[1]))
        sel.unregister(key.fileobj); key.fileobj.close(); left -= 1
lat.sort()
cpu = cpu_ms() - cpu0
pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p / 100))]
ok = sum(1 for x in codes if x == 303)
print("quiz submissions: %d concurrent, %d answered 303" % (n, ok))
print("latency p50 %.1f ms  p99 %.1f ms  max %.1f ms  (target p99 < 50 ms)" % (pct(50), pct(99), lat[-1]))
print("server CPU %.2f ms per submission" % (cpu / n))
s = sqlite3.connect(db)
print("scored: %d, completions of the module for the user: %d" % (
    s.execute("SELECT COUNT(*) FROM quiz_attempt WHERE staff_id = ? AND submitted_at IS NOT NULL", (staff,)).fetchone()[0],
    s.execute("SELECT COUNT(*) FROM completion k JOIN training_session t ON t.id = k.session_id WHERE t.course_id = ? AND k.staff_id = ?", (course, staff)).fetchone()[0]))
PYEOF
