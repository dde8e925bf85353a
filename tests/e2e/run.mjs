// Browser journeys for jinzai: a real headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) against a freshly seeded demo
// database.
//
//   node run.mjs /abs/path/to/jinzai
//
// Prints one TAP-style line per journey ("ok - NAME" or "not ok - NAME: WHY");
// every other line starts with "#". Exit code 0 when all journeys pass.
// Full-page screenshots go to screenshots/ beside this file (git-ignored).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(HERE, 'screenshots');
const PASSWORD = 'e2e-password-123';
const JOURNEY_MS = 15000; // whole journey
const STEP_MS = 8000; // one navigation, click or wait

let failures = 0;
function report(name, err) {
  if (!err) {
    console.log(`ok - ${name}`);
    return;
  }
  failures++;
  const why = String(err && err.message ? err.message : err).split('\n')[0].slice(0, 300);
  console.log(`not ok - ${name}: ${why}`);
}
const note = (s) => console.log(String(s).split('\n').map((l) => `# ${l}`).join('\n'));

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitHealthy(base, server, ms) {
  const end = Date.now() + ms;
  let last = 'no answer';
  while (Date.now() < end) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(`server exited early (code ${server.exitCode}, signal ${server.signalCode})`);
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      const body = (await r.text()).trim();
      if (r.status === 200 && body === 'ok') return;
      last = `HTTP ${r.status} ${body.slice(0, 60)}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  throw new Error(`GET /healthz not "ok" within ${ms / 1000} s (${last})`);
}

// Katakana (ァ..ヶ) to hiragana; everything else unchanged.
const toHiragana = (s) => s.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));

// Console errors, uncaught exceptions and CSP violations of one page. A page
// that expects an error status can allow its "Failed to load resource" line.
function watch(page) {
  const problems = [];
  const allowed = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const url = (msg.location() && msg.location().url) || '';
    if (/^Failed to load resource/.test(text) && (allowed.some((u) => url.startsWith(u)) || /\/favicon\.ico$/.test(url)))
      return;
    problems.push(`console error: ${text}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return {
    allow: (url) => allowed.push(url),
    take() {
      const p = problems.splice(0);
      allowed.splice(0);
      return p;
    },
  };
}

// Reports CSP violations on the console even where Chromium would not.
const CSP_PROBE = `document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});`;

async function newPage(browser) {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 } });
  await context.addInitScript(CSP_PROBE);
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.setDefaultNavigationTimeout(STEP_MS);
  return { context, page, watcher: watch(page) };
}

async function login(page, base, who) {
  const resp = await page.goto(`${base}/login`);
  check(resp && resp.ok(), `GET /login gave ${resp && resp.status()}`);
  await page.fill('input[name="login"]', who);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'ログイン' }).click()]);
  check(!new URL(page.url()).pathname.startsWith('/login'), `login as ${who} stayed on ${page.url()}`);
}

const h1 = async (page) => ((await page.locator('h1').first().textContent()) || '').trim();

async function journey(name, watcher, fn) {
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error(`timed out after ${JOURNEY_MS / 1000} s`)), JOURNEY_MS);
      }),
    ]);
    const problems = watcher.take();
    check(problems.length === 0, problems.join(' | '));
    report(name);
  } catch (e) {
    watcher.take();
    report(name, e);
  } finally {
    clearTimeout(timer);
  }
}

async function main() {
  const bin = process.argv[2];
  if (!bin) {
    console.error('usage: node run.mjs /abs/path/to/jinzai');
    return 2;
  }
  const jinzai = resolve(bin);
  const tmp = mkdtempSync(join(tmpdir(), 'jinzai-e2e-'));
  const db = join(tmp, 'e2e.db');
  let server = null;
  let browser = null;
  let serverLog = '';
  let base = '';
  try {
    try {
      const init = spawnSync(jinzai, ['init', '--demo', '--db', db, '--demo-password', PASSWORD], {
        encoding: 'utf8',
        timeout: 30000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (init.error) throw init.error;
      check(init.status === 0, `jinzai init --demo exited with ${init.status}: ${(init.stderr || init.stdout || '').trim()}`);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = spawn(jinzai, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      const keep = (d) => {
        serverLog = (serverLog + d).slice(-8000);
      };
      server.stdout.on('data', keep);
      server.stderr.on('data', keep);
      server.on('error', (e) => keep(`spawn error: ${e.message}\n`));
      await waitHealthy(base, server, 10000);
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        timeout: 15000,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      });
    } catch (e) {
      report('setup', e);
      if (serverLog) note(`server output:\n${serverLog.trim()}`);
      return 1;
    }
    mkdirSync(SHOTS, { recursive: true });

    // dx (DX推進) is used by every journey but d.
    const { page, watcher } = await newPage(browser);
    let loggedIn = false;
    const asDx = async () => {
      if (!loggedIn) {
        await login(page, base, 'dx');
        loggedIn = true;
      }
    };

    await journey('login as dx and see home', watcher, async () => {
      const resp = await page.goto(`${base}/`);
      check(resp, 'no response for /');
      check(new URL(page.url()).pathname === '/login', `expected redirect to /login, got ${page.url()}`);
      await page.fill('input[name="login"]', 'dx');
      await page.fill('input[name="password"]', PASSWORD);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'ログイン' }).click()]);
      check(new URL(page.url()).pathname === '/', `after login at ${page.url()}`);
      const title = await h1(page);
      check(title === 'ホーム', `h1 is "${title}", expected "ホーム"`);
      loggedIn = true;
    });

    await journey('org tree shows units and missing leaders', watcher, async () => {
      await asDx();
      const resp = await page.goto(`${base}/org`);
      check(resp && resp.status() === 200, `GET /org gave ${resp && resp.status()}`);
      const tree = page.locator('ul.tree#org-tree');
      check((await tree.count()) === 1, 'no ul.tree#org-tree');
      const links = await tree.locator('a[href^="/org/"]').count();
      check(links >= 30, `only ${links} links to /org/ in the tree`);
      const flags = await tree.getByText('総括リーダー未配置').count();
      check(flags >= 1, 'no "総括リーダー未配置" flag in the tree');
      check((await tree.locator('details > summary').count()) >= 1, 'no details/summary in the tree');
      await page.screenshot({ path: join(SHOTS, 'org.png'), fullPage: true });
      // A 係: the tree shows each unit's level in the span after its name.
      const link = tree
        .locator('li')
        .filter({ has: page.locator(':scope > span.muted', { hasText: /^係$/ }) })
        .locator(':scope > span.unit-name > a')
        .first();
      check((await link.count()) === 1, 'no 係 unit in the tree');
      const text = ((await link.textContent()) || '').trim();
      await Promise.all([page.waitForNavigation(), link.click()]);
      check(/^\/org\/\d+$/.test(new URL(page.url()).pathname), `clicked "${text}" but at ${page.url()}`);
      const title = await h1(page);
      check(title === text, `unit page h1 is "${title}", expected "${text}"`);
    });

    await journey('search staff by kana and open their page', watcher, async () => {
      await asDx();
      const resp = await page.goto(`${base}/staff`);
      check(resp && resp.status() === 200, `GET /staff gave ${resp && resp.status()}`);
      const firstKana = ((await page.locator('table.data tbody tr').first().locator('td').nth(2).textContent()) || '').trim();
      check(firstKana, 'no rows on the first /staff page');
      const surname = firstKana.split(/[\u3000 ]/)[0];
      check(/^[\u30a1-\u30fc]+$/.test(surname), `first カナ "${firstKana}" has no katakana surname`);
      const hira = toHiragana(surname);
      const field = page.getByLabel('氏名・カナ・職員番号');
      await field.fill(hira);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '検索', exact: true }).click()]);
      check(new URL(page.url()).searchParams.get('q') === hira, `searched but at ${page.url()}`);
      const rows = page.locator('table.data tbody tr');
      const n = await rows.count();
      check(n >= 1, `no results for "${hira}"`);
      const kanas = (await rows.locator('td:nth-child(3)').allTextContents()).map((s) => s.trim());
      check(
        kanas.some((k) => k.startsWith(surname)),
        `no result's カナ starts with ${surname} (first: ${kanas.slice(0, 3).join(', ')})`,
      );
      await page.screenshot({ path: join(SHOTS, 'staff-search.png'), fullPage: true });
      const nameLink = rows.first().locator('td').nth(1).locator('a[href^="/staff/"]');
      const name = ((await nameLink.textContent()) || '').trim();
      await Promise.all([page.waitForNavigation(), nameLink.click()]);
      check(/^\/staff\/\d+$/.test(new URL(page.url()).pathname), `clicked "${name}" but at ${page.url()}`);
      const title = await h1(page);
      check(title === name, `person page h1 is "${title}", expected "${name}"`);
      check((await page.getByRole('heading', { name: '所属の履歴' }).count()) === 1, 'no "所属の履歴" heading');
      await page.screenshot({ path: join(SHOTS, 'person.png'), fullPage: true });
    });

    {
      const s = await newPage(browser);
      await journey('staff role cannot list staff', s.watcher, async () => {
        try {
          await login(s.page, base, 'shokuin');
          s.watcher.allow(`${base}/staff`);
          const resp = await s.page.goto(`${base}/staff`);
          check(resp, 'no response for /staff');
          check(resp.status() === 403, `GET /staff as shokuin gave ${resp.status()}, expected 403`);
          const me = await s.page.goto(`${base}/me`);
          check(me && me.status() === 200, `GET /me gave ${me && me.status()}`);
          const title = await h1(s.page);
          check(title.length > 0, 'no h1 on /me');
          check((await s.page.getByRole('heading', { name: '所属の履歴' }).count()) === 1, 'no "所属の履歴" heading on /me');
        } finally {
          await s.context.close().catch(() => {});
        }
      });
    }

    await journey('keyboard: skip link and focus', watcher, async () => {
      await asDx();
      const resp = await page.goto(`${base}/`);
      check(resp && resp.status() === 200, `GET / gave ${resp && resp.status()}`);
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        return el ? { tag: el.tagName, text: (el.textContent || '').trim(), href: el.getAttribute('href') } : null;
      });
      check(f && f.tag === 'A' && f.text === '本文へ移動', `focused ${f ? `${f.tag} "${f.text}"` : 'nothing'}, expected the skip link 本文へ移動`);
      check(f.href === '#main' && (await page.locator('#main').count()) === 1, `skip link points at ${f.href}, which is missing`);
    });
    return failures ? 1 : 0;
  } catch (e) {
    report('harness', e);
    return 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server && server.exitCode === null && server.signalCode === null) {
      const gone = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      if (await Promise.race([gone.then(() => true), sleep(3000).then(() => false)])) {
        if (server.exitCode) note(`server exited with ${server.exitCode} after SIGTERM`);
      } else {
        note('server ignored SIGTERM for 3 s; killing it');
        server.kill('SIGKILL');
      }
    }
    if (failures && serverLog) note(`server output (last lines):\n${serverLog.trim().split('\n').slice(-20).join('\n')}`);
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main();
