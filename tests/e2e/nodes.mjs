// The journey of a joint deployment: two `jinzai serve` nodes on one
// PostgreSQL database (a throwaway cluster from scripts/pgtmp.sh) behind an
// nginx of its own (a temporary config on free ports). nginx listens on three
// ports: one to each node, and one that spreads requests over both. A person
// logs in through node 1, carries on through node 2, saves there, and node 1
// shows what was saved; logging out on node 1 ends the session on node 2.
// Skipped, with the reason, when nginx or PostgreSQL 15 is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PGTMP = join(HERE, '..', '..', 'scripts', 'pgtmp.sh');
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const NAME = 'two nodes on PostgreSQL behind nginx: log in on one, save on the other, read on the first';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function nginxConf(dir, ports, nodes) {
  const proxy = (up) => `location / {
        proxy_pass http://${up};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_next_upstream error timeout;
      }`;
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream node1 { server 127.0.0.1:${nodes[0]}; }
  upstream node2 { server 127.0.0.1:${nodes[1]}; }
  upstream both { server 127.0.0.1:${nodes[0]}; server 127.0.0.1:${nodes[1]}; keepalive 8; }
  server { listen 127.0.0.1:${ports[0]}; ${proxy('node1')} }
  server { listen 127.0.0.1:${ports[1]}; ${proxy('node2')} }
  server { listen 127.0.0.1:${ports[2]}; ${proxy('both')} }
}
`;
}

async function stop(child, ms = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  if (!(await Promise.race([gone.then(() => true), sleep(ms).then(() => false)]))) child.kill('SIGKILL');
}

// t: what run.mjs shares (its helpers and the browser).
export async function nodesJourney(t) {
  const { jinzai, browser, password, newPage, login, journey, note, check, freePort, waitHealthy } = t;
  if (!NGINX) return note(`skipped: ${NAME}: nginx is not installed (scripts/deps.sh installs it)`);
  if (spawnSync('/bin/bash', [PGTMP, 'available']).status !== 0)
    return note(`skipped: ${NAME}: PostgreSQL 15 is not installed (scripts/deps.sh installs postgresql-15)`);
  const dir = mkdtempSync(join(tmpdir(), 'jinzai-nodes-'));
  chmodSync(dir, 0o755); // nginx's workers (nobody, when started as root) keep their buffers here
  let done = false;
  let pgdir = '';
  let nginx = null;
  const nodes = [];
  let log = '';
  const keep = (d) => {
    log = (log + d).slice(-6000);
  };
  const { context, page, watcher } = await newPage(browser);
  try {
    await journey(
      NAME,
      watcher,
      async () => {
        const st = spawnSync('/bin/bash', [PGTMP, 'start'], { encoding: 'utf8', timeout: 60000 });
        check(st.status === 0, `scripts/pgtmp.sh start failed: ${(st.stderr || '').trim().slice(0, 200)}`);
        pgdir = (/PGTMP_DIR=(.*)/.exec(st.stdout) || [])[1] || '';
        const url = (/PGTMP_URL='(.*)'/.exec(st.stdout) || [])[1];
        check(pgdir && url, 'scripts/pgtmp.sh printed no cluster');
        const init = spawnSync(jinzai, ['init', '--demo', '--db', url, '--demo-password', password], {
          encoding: 'utf8',
          timeout: 120000,
        });
        check(init.status === 0, `init --demo on PostgreSQL exited with ${init.status}: ${(init.stderr || '').trim().slice(0, 200)}`);
        const nodePorts = [await freePort(), await freePort()];
        for (const p of nodePorts) {
          const n = spawn(jinzai, ['serve', '--db', url, '--listen', `127.0.0.1:${p}`, '--trusted-proxy', '127.0.0.1/32'], {
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          n.stdout.on('data', keep);
          n.stderr.on('data', keep);
          nodes.push(n);
        }
        for (let i = 0; i < 2; i++) await waitHealthy(`http://127.0.0.1:${nodePorts[i]}`, nodes[i], 20000);
        const ports = [await freePort(), await freePort(), await freePort()];
        writeFileSync(join(dir, 'nginx.conf'), nginxConf(dir, ports, nodePorts));
        mkdirSync(join(dir, 'logs'), { recursive: true });
        nginx = spawn(NGINX, ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        nginx.stdout.on('data', keep);
        nginx.stderr.on('data', keep);
        const [one, two, both] = ports.map((p) => `http://127.0.0.1:${p}`);
        for (const b of [one, two, both]) await waitHealthy(b, nginx, 10000);

        // Log in through node 1.
        await login(page, one, 'admin');
        const city = async () => ((await page.locator('.city').first().textContent()) || '').trim();
        const before = await city();
        check(before.length > 0, 'no 団体名 in the header on node 1');
        // Carry on through node 2: the session is the database's, not node 1's.
        let resp = await page.goto(`${two}/admin/settings`);
        check(resp && resp.status() === 200, `GET /admin/settings on node 2 gave ${resp && resp.status()}`);
        check(new URL(page.url()).pathname === '/admin/settings', `node 2 sent the session to ${page.url()}`);
        // Save on node 2 ...
        const renamed = '共同利用テスト市';
        await page.fill('input[name="city"]', renamed);
        await Promise.all([page.waitForNavigation(), page.locator('form[action="/admin/settings"] button[type="submit"]').click()]);
        check(new URL(page.url()).search.includes('msg=saved'), `saving on node 2 ended on ${page.url()}`);
        check((await city()) === renamed, `node 2 shows ${await city()} after saving`);
        // ... and node 1 shows it at once (its caches follow the data version).
        resp = await page.goto(`${one}/`);
        check(resp && resp.status() === 200, `GET / on node 1 gave ${resp && resp.status()}`);
        check((await city()) === renamed, `node 1 still shows ${await city()}, not ${renamed}`);
        // Through the upstream of both, every request finds the session and the new name.
        for (let i = 0; i < 6; i++) {
          resp = await page.goto(`${both}/`);
          check(resp && resp.status() === 200 && new URL(page.url()).pathname === '/', `request ${i + 1} through both nodes: ${page.url()}`);
          check((await city()) === renamed, `request ${i + 1} through both nodes shows ${await city()}`);
        }
        // Logging out on node 1 ends the session on node 2 too.
        await page.goto(`${one}/`);
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'ログアウト' }).click()]);
        await page.goto(`${two}/admin/settings`);
        check(new URL(page.url()).pathname === '/login', `after logging out on node 1, node 2 answered ${page.url()}`);
        done = true;
      },
      120000,
    );
  } finally {
    await context.close().catch(() => {});
    await stop(nginx);
    for (const n of nodes) await stop(n);
    if (pgdir) spawnSync('/bin/bash', [PGTMP, 'stop', pgdir], { timeout: 30000 });
    rmSync(dir, { recursive: true, force: true });
  }
  if (!done && log) note(`nodes and nginx (last lines):\n${log.trim().split('\n').slice(-20).join('\n')}`);
}
