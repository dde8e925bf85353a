// Browser journeys for jinzai: a real headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) against a freshly seeded demo
// database.
//
//   node run.mjs /abs/path/to/jinzai
//   JINZAI_E2E_PG='host=… port=… user=…' node run.mjs /abs/path/to/jinzai
//
// The demo database is an SQLite file in a temporary folder; with
// JINZAI_E2E_PG (a libpq keyword string or postgresql:// URL of a server
// where this user may create databases; `make test-pg` sets it) it is a new
// database jze2e_PID on that server instead, dropped at the end.
// Prints one TAP-style line per journey ("ok - NAME" or "not ok - NAME: WHY",
// NAME ending in " [PostgreSQL]" on PostgreSQL); every other line starts
// with "#". Exit code 0 when all journeys pass. Full-page screenshots go to
// screenshots/ beside this file (screenshots/pg/ on PostgreSQL; git-ignored).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { nodesJourney } from './nodes.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PG = (process.env.JINZAI_E2E_PG || '').trim();
const SHOTS = join(HERE, 'screenshots', ...(PG ? ['pg'] : []));
const PASSWORD = 'e2e-password-123';
// Budgets hold on a 2-core machine busy with other builds (load average 8):
// a step there took up to 9 s while it takes well under 1 s when idle.
const JOURNEY_MS = 45000; // whole journey
const AXE_MS = 60000; // each part of the accessibility journey: 5-7 pages at two widths
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const STEP_MS = 20000; // one navigation, click or wait

let failures = 0;
function report(name, err) {
  if (PG) name += ' [PostgreSQL]';
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

// psql on database conn of the PostgreSQL server: one statement, rows as
// lines of |-separated fields and NULL as nothing, as sqlite3 prints them.
const psql = (conn, q) =>
  spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', conn, '-c', q], { encoding: 'utf8', timeout: 10000 });

// JINZAI_E2E_PG with its database replaced by name (in a keyword string the
// last dbname counts).
function pgDatabase(name) {
  if (!/^postgres(ql)?:\/\//.test(PG)) return `${PG} dbname=${name}`;
  const u = new URL(PG);
  u.pathname = `/${name}`;
  return u.toString();
}

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

// GET base+path and insist on HTTP 200 (a teammate's unfinished screen answers
// 404 "準備中です"; say so plainly).
async function open(page, base, path, want = 200) {
  const resp = await page.goto(`${base}${path}`);
  check(resp, `no response for ${path}`);
  if (resp.status() !== want) {
    const body = ((await page.locator('main').first().textContent().catch(() => '')) || '').trim();
    throw new Error(`GET ${path} gave ${resp.status()}, expected ${want}${body ? ` (${body.replace(/\s+/g, ' ').slice(0, 80)})` : ''}`);
  }
  return resp;
}

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
// Collapses ASCII white space only: names keep their full-width space.
const textOf = async (loc) => ((await loc.textContent()) || '').replace(/[ \t\r\n]+/g, ' ').trim();

// Click something that navigates, and wait for the new page.
async function follow(page, loc) {
  await Promise.all([page.waitForNavigation(), loc.click()]);
}

// axe-core's WCAG 2.0/2.1 level A and AA rules on the current page. Returns
// one entry per rule with the nodes it flags, less AXE_IGNORE.
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Known false positives, each pinned to one page, rule and node (the node's
// axe target selector); say why beside each.
const AXE_IGNORE = [];
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.addScriptTag({ content: AXE_SOURCE });
  const res = await page.evaluate(
    (tags) => globalThis.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  const path = new URL(page.url()).pathname;
  const found = [];
  for (const v of res.violations) {
    const nodes = v.nodes
      .map((n) => n.target.join(' '))
      .filter((t) => !AXE_IGNORE.some((i) => i.rule === v.id && i.path.test(path) && i.target === t));
    if (nodes.length) found.push({ id: v.id, impact: v.impact || 'minor', nodes });
  }
  return found;
}

async function journey(name, watcher, fn, ms = JOURNEY_MS) {
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error(`timed out after ${ms / 1000} s`)), ms);
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
  const pgName = `jze2e_${process.pid}`;
  let pgMade = false;
  const db = PG ? pgDatabase(pgName) : join(tmp, 'e2e.db');
  let server = null;
  let browser = null;
  let serverLog = '';
  let base = '';
  try {
    try {
      if (PG) {
        note('backend: PostgreSQL');
        const made = psql(PG, `CREATE DATABASE ${pgName}`);
        if (made.error) throw made.error;
        check(made.status === 0, `CREATE DATABASE ${pgName} on JINZAI_E2E_PG failed: ${(made.stderr || '').trim()}`);
        pgMade = true;
      }
      const init = spawnSync(jinzai, ['init', '--demo', '--db', db, '--demo-password', PASSWORD], {
        encoding: 'utf8',
        timeout: PG ? 120000 : 30000,
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

    // One browser context per other user, logged in on first use.
    const users = new Map();
    const userJourney = async (name, who, fn) => {
      let s = users.get(who);
      if (!s) {
        try {
          s = { ...(await newPage(browser)), loggedIn: false };
        } catch (e) {
          report(name, e);
          return;
        }
        users.set(who, s);
      }
      await journey(name, s.watcher, async () => {
        if (!s.loggedIn) {
          await login(s.page, base, who);
          s.loggedIn = true;
        }
        await fn(s.page, s.watcher);
      });
    };

    await journey('skill map', watcher, async () => {
      await asDx();
      await open(page, base, '/skills');
      check((await h1(page)) === 'スキルマップ', `h1 is "${await h1(page)}"`);
      const sections = page.locator('section.panel[id^="cat-"]');
      const n = await sections.count();
      check(n >= 3, `only ${n} category sections (section.panel[id^="cat-"])`);
      const first = sections.first();
      check((await first.locator('h2').count()) === 1, 'first category section has no h2');
      const heads = (await first.locator('thead th').allTextContents()).map((t) => t.trim());
      for (const h of ['③一般', '②リーダー', '①高度', '行動指標'])
        check(heads.includes(h), `column "${h}" missing (have ${heads.join(', ')})`);
      const targets = (await first.locator('tbody tr').first().locator('td.num').allTextContents()).map((t) => t.trim());
      check(targets.length === 3 && targets.every((t) => /^[0-4]$/.test(t)), `first item's targets are [${targets.join(', ')}]`);
      const details = first.locator('tbody tr').first().locator('details');
      const level = details.locator('ol > li').first();
      check(!(await level.isVisible()), '行動指標 visible before opening');
      await details.locator('summary').click();
      check(await details.evaluate((d) => d.open), '行動指標 <details> did not open on click');
      check(await level.isVisible(), '行動指標 list not visible after opening');
      check((await details.locator('ol > li').count()) === 5, '行動指標 does not list levels 0–4');
      await shot(page, 'skills');
    });

    await userJourney('self-assessment draft', 'shokuin', async (p) => {
      await open(p, base, '/assess');
      check((await h1(p)).startsWith('自己評価'), `h1 is "${await h1(p)}"`);
      // The categories fold; the first one not yet complete is open.
      const item = p.locator('details.cat[open] fieldset.item').first();
      check((await item.count()) === 1, 'no fieldset.item in an open category on /assess');
      const radios = item.locator('input[type="radio"]');
      check((await radios.count()) === 5, `first item has ${await radios.count()} level radios, expected 5`);
      const name = await radios.first().getAttribute('name');
      // No wait here: an item may have no level chosen yet.
      const was = await item.evaluate((f) => (f.querySelector('input[type="radio"]:checked') || {}).value ?? null);
      const pick = String(((Number(was) || 0) + 1) % 5);
      await item.locator(`input[type="radio"][value="${pick}"]`).check();
      const comment = item.locator('input[name^="comment_"]');
      const words = `E2E確認用のコメント ${Date.now() % 100000}`;
      await comment.fill(words);
      await follow(p, p.getByRole('button', { name: '下書き保存', exact: true }));
      const flash = p.locator('.flash');
      check((await flash.count()) >= 1, `no flash after 下書き保存 (at ${p.url()})`);
      const said = await textOf(flash.first());
      check(said.includes('保存しました'), `flash says "${said}"`);
      await shot(p, 'assess');
      await open(p, base, '/assess');
      const now = await p.evaluate((n) => (document.querySelector(`input[name="${n}"]:checked`) || {}).value ?? null, name);
      check(now === pick, `after reload ${name} is ${now}, expected ${pick} (was ${was})`);
      const kept = await p.locator(`fieldset.item:has(input[name="${name}"])`).locator('input[name^="comment_"]').inputValue();
      check(kept === words, `after reload the comment is "${kept}"`);
    });

    // A phone (390 × 844): no page scrolls sideways, the header menu folds
    // behind one button, and the self-assessment saves one category at a time.
    const phone = async (js = true) => {
      const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 390, height: 844 }, javaScriptEnabled: js });
      await context.addInitScript(CSP_PROBE);
      const p = await context.newPage();
      p.setDefaultTimeout(STEP_MS);
      p.setDefaultNavigationTimeout(STEP_MS);
      return { context, page: p, watcher: watch(p) };
    };
    const noSideways = async (p, where) => {
      const m = await p.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
      check(m.sw <= m.w + 1, `${where} is ${m.sw} px wide in a ${m.w} px window (scrolls sideways)`);
    };
    const phonePages = async (who, paths) => {
      const s = await phone();
      try {
        await journey(`phone 390 px as ${who}: no sideways scroll, menu behind a button`, s.watcher, async () => {
          await login(s.page, base, who);
          const p = s.page;
          for (const path of paths) {
            await open(p, base, path);
            await noSideways(p, path);
            const btn = p.locator('header.site button.menu-toggle');
            const menu = p.locator('#site-menu nav.global');
            check(await btn.isVisible(), `${path}: no menu button at 390 px`);
            check((await btn.getAttribute('aria-expanded')) === 'false', `${path}: menu button starts expanded`);
            check(!(await menu.isVisible()), `${path}: menu shown before the button is pressed`);
            await btn.click();
            check((await btn.getAttribute('aria-expanded')) === 'true', `${path}: button press did not set aria-expanded`);
            check(await menu.isVisible(), `${path}: menu not shown after the button is pressed`);
            check((await menu.locator('a').count()) >= 3, `${path}: opened menu has fewer than 3 links`);
            await noSideways(p, `${path} with the menu open`);
            if (path === paths[0]) await shot(p, `phone-${who}-menu`);
            await btn.click();
            check(!(await menu.isVisible()), `${path}: menu still shown after pressing the button again`);
            await shot(p, `phone-${who}${path === '/' ? '-home' : path.replace(/\//g, '-')}`);
          }
        });
      } finally {
        await s.context.close().catch(() => {});
      }
    };
    await phonePages('dx', ['/', '/org', '/staff', '/assess', '/gaps', '/training', '/kpi', '/tiers', '/sessions']);
    await phonePages('shokuin', ['/', '/assess', '/training', '/sessions', '/courses', '/me']);
    {
      const s = await phone(false);
      try {
        await journey('phone 390 px without script: the menu is listed', s.watcher, async () => {
          await login(s.page, base, 'dx');
          await open(s.page, base, '/');
          check(!(await s.page.locator('header.site button.menu-toggle').isVisible()), 'menu button shown without script');
          check(await s.page.locator('#site-menu nav.global').isVisible(), 'menu not listed without script');
          await noSideways(s.page, '/ without script');
          await shot(s.page, 'phone-nojs-home');
        });
      } finally {
        await s.context.close().catch(() => {});
      }
    }
    {
      const s = await phone();
      try {
        await journey('phone 390 px: save one category of the self-assessment', s.watcher, async () => {
          const p = s.page;
          await login(p, base, 'shokuin');
          await open(p, base, '/assess');
          const cats = p.locator('details.cat');
          check((await cats.count()) >= 3, `only ${await cats.count()} categories on /assess`);
          check((await p.locator('details.cat[open]').count()) <= 1, 'more than one category open');
          // Open the second category by its summary and save it alone.
          const cat = cats.nth(1);
          const id = await cat.getAttribute('id');
          if (!(await cat.evaluate((d) => d.open))) await cat.locator('summary').click();
          check(await cat.evaluate((d) => d.open), `${id} did not open on its summary`);
          const item = cat.locator('fieldset.item').first();
          const radios = item.locator('input[type="radio"]');
          const name = await radios.first().getAttribute('name');
          const was = await item.evaluate((f) => (f.querySelector('input[type="radio"]:checked') || {}).value ?? null);
          const pick = String(((Number(was) || 0) + 2) % 5);
          await item.locator(`input[type="radio"][value="${pick}"]`).check();
          await noSideways(p, '/assess with a category open');
          await shot(p, 'phone-assess-category');
          const save = cat.locator('.cat-actions button[name="cat"]');
          check((await textOf(save)).includes('下書き保存'), `category button says "${await textOf(save)}"`);
          await follow(p, save);
          const flash = p.locator('.flash');
          check((await flash.count()) >= 1 && (await textOf(flash.first())).includes('保存しました'), `no 保存しました after saving ${id}`);
          await open(p, base, '/assess');
          const now = await p.evaluate((n) => (document.querySelector(`input[name="${n}"]:checked`) || {}).value ?? null, name);
          check(now === pick, `after reload ${name} is ${now}, expected ${pick} (was ${was})`);
          const count = await textOf(p.locator(`#${id} .cat-count`));
          check(/^\d+\/\d+ 入力済$/.test(count), `${id} shows "${count}" as its count`);
          await noSideways(p, '/assess after saving');
        });
      } finally {
        await s.context.close().catch(() => {});
      }
    }

    await userJourney('supervisor review', 'kacho', async (p) => {
      await open(p, base, '/assess/review');
      const rows = p.locator('table.data tbody tr').filter({ has: p.locator('span.badge', { hasText: /^提出済$/ }) });
      const n = await rows.count();
      check(n >= 1, 'no 提出済 rows on /assess/review');
      await shot(p, 'review');
      const link = rows.first().locator('a[href^="/assess/"]').first();
      const who = await textOf(link);
      await follow(p, link);
      check(/^\/assess\/\d+$/.test(new URL(p.url()).pathname), `opened "${who}" but at ${p.url()}`);
      check((await h1(p)).includes(who), `h1 "${await h1(p)}" does not name ${who}`);
      check((await p.locator('select[name^="sup_"]').count()) >= 1, 'no 確認レベル selects');
      await shot(p, 'review-person');
      await follow(p, p.getByRole('button', { name: 'この内容で確認する', exact: true }));
      check(new URL(p.url()).pathname === '/assess/review', `after 確認 at ${p.url()}, expected /assess/review`);
      const flash = p.locator('.flash');
      check((await flash.count()) >= 1, 'no flash after この内容で確認する');
      const said = await textOf(flash.first());
      check(said.includes('確認しました'), `flash says "${said}"`);
      const still = await p.locator('table.data tbody tr').filter({ has: p.locator('span.badge', { hasText: /^提出済$/ }) }).filter({ hasText: who }).count();
      check(still === 0, `${who} is still listed as 提出済 after 確認`);
    });

    await journey('gap analysis', watcher, async () => {
      await asDx();
      await open(page, base, '/gaps');
      const table = page.locator('table.data').filter({ has: page.locator('th', { hasText: '到達率' }) }).first();
      check((await table.count()) === 1, 'no table with a 到達率 column on /gaps');
      check((await table.locator('tbody td.num', { hasText: '%' }).count()) >= 4, 'no percentages in the 到達率 table');
      await shot(page, 'gaps');
      // A 課 rather than the whole 部局, so the heatmap stays readable.
      const unit = page.locator('a[href^="/gaps/unit/"]').filter({ hasText: /課$/ }).first();
      check((await unit.count()) === 1, 'no link to a 課 on /gaps');
      const unitName = await textOf(unit);
      await follow(page, unit);
      check(/^\/gaps\/unit\/\d+$/.test(new URL(page.url()).pathname), `clicked "${unitName}" but at ${page.url()}`);
      check((await h1(page)).includes(unitName), `h1 "${await h1(page)}" does not name ${unitName}`);
      const heat = page.locator('table.heat');
      check((await heat.count()) >= 1, 'no heatmap table (table.heat)');
      const marks = await heat.locator('td').filter({ hasText: /[◎○△▲✕]/ }).count();
      check(marks >= 1, 'heatmap has no ◎○△▲✕ symbols');
      await shot(page, 'gaps-unit');
      const person = page.locator('a[href^="/gaps/person/"]').first();
      check((await person.count()) === 1, 'no link to a person on the unit page');
      const personName = await textOf(person);
      await follow(page, person);
      check(/^\/gaps\/person\/\d+$/.test(new URL(page.url()).pathname), `clicked "${personName}" but at ${page.url()}`);
      const radar = page.locator('svg[role="img"]');
      check((await radar.count()) >= 1, 'no svg[role=img] radar chart');
      check(await radar.first().isVisible(), 'radar chart not visible');
      await shot(page, 'gaps-person');
    });

    await userJourney('training calendar and session', 'shokuin', async (p) => {
      await open(p, base, '/sessions');
      check((await p.locator('table.calendar').count()) === 1, 'no calendar table (table.calendar) on /sessions');
      await shot(p, 'sessions');
      // The first session still ahead: this month's list, else the next months.
      const now = Date.now();
      let target = null;
      for (let i = 0; i < 4 && !target; i++) {
        const listed = await p.$$eval('table.data:not(.calendar) tbody tr', (rows) =>
          rows.map((r) => [
            (r.querySelector('time[datetime]') || { dateTime: '' }).dateTime,
            (r.querySelector('a[href^="/sessions/"]') || { pathname: '' }).pathname,
          ]),
        );
        const next = listed.find(([when, href]) => href && when && Date.parse(when) > now);
        if (next) target = next[1];
        if (!target) await follow(p, p.locator('a[rel="next"]').first());
      }
      check(target, 'no future session in this month or the next three');
      await open(p, base, target);
      const mine = p.locator('#mine');
      check((await mine.count()) === 1, `no わたしの申込 section on ${target}`);
      const before = await textOf(mine);
      const apply = mine.getByRole('button', { name: '申し込む', exact: true });
      if ((await apply.count()) === 1) {
        await follow(p, apply);
        const after = await textOf(p.locator('#mine'));
        const flash = (await p.locator('.flash').count()) ? await textOf(p.locator('.flash').first()) : '';
        check(after !== before || flash, `pressing 申し込む changed nothing on ${target}`);
        check(
          /申込状態|承認待ち|キャンセル待ち|受講決定/.test(after) || /できません|ません/.test(flash),
          `after 申し込む: "${after.slice(0, 100)}" ${flash ? `flash "${flash}"` : ''}`,
        );
      } else {
        note(`${target}: no 申し込む button (${before.slice(0, 80)})`);
      }
      await shot(p, 'session');
      await open(p, base, '/training');
      check((await p.getByRole('heading', { name: '申込状況' }).count()) === 1, 'no 申込状況 heading on /training');
      await shot(p, 'training');
    });

    await journey('training approvals', watcher, async () => {
      await asDx();
      await open(page, base, '/training/approvals');
      check((await h1(page)).includes('承認'), `h1 is "${await h1(page)}"`);
      await shot(page, 'approvals');
      await open(page, base, '/plans');
      const plan = page.locator('table.data').filter({ has: page.locator('thead th', { hasText: /^実績$/ }) }).first();
      check((await plan.count()) === 1, 'no table with a 実績 column group on /plans');
      const sub = (await plan.locator('thead tr').nth(1).locator('th').allTextContents()).map((t) => t.trim());
      for (const h of ['開催', '受講決定', '修了']) check(sub.includes(h), `実績 column "${h}" missing (have ${sub.join(', ')})`);
      const rows = await plan.locator('tbody tr').count();
      check(rows >= 1, 'no plan rows on /plans');
      await shot(page, 'plans');
      await open(page, base, '/courses');
      const samples = await page.locator('main a', { hasText: '【サンプル】' }).count();
      check(samples >= 2, `only ${samples} 【サンプル】 course links on /courses`);
      await shot(page, 'courses');
    });

    await journey('KPI dashboard', watcher, async () => {
      await asDx();
      await open(page, base, '/kpi');
      const cards = page.locator('.cards .card');
      const n = await cards.count();
      check(n >= 3, `only ${n} KPI tiles on /kpi`);
      const withBoth = await cards.filter({ hasText: '%' }).filter({ hasText: '目標' }).count();
      check(withBoth >= 1, 'no KPI tile shows both "%" and "目標"');
      await shot(page, 'kpi');
      await open(page, base, '/kpi/coverage');
      const bad = page
        .locator('table.data tbody tr')
        .filter({ hasText: '✕' })
        .filter({ has: page.locator('th a', { hasText: /係$/ }) });
      check((await bad.count()) >= 1, 'no ✕ row for a 係 on /kpi/coverage');
      const badText = await textOf(bad.first());
      check(badText.includes('総括リーダー'), `first ✕ 係 row is not about 総括リーダー: "${badText.slice(0, 80)}"`);
      await shot(page, 'kpi-coverage');
      await open(page, base, '/kpi/report');
      check((await h1(page)).includes('推進状況報告'), `h1 is "${await h1(page)}"`);
      await shot(page, 'kpi-report');
      try {
        await page.emulateMedia({ media: 'print' });
        check(!(await page.locator('nav.global').isVisible()), 'main navigation still visible when printing');
        check(!(await page.locator('nav.crumbs').isVisible()), 'breadcrumbs still visible when printing');
        check(await page.locator('h1').first().isVisible(), 'h1 hidden when printing');
        await shot(page, 'kpi-report-print');
      } finally {
        await page.emulateMedia({ media: 'screen' });
      }
    });

    await userJourney('transfer simulation', 'jinji', async (p) => {
      await open(p, base, '/transfers');
      const csv = resolve(HERE, '../../data/demo_transfers.csv');
      await p.locator('input[type="file"][name="file"]').setInputFiles(csv);
      await follow(p, p.getByRole('button', { name: '影響を確認する', exact: true }));
      check(new URL(p.url()).pathname === '/transfers/preview', `after upload at ${p.url()}`);
      const main = await textOf(p.locator('main'));
      check(main.includes('この画面ではまだ何も変更していません'), 'preview does not say "この画面ではまだ何も変更していません"');
      const panel = p.locator('section.panel').filter({ has: p.locator('h2', { hasText: '総括リーダーがいなくなる係' }) });
      check((await panel.count()) === 1, 'no "総括リーダーがいなくなる係" section');
      const units = (await panel.locator('h3').allTextContents()).map((t) => t.trim()).filter((t) => /係$/.test(t));
      check(units.length >= 1, 'preview names no 係 losing its 総括リーダー');
      note(`transfer preview: 係 losing their 総括リーダー: ${units.join('、')}`);
      await shot(p, 'transfers-preview');
    });

    await userJourney('roster import page', 'jinji', async (p) => {
      await open(p, base, '/import');
      const form = p.locator('form[action="/import/preview"]');
      check((await form.count()) === 1, 'no form posting to /import/preview');
      check((await form.getAttribute('enctype')) === 'multipart/form-data', 'upload form is not multipart/form-data');
      check(await form.locator('input[type="file"]').isVisible(), 'no visible file input in the upload form');
      check(await form.locator('button[type="submit"]').first().isVisible(), 'no visible submit button in the upload form');
      await shot(p, 'import');
    });

    await userJourney('admin audit', 'admin', async (p) => {
      await open(p, base, '/admin/audit');
      const rows = p.locator('table.data tbody tr');
      const n = await rows.count();
      check(n >= 1, 'no audit entries listed');
      const actions = (await rows.locator('td:nth-child(4)').allTextContents()).map((t) => t.trim());
      check(actions.includes('auth.login'), `no auth.login entry (first: ${actions.slice(0, 3).join(', ')})`);
      const csv = p.locator('a[href*="format=csv"]');
      check((await csv.count()) >= 1, 'no CSV link on /admin/audit');
      check((await textOf(csv.first())).includes('CSV'), 'CSV link does not say CSV');
      await shot(p, 'audit');
    });

    await userJourney('年度 rollover: preview, apply, designate a candidate', 'dx', async (p) => {
      await open(p, base, '/nendo/rollover');
      const to = await p.locator('input[name="to"]').inputValue();
      await follow(p, p.getByRole('button', { name: '確認する（何も変更しません）', exact: true }));
      let main = await textOf(p.locator('main'));
      check(main.includes('まだ何も変更していません'), 'rollover preview does not say that nothing changed yet');
      check(main.includes('指名：総括リーダー'), 'rollover preview does not count 総括リーダー designations');
      await shot(p, 'rollover-preview');
      await follow(p, p.getByRole('button', { name: 'この内容で適用する', exact: true }));
      main = await textOf(p.locator('main'));
      check(main.includes('引き継ぎました'), `rollover apply did not report success: ${main.slice(0, 120)}`);
      const boxes = p.locator('input[type="checkbox"][name="pick"]');
      check((await boxes.count()) >= 1, 'no candidate checkboxes for 係 without a 総括リーダー');
      const label = (await textOf(p.locator('label.check').first())).trim();
      await boxes.first().check();
      await follow(p, p.getByRole('button', { name: '選んだ職員を総括リーダーに指名する', exact: true }));
      main = await textOf(p.locator('main'));
      check(!main.includes('エラー') && !main.includes('できませんでした'), `bulk designation failed: ${main.slice(0, 160)}`);
      await open(p, base, `/tiers?nendo=${to}`);
      const name = label.split(/\s+/)[1] || label;
      check((await textOf(p.locator('main'))).includes(name), `designated candidate "${name}" not listed on /tiers?nendo=${to}`);
      await shot(p, 'rollover-designated');
    });

    await userJourney('designation picker finds people by kana', 'dx', async (p) => {
      await open(p, base, '/tiers/new');
      await p.locator('form[method="get"] input[name="q"]').fill('やま');
      await follow(p, p.getByRole('button', { name: '探す', exact: true }));
      const radios = p.locator('input[type="radio"]');
      check((await radios.count()) >= 1, 'the picker lists nobody for やま');
      const first = (await textOf(p.locator('label:has(input[type="radio"])').first())).trim();
      check(/山|ヤマ/.test(first), `first match "${first}" does not look like a やま name`);
      await shot(p, 'designation-picker');
    });

    // SCORM: 事務局 uploads the sample package built by the Makefile; a 職員
    // opens it, answers, sees LMSCommit reach the server, and after a reload
    // the SCO resumes where it stopped.
    await userJourney('SCORM package upload', 'jinji', async (p) => {
      const zip = join(dirname(jinzai), 'scorm-sample.zip');
      await open(p, base, '/scorm');
      await p.locator('input[name="file"]').setInputFiles(zip);
      const course = p.locator('select[name="course_id"] option', { hasText: 'SEC-01' }).first();
      await p.locator('select[name="course_id"]').selectOption(await course.getAttribute('value'));
      await follow(p, p.getByRole('button', { name: '取り込む', exact: true }));
      check((await textOf(p.locator('main'))).includes('SCORMパッケージを取り込みました'), `no import message on ${p.url()}`);
      check((await textOf(p.locator('main'))).includes('パスワードの扱い'), 'the imported SCO is not listed');
    });

    await userJourney('SCORM launch, commit and resume', 'shokuin', async (p) => {
      await open(p, base, '/scorm/learn');
      await follow(p, p.getByRole('link', { name: 'パスワードの扱い' }).first());
      const attempt = await p.locator('#scorm-api').getAttribute('data-attempt');
      const frame = p.frameLocator('#scorm-frame');
      await frame.locator('#entry').filter({ hasText: 'はじめて学習します' }).waitFor();
      await frame.locator('input[value="b"]').check();
      await frame.getByRole('button', { name: '回答する' }).click();
      await frame.locator('#result').filter({ hasText: '学習状況を保存しました' }).waitFor();
      check((await textOf(p.locator('#scorm-status'))).includes('保存しました'), 'the launch page does not show the commit');
      const state = await p.evaluate(async (id) => (await fetch(`/scorm/attempt/${id}/state`)).json(), attempt);
      check(state['cmi.suspend_data'] === 'answer=b', `server suspend_data is "${state['cmi.suspend_data']}"`);
      check(state['cmi.core.lesson_status'] === 'passed', `server lesson_status is "${state['cmi.core.lesson_status']}"`);
      check(state['cmi.core.lesson_location'] === 'q1', `server lesson_location is "${state['cmi.core.lesson_location']}"`);
      await p.reload();
      await frame.locator('#entry').filter({ hasText: '前回の続きから再開しました（q1）' }).waitFor();
      check(await frame.locator('input[value="b"]').isChecked(), 'the saved answer is not restored after reload');
      await shot(p, 'scorm-resume');
    });

    // The mandatory security module: a 職員 finds it in the catalogue, reads
    // every page, fails the quiz (sees what was wrong, with explanations),
    // passes it, sees the completion in わたしの研修, issues the 修了証 and
    // verifies its number. Which options are right is read from the database
    // of this run, for the items the attempt drew.
    const sql = (q) => {
      const res = PG ? psql(db, q) : spawnSync('sqlite3', ['-readonly', db, q], { encoding: 'utf8', timeout: 10000 });
      if (res.error) throw res.error;
      check(res.status === 0, `${PG ? 'psql' : 'sqlite3'} exited with ${res.status}: ${(res.stderr || '').trim()}`);
      return res.stdout.trim();
    };
    const answerQuiz = async (p, right) => {
      const attempt = Number(new URL(p.url()).pathname.split('/').pop());
      check(attempt > 0, `not on an attempt: ${p.url()}`);
      const rows = sql(
        `SELECT i.seq, q.kind, o.id, o.correct FROM quiz_attempt_item i JOIN quiz_question q ON q.id = i.question_id` +
          ` JOIN quiz_option o ON o.question_id = q.id WHERE i.attempt_id = ${attempt} ORDER BY i.seq, o.seq`,
      )
        .split('\n')
        .map((l) => l.split('|'));
      const items = new Map();
      for (const [seq, kind, id, correct] of rows) {
        if (!items.has(seq)) items.set(seq, { kind, right: [], wrong: [] });
        items.get(seq)[correct === '1' ? 'right' : 'wrong'].push(id);
      }
      check(items.size === 10, `the attempt drew ${items.size} questions, expected 10`);
      for (const [seq, it] of items) {
        const pick = right ? it.right : it.wrong.slice(0, 1);
        check(pick.length > 0, `question ${seq} has no ${right ? 'right' : 'wrong'} option`);
        for (const id of pick) {
          const box = it.kind === 'multiple' ? `input[name="a${seq}_${id}"]` : `input[name="a${seq}"][value="${id}"]`;
          await p.locator(box).check();
        }
      }
      await follow(p, p.getByRole('button', { name: '解答を提出する' }));
      return attempt;
    };
    await userJourney('security module: read, fail, pass, 修了証', 'shokuin', async (p) => {
      await open(p, base, '/courses');
      await follow(p, p.getByRole('link', { name: /^情報セキュリティ研修（令和\d+年度）$/ }).first());
      await follow(p, p.getByRole('link', { name: 'eラーニングを開く' }));
      const title = await h1(p);
      check(/^情報セキュリティ研修（令和\d+年度）$/.test(title), `module h1 is "${title}"`);
      const moduleUrl = p.url();
      const main = () => textOf(p.locator('main'));
      check((await main()).includes('ページ（0 / 5 閲覧済み）'), 'the module does not start with 0 of 5 pages read');
      // Every page, in order, by the 次のページ button.
      await follow(p, p.locator('ol.module-pages a').first());
      for (let n = 1; n <= 5; n++) {
        check((await textOf(p.locator('nav.module-nav span'))) === `${n} / 5`, `page ${n} shows "${await textOf(p.locator('nav.module-nav span'))}"`);
        check((await p.locator('article.module-page h1, article.module-page h2').count()) > 0, `page ${n} has no heading`);
        await follow(p, p.getByRole('link', { name: n < 5 ? '次のページ' : '目次と確認テストへ' }));
      }
      check(p.url() === moduleUrl, `after the last page at ${p.url()}`);
      check((await main()).includes('ページ（5 / 5 閲覧済み）'), 'the module does not count 5 of 5 pages read');
      // A wrong answer to every question: 不合格, each item marked with its explanation.
      await follow(p, p.getByRole('button', { name: '確認テストを受ける' }));
      check((await p.locator('fieldset.quiz-item').count()) === 10, 'the attempt does not show 10 questions');
      const first = await answerQuiz(p, false);
      check((await textOf(p.locator('.quiz-result'))).includes('不合格'), `result is "${await textOf(p.locator('.quiz-result'))}"`);
      const wrong = p.locator('section.quiz-item.wrong');
      check((await wrong.count()) === 10, `${await wrong.count()} items marked wrong, expected 10`);
      for (let i = 0; i < 10; i++) {
        const item = wrong.nth(i);
        const text = await textOf(item);
        check(text.includes('← あなたの解答') && text.includes('（正答）'), `wrong item ${i + 1} lacks the chosen or the right answer`);
        check(/^解説：.+/.test(await textOf(item.locator('p.explanation'))), `wrong item ${i + 1} has no explanation`);
      }
      await shot(p, 'quiz-failed');
      check(sql(`SELECT passed || ':' || score FROM quiz_attempt WHERE id = ${first}`) === '0:0', 'the failed attempt is not stored as 0 points');
      // Again, every answer right: 合格.
      await follow(p, p.getByRole('link', { name: 'eラーニングの目次へ戻る' }).first());
      await follow(p, p.getByRole('button', { name: '確認テストを受ける' }));
      const second = await answerQuiz(p, true);
      check(second !== first, 'the second attempt reused the first');
      const result = await textOf(p.locator('.quiz-result'));
      check(result.includes('100点') && /：合格$/.test(result), `result is "${result}"`);
      check((await p.locator('section.quiz-item.wrong').count()) === 0, 'a right answer is marked wrong');
      await shot(p, 'quiz-passed');
      await follow(p, p.getByRole('link', { name: '目次で修了の記録を確認する' }));
      check((await main()).includes('の修了を記録しました'), 'the module page does not say the completion was recorded');
      // わたしの研修: the completion in the 受講履歴.
      await open(p, base, '/training');
      check((await textOf(p.locator('#history'))).includes(title), `受講履歴 does not list ${title}`);
      // The 修了証: issued from the list, its number on the sheet, verified at its URL.
      await follow(p, p.locator('.toolbar').getByRole('link', { name: '修了証' }));
      const row = p.locator('tr', { hasText: title });
      await follow(p, row.getByRole('button', { name: '修了証を発行' }));
      const serial = decodeURIComponent(new URL(p.url()).pathname.split('/').pop());
      check(/^R\d+-SEC-EL-R\d+-\d+$/.test(serial), `certificate URL ends in "${serial}"`);
      check((await textOf(p.locator('.cert-serial'))) === `番号 ${serial}`, `the sheet shows "${await textOf(p.locator('.cert-serial'))}"`);
      check((await textOf(p.locator('.cert-body'))).includes(title), 'the sheet does not name the module');
      const stored = sql(
        `SELECT c.serial FROM certificate c JOIN completion k ON k.id = c.completion_id JOIN account a ON a.staff_id = k.staff_id` +
          ` JOIN training_session t ON t.id = k.session_id JOIN course o ON o.id = t.course_id WHERE a.login = 'shokuin' AND o.code LIKE 'SEC-EL-%'`,
      );
      check(stored === serial, `stored serial "${stored}", shown "${serial}"`);
      // Dated the day the module was passed, not the last day of the all-year session.
      const day = await p.locator('.cert-props time').getAttribute('datetime');
      const recorded = sql(`SELECT substr(k.recorded_at, 1, 10) FROM certificate c JOIN completion k ON k.id = c.completion_id WHERE c.serial = '${serial}'`);
      check(day === recorded, `the sheet is dated ${day}, the completion was recorded on ${recorded}`);
      await shot(p, 'certificate');
      const verify = (await textOf(p.locator('.cert-verify'))).replace(/^.*?(\/certificates\/verify\?serial=)/, '$1');
      check(verify === `/certificates/verify?serial=${serial}`, `verify URL is "${verify}"`);
      await open(p, base, verify);
      const panel = await textOf(p.locator('section.panel[role="status"]'));
      check(panel.includes('有効な修了証です') && panel.includes(serial) && panel.includes(title), `verify shows "${panel}"`);
    });

    // Knowledge and people: the case library, DX projects, external talent,
    // 推進体制 and talent search, each asserting what is shown and stored.
    const caseTitles = async (p) => (await p.locator('#results article.case h3 a').allTextContents()).map((t) => t.trim());
    const searchCases = async (p, q) => {
      await p.getByLabel('キーワード').fill(q);
      await follow(p, p.locator('form[role="search"]').getByRole('button', { name: '検索', exact: true }));
      check(new URL(p.url()).searchParams.get('q') === q, `searched for ${q} but at ${p.url()}`);
      const titles = await caseTitles(p);
      if (!titles.length) return titles;
      const count = await textOf(p.locator('#results h2'));
      check(count === `${titles.length}件の事例`, `results heading says "${count}" for ${titles.length} cases`);
      return titles;
    };
    await userJourney('case library: search folded text, filter by kind, open a recommended case', 'shokuin', async (p) => {
      await open(p, base, '/cases');
      check((await h1(p)) === '事例集', `h1 is "${await h1(p)}"`);
      const rec = p.locator('section#recommended');
      check((await textOf(rec.locator('h2'))) === 'あなたにおすすめの事例', 'no あなたにおすすめの事例 block on /cases');
      const recLinks = rec.locator('article.case h3 a[href^="/cases/"]');
      check((await recLinks.count()) >= 1, 'the recommended block lists no case');
      await shot(p, 'cases');
      // Full-width 「生成ＡＩ」 finds the cases written with half-width 生成AI, and nothing about RPA alone.
      const genai = await searchCases(p, '生成ＡＩ');
      const withGenai = genai.filter((t) => t.includes('生成AI'));
      check(withGenai.length >= 4, `「生成ＡＩ」 found ${genai.length} cases, ${withGenai.length} titled 生成AI: ${genai.join('、')}`);
      check(!genai.includes('RPAで税務課の口座振替データ処理を自動化'), '「生成ＡＩ」 found an RPA case');
      check((await p.getByLabel('キーワード').inputValue()) === '生成ＡＩ', 'the search box lost the query');
      await shot(p, 'cases-search');
      // Two characters: below the trigram size, still found.
      const ai = await searchCases(p, 'AI');
      for (const t of ['AIチャットボットによる問合せ対応', 'AI-OCRとRPAを組み合わせた各種申請書の入力自動化', ...withGenai])
        check(ai.includes(t), `「AI」 does not find "${t}" (found ${ai.length})`);
      check(!ai.includes('おくやみ窓口の設置'), '「AI」 found おくやみ窓口の設置');
      // Kind: only 職場還元.
      await p.getByLabel('キーワード').fill('');
      await p.getByLabel('種類').selectOption({ label: '職場還元' });
      await follow(p, p.locator('form[role="search"]').getByRole('button', { name: '検索', exact: true }));
      check(new URL(p.url()).searchParams.get('kind') === 'shareback', `filtered by kind but at ${p.url()}`);
      const badges = (await p.locator('#results article.case h3 .badge').allTextContents()).map((t) => t.trim());
      check(badges.length >= 2 && badges.every((b) => b === '職場還元'), `kind filter shows [${badges.join(', ')}]`);
      const stored = Number(sql("SELECT count(*) FROM case_study WHERE kind = 'shareback' AND published = 1"));
      check(badges.length === stored, `${badges.length} 職場還元 cases shown, ${stored} published`);
      // Open the first recommended case: its Markdown body is rendered and the view is counted.
      await open(p, base, '/cases');
      const link = rec.locator('article.case h3 a[href^="/cases/"]').first();
      const title = await textOf(link);
      await follow(p, link);
      const id = Number(new URL(p.url()).pathname.split('/').pop());
      check(id > 0 && (await h1(p)) === title, `opened "${title}" but h1 is "${await h1(p)}" at ${p.url()}`);
      const body = p.locator('article.case-body');
      check((await body.locator('h2, li, p').count()) >= 1, 'the case body is not rendered as HTML');
      check(!(await textOf(body)).includes('## '), 'the case body shows raw Markdown');
      check((await p.locator('ul.case-tags a[href^="/cases?skill="]').count()) >= 1, 'the case lists no skill tag');
      const views = Number(
        sql(`SELECT coalesce(sum(v.count), 0) FROM case_view v JOIN account a ON a.staff_id = v.staff_id WHERE a.login = 'shokuin' AND v.case_id = ${id}`),
      );
      check(views >= 1, `shokuin's view of case ${id} is not stored`);
      check(/閲覧 \d+回/.test(await textOf(p.locator('main'))), 'the case page shows no view count');
      await shot(p, 'case');
    });

    const newCase = `検証用事例${String(Date.now()).slice(-6)} 窓口の案内`;
    await userJourney('case library: 事務局 writes a case, fixes 年度, publishes it', 'dx', async (p, w) => {
      await open(p, base, '/cases/new');
      w.allow(`${base}/cases/new`); // the bad 年度 answers 422
      await p.getByLabel('種類').selectOption({ label: '庁内事例' });
      await p.getByLabel('題名').fill(newCase);
      await p.getByLabel('自治体名・出典').fill('市民課');
      await p.getByLabel('年度').fill('らいねん');
      await p.getByLabel('概要').fill('窓口の案内を生成AIで下書きした。');
      await p.getByLabel('本文（CommonMark）').fill('## 取組\n\n- 案内文を**生成AI**で下書きした\n- 職員が確認して直した\n');
      await p.getByLabel('関係するスキル（複数選択できます）').selectOption({ label: 'K-02 生成AI活用' });
      await p.locator('fieldset.checks').getByLabel('生成AI活用').check();
      await follow(p, p.getByRole('button', { name: '保存', exact: true }));
      const errors = p.locator('.error-summary');
      check((await errors.count()) === 1, `no error summary after a bad 年度 (at ${p.url()})`);
      check((await textOf(errors)).includes('年度は 2026、令和8年度 のように入力してください'), `errors say "${await textOf(errors)}"`);
      check((await p.getByLabel('年度').getAttribute('aria-invalid')) === 'true', '年度 is not marked aria-invalid');
      check((await p.getByLabel('題名').inputValue()) === newCase, 'the typed title was not kept');
      check((await p.getByLabel('本文（CommonMark）').inputValue()).includes('**生成AI**'), 'the typed body was not kept');
      check((await p.getByLabel('年度').inputValue()) === 'らいねん', 'the typed 年度 was not kept');
      check(await p.locator('fieldset.checks').getByLabel('生成AI活用').isChecked(), 'the project checkbox was not kept');
      const kept = await p.getByLabel('関係するスキル（複数選択できます）').evaluate((s) => [...s.selectedOptions].map((o) => o.textContent.trim()));
      check(kept.join() === 'K-02 生成AI活用', `the skill selection was not kept: [${kept.join(', ')}]`);
      check(sql(`SELECT count(*) FROM case_study WHERE title = '${newCase}'`) === '0', 'a case was stored despite the bad 年度');
      await shot(p, 'case-new-error');
      await p.getByLabel('年度').fill('令和8年度');
      await follow(p, p.getByRole('button', { name: '保存', exact: true }));
      check(/^\/cases\/\d+$/.test(new URL(p.url()).pathname), `after saving at ${p.url()}`);
      const id = Number(new URL(p.url()).pathname.split('/').pop());
      check((await h1(p)) === newCase, `saved case h1 is "${await h1(p)}"`);
      check((await p.locator('main .badge', { hasText: /^下書き$/ }).count()) === 1, 'a new case is not shown as 下書き');
      check(!(await textOf(p.locator('main'))).includes('<span'), 'the page shows HTML source as text');
      const saved = (await p.locator('.flash').allTextContents()).map((t) => t.trim());
      check(saved.length === 1 && saved[0] === '保存しました。', `flashes after saving: [${saved.join(' | ')}]`);
      check((await textOf(p.locator('article.case-body strong'))) === '生成AI', 'the Markdown body is not rendered (no <strong>)');
      check((await p.locator('article.case-body li').count()) === 2, 'the Markdown list is not rendered');
      const row = sql(`SELECT kind || '|' || nendo || '|' || published || '|' || source FROM case_study WHERE id = ${id}`);
      check(row === 'internal|2026|0|市民課', `stored case is "${row}"`);
      // One row a tag, joined here: the backends share no string aggregate.
      const tags = sql(
        `SELECT t.kind || ':' || coalesce(s.code, p.name) FROM case_tag t` +
          ` LEFT JOIN skill_item s ON t.kind = 'skill' AND s.id = t.ref_id LEFT JOIN dx_project p ON t.kind = 'project' AND p.id = t.ref_id` +
          ` WHERE t.case_id = ${id} ORDER BY 1`,
      )
        .split('\n')
        .join(',');
      check(tags === 'project:生成AI活用,skill:K-02', `stored tags are "${tags}"`);
      // The 事務局's list shows the draft with its badge.
      await open(p, base, `/cases?q=${encodeURIComponent(newCase.split(' ')[0])}`);
      const draft = p.locator('#results article.case h3');
      check((await draft.count()) === 1 && (await textOf(draft)).endsWith(`${newCase} 下書き`), `the draft is listed as "${await textOf(draft.first())}"`);
      check((await draft.locator('.badge', { hasText: /^下書き$/ }).count()) === 1, 'the draft badge in the list is not an element');
      await follow(p, draft.locator('a'));
      await follow(p, p.getByRole('button', { name: '公開する', exact: true }));
      const published = (await p.locator('.flash').allTextContents()).map((t) => t.trim());
      check(published.length === 1 && published[0].includes('公開しました'), `flashes after publishing: [${published.join(' | ')}]`);
      check((await p.locator('main .badge', { hasText: /^下書き$/ }).count()) === 0, 'a published case still shows 下書き');
      check(sql(`SELECT published FROM case_study WHERE id = ${id}`) === '1', 'the case is not stored as published');
      check((await p.getByRole('button', { name: '公開を取り下げる', exact: true }).count()) === 1, 'no 公開を取り下げる button after publishing');
      check(
        sql(`SELECT count(*) FROM audit_log WHERE entity = 'case_study' AND entity_id = ${id} AND action IN ('case.create', 'case.publish')`) === '2',
        'creating and publishing the case were not both audited',
      );
      await shot(p, 'case-published');
    });

    await userJourney('case library: 職員 finds the newly published case', 'shokuin', async (p) => {
      await open(p, base, '/cases');
      const found = await searchCases(p, newCase.split(' ')[0]);
      check(found.length === 1 && found[0] === newCase, `searching its number finds [${found.join('、')}]`);
      // Folded: the number typed in full-width digits still matches.
      const wide = newCase.split(' ')[0].replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
      const foundWide = await searchCases(p, wide);
      check(foundWide.includes(newCase), `full-width 「${wide}」 does not find the new case`);
    });

    await userJourney('DX project: skill needs, members, external talent, cases; edit the status', 'dx', async (p) => {
      await open(p, base, '/projects');
      await follow(p, p.locator('table.data a', { hasText: /^書かない窓口$/ }));
      check((await h1(p)) === '書かない窓口', `h1 is "${await h1(p)}"`);
      const panel = (name) => p.locator('section.panel').filter({ has: p.locator('h2', { hasText: name }) });
      const members = await panel('メンバー').locator('li').count();
      const stored = Number(sql('SELECT count(*) FROM dx_project_member WHERE project_id = 1'));
      check(members >= 1 && members === stored, `${members} members shown, ${stored} stored`);
      check((await panel('関わる外部人材').locator('a[href^="/extern/"]').count()) >= 1, 'no external talent linked');
      const needs = panel('必要なスキルとメンバーの充足').locator('table.data tbody tr');
      const verdicts = (await needs.locator('td:last-child').allTextContents()).map((t) => t.trim());
      check(verdicts.length === Number(sql('SELECT count(*) FROM dx_project_need WHERE project_id = 1')), `${verdicts.length} skill needs shown`);
      check(verdicts.includes('充足'), `no 充足 need: [${verdicts.join(', ')}]`);
      check(verdicts.some((v) => v.startsWith('不足')), `no 不足 need: [${verdicts.join(', ')}]`);
      check((await needs.locator('td.need-met').count()) >= 1 && (await needs.locator('td.need-training, td.need-extern').count()) >= 1, 'verdict cells lack their classes');
      const cases = panel('関係する事例').locator('a[href^="/cases/"]');
      check((await cases.count()) >= 1, 'no 関係する事例 listed');
      await shot(p, 'project');
      // Edit GIS共有 from 構想 to 計画.
      await open(p, base, '/projects/6');
      check((await h1(p)) === 'GIS共有', `h1 is "${await h1(p)}"`);
      await follow(p, p.locator('.toolbar').getByRole('link', { name: '編集', exact: true }));
      check((await p.getByLabel('状態').inputValue()) === 'idea', 'GIS共有 does not start as 構想');
      await p.getByLabel('状態').selectOption({ label: '計画' });
      await follow(p, p.getByRole('button', { name: '保存', exact: true }));
      check(new URL(p.url()).pathname === '/projects/6', `after saving at ${p.url()}`);
      const status = await textOf(p.locator('dl.props dt:text-is("状態") + dd'));
      check(status === '計画', `status shown as "${status}"`);
      check(sql('SELECT status FROM dx_project WHERE id = 6') === 'plan', 'the status is not stored as plan');
      await open(p, base, '/projects?status=plan');
      const planned = (await p.locator('table.data tbody a').allTextContents()).map((t) => t.trim());
      check(planned.includes('GIS共有'), `GIS共有 not listed under 計画: [${planned.join(', ')}]`);
    });

    await userJourney('external talent: record a knowledge-transfer session', 'dx', async (p) => {
      await open(p, base, '/extern');
      await follow(p, p.locator('table.data a', { hasText: /^外部 太郎$/ }));
      const id = Number(new URL(p.url()).pathname.split('/').pop());
      check((await h1(p)) === '外部 太郎', `h1 is "${await h1(p)}"`);
      const before = Number(sql(`SELECT count(*) FROM extern_session WHERE extern_id = ${id}`));
      const nos = sql('SELECT s.staff_no FROM dx_project_member m JOIN staff s ON s.id = m.staff_id WHERE m.project_id = 1 ORDER BY s.staff_no LIMIT 2').split('\n');
      check(nos.length === 2, 'no project members to invite');
      const form = p.locator(`form[action="/extern/${id}/sessions"]`);
      const topic = `窓口の聞き取り手順の勉強会${String(Date.now()).slice(-4)}`;
      await form.getByLabel('開催日').fill('2026-10-05');
      await form.getByLabel('テーマ').fill(topic);
      await form.getByLabel('時間').fill('1.5');
      await form.getByLabel('参加職員の職員番号').fill(nos.join('、'));
      await follow(p, form.getByRole('button', { name: '記録', exact: true }));
      check(new URL(p.url()).pathname === `/extern/${id}`, `after recording at ${p.url()}`);
      const row = p.locator('section.panel table.data tbody tr', { hasText: topic });
      check((await row.count()) === 1, `the session "${topic}" is not listed`);
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
      check(cells[0] === '令和8年10月5日' && cells[2] === '1.5時間' && cells[3].startsWith('2人'), `listed as [${cells.slice(0, 4).join(' | ')}]`);
      const storedRow = sql(
        `SELECT held_on || '|' || hours || '|' || (SELECT count(*) FROM extern_session_staff WHERE session_id = extern_session.id) FROM extern_session WHERE extern_id = ${id} AND title = '${topic}'`,
      );
      check(storedRow === '2026-10-05|1.5|2', `stored session is "${storedRow}"`);
      check(Number(sql(`SELECT count(*) FROM extern_session WHERE extern_id = ${id}`)) === before + 1, 'not exactly one session added');
      await shot(p, 'extern');
    });

    await userJourney('external talent is closed to 職員', 'shokuin', async (p, w) => {
      await open(p, base, '/cases');
      const links = await p.locator('nav a[href^="/extern"]').count();
      check(links === 0, `shokuin sees ${links} menu links to /extern`);
      w.allow(`${base}/extern`);
      await open(p, base, '/extern', 403);
      await open(p, base, '/extern/1', 403);
    });

    await userJourney('推進体制: chart, minutes, one A4 page in print', 'shokuin', async (p) => {
      await open(p, base, '/governance');
      check((await h1(p)) === '推進体制', `h1 is "${await h1(p)}"`);
      const bodies = p.locator('.gov-chart section.gov-body');
      const names = (await bodies.locator(':scope > header h3').allTextContents()).map((t) => t.trim());
      for (const n of ['DX推進本部', 'DX推進委員会', 'DX推進事務局']) check(names.includes(n), `the chart lacks ${n} (has ${names.join('、')})`);
      check(names.length === Number(sql('SELECT count(*) FROM gov_body')), `${names.length} bodies shown`);
      const hq = bodies.filter({ has: p.locator(':scope > header h3', { hasText: /^DX推進本部$/ }) });
      const chief = await textOf(hq.locator(':scope > ul.gov-members li').first());
      check(chief === '本部長 市長', `DX推進本部's first member is "${chief}"`);
      check((await p.locator('.gov-chart ul.gov-members li').count()) >= 15, 'the chart lists few members');
      await shot(p, 'governance');
      const meeting = p.locator('.gov-meetings a[href^="/governance/meetings/"]', { hasText: '第1回DX推進委員会' }).first();
      const title = await textOf(meeting);
      // Print: the chart alone, A4 portrait with 15 mm margins (180 × 267 mm).
      try {
        await p.emulateMedia({ media: 'print' });
        await p.setViewportSize({ width: 680, height: 1009 });
        check(!(await p.locator('.gov-meetings').isVisible()), 'the meeting list is printed');
        const high = await p.evaluate(() => document.documentElement.scrollHeight);
        check(high <= 1009, `printed chart is ${high} px high, more than one A4 page (1009 px)`);
        const pdf = (await p.pdf({ format: 'A4', preferCSSPageSize: true })).toString('latin1');
        const pages = (pdf.match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
        check(pages === 1, `the printed chart has ${pages} A4 pages`);
        await shot(p, 'governance-print');
      } finally {
        await p.emulateMedia({ media: 'screen' });
        await p.setViewportSize({ width: 1280, height: 900 });
      }
      await follow(p, meeting);
      check((await h1(p)) === title, `meeting h1 is "${await h1(p)}", expected "${title}"`);
      // A message after an edit is shown once.
      await open(p, base, `${new URL(p.url()).pathname}?msg=saved`);
      const flashes = (await p.locator('.flash').allTextContents()).map((t) => t.trim());
      check(flashes.length === 1 && flashes[0] === '保存しました。', `flashes on the meeting page: [${flashes.join(' | ')}]`);
      const minutes = p.locator('article.gov-minutes');
      check((await minutes.locator('h2').count()) >= 1 && (await minutes.locator('li').count()) >= 1, 'the minutes are not rendered');
      check(!(await textOf(minutes)).includes('## '), 'the minutes show raw Markdown');
    });

    await userJourney('人材検索: both examples, results and CSV', 'dx', async (p) => {
      for (const [label, cols] of [
        ['ネットワーク レベル3以上で基本情報の資格がある職員', ['ネットワーク（上司確認済み）', '基本情報技術者（取得日）']],
        ['生成AIの研修を修了した②', ['修了した研修']],
      ]) {
        await open(p, base, '/talent');
        await follow(p, p.locator('.note').getByRole('link', { name: label, exact: true }));
        const table = p.locator('table.data').filter({ has: p.locator('caption', { hasText: '人材検索の結果' }) });
        const rows = await table.locator('tbody tr').count();
        check(rows >= 1, `「${label}」 found nobody`);
        const said = await textOf(p.locator('p[role="status"]'));
        check(said === `${rows}人が該当します。`, `「${label}」 says "${said}" for ${rows} rows`);
        const heads = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
        for (const c of cols) check(heads.includes(c), `「${label}」 lacks column ${c} (has ${heads.join(', ')})`);
        if (label.startsWith('ネットワーク')) {
          const levels = (await table.locator('tbody td.num').allTextContents()).map(Number);
          check(levels.every((l) => l >= 3), `a level below 3: [${levels.join(', ')}]`);
        } else {
          const tiers = (await table.locator('tbody tr td:nth-child(4)').allTextContents()).map((t) => t.trim());
          check(tiers.every((t) => t.includes('②')), `a non-② in the results: [${tiers.join(', ')}]`);
          const done = (await table.locator('tbody tr td:nth-child(5)').allTextContents()).map((t) => t.trim());
          check(done.every((t) => t.includes('生成AI')), `a result without a 生成AI course: [${done.join(', ')}]`);
        }
        await shot(p, label.startsWith('ネットワーク') ? 'talent-network' : 'talent-genai');
        const first = (await table.locator('tbody tr').first().locator('td').first().textContent()).trim();
        const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('link', { name: 'CSV出力' }).click()]);
        const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '');
        const lines = csv.split(/\r?\n/).filter((l) => l);
        const header = lines[0].split(',');
        check(header.slice(0, 4).join() === '職員番号,氏名,所属,人材区分', `CSV header is "${lines[0]}"`);
        check(lines.length - 1 === rows, `CSV has ${lines.length - 1} rows, the page ${rows}`);
        check(lines[1].startsWith(`${first},`), `CSV's first row "${lines[1]}" is not ${first}`);
      }
    });

    // axe is injected as an inline script, which the app's CSP (rightly)
    // blocks, so these contexts bypass CSP; the other journeys keep it.
    {
      const contexts = [];
      const watchers = [];
      const axeWatcher = { take: () => watchers.flatMap((w) => w.take()) };
      const as = async (who) => {
        const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 900 }, bypassCSP: true });
        contexts.push(context);
        const p = await context.newPage();
        p.setDefaultTimeout(STEP_MS);
        p.setDefaultNavigationTimeout(STEP_MS);
        watchers.push(watch(p));
        if (who) await login(p, base, who);
        return p;
      };
      // The pages are checked in four journeys of about 5-8 s each, every
      // one with the full budget, so that a loaded 2-core machine (three
      // times slower) still fits; every page is still checked at both widths.
      const axeJourney = (part, fn) => {
        const t0 = Date.now();
        return journey(
          `accessibility (axe, WCAG 2 AA): ${part}`,
          axeWatcher,
          async () => {
            const bad = [];
            let pages = 0;
            // Each page at desktop width, then at 375 px (a phone, or 400 %
            // zoom), where charts and tables scroll sideways; a rule that
            // fires at both widths is listed once.
            const scan = async (p, label) => {
              pages++;
              const seen = new Set();
              for (const width of [1280, 375]) {
                if (width !== 1280) {
                  await p.setViewportSize({ width, height: 900 });
                  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
                }
                for (const v of await axeViolations(p)) {
                  if (seen.has(v.id)) continue;
                  seen.add(v.id);
                  const line = `${label}${width === 1280 ? '' : ` (${width}px)`}: ${v.id} (${v.impact}) × ${v.nodes.length}`;
                  if (v.impact === 'serious' || v.impact === 'critical') {
                    bad.push(line);
                    note(`${line}: ${v.nodes.slice(0, 3).join(' | ')}`);
                  } else {
                    note(`note ${line}`);
                  }
                }
              }
              await p.setViewportSize({ width: 1280, height: 900 });
            };
            const visit = async (p, path) => {
              await open(p, base, path);
              await scan(p, path);
            };
            await fn(visit, scan);
            note(`axe checked ${pages} pages (${part}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
            check(bad.length === 0, `serious or critical: ${bad.join('; ')}`);
          },
          AXE_MS,
        );
      };
      const dx = await as('dx');
      await axeJourney('people and skills', async (visit) => {
        for (const path of ['/', '/org', '/staff', '/me', '/tiers', '/skills', '/assess/review']) await visit(dx, path);
      });
      await axeJourney('gaps and sessions', async (visit, scan) => {
        await visit(dx, '/gaps');
        const unit = dx.locator('a[href^="/gaps/unit/"]').filter({ hasText: /課$/ }).first();
        check((await unit.count()) === 1, 'no link to a 課 on /gaps');
        await follow(dx, unit);
        await scan(dx, new URL(dx.url()).pathname);
        const person = dx.locator('a[href^="/gaps/person/"]').first();
        check((await person.count()) === 1, 'no link to a person on the unit gap page');
        await follow(dx, person);
        await scan(dx, new URL(dx.url()).pathname);
        await visit(dx, '/sessions');
        const session = await dx.$$eval('a[href^="/sessions/"]', (as) => as.map((a) => a.pathname).find((h) => /^\/sessions\/\d+$/.test(h)));
        check(session, 'no link to a session on /sessions');
        await visit(dx, session);
      });
      await axeJourney('training and KPI', async (visit) => {
        for (const path of ['/courses', '/plans', '/kpi', '/kpi/coverage', '/kpi/report', '/import']) await visit(dx, path);
      });
      await axeJourney('cases, projects, external talent', async (visit) => {
        for (const path of ['/cases', '/cases?q=AI', '/cases/5', '/cases/new', '/projects', '/projects/1', '/projects/1/edit', '/extern', '/extern/1'])
          await visit(dx, path);
      });
      await axeJourney('推進体制 and talent search', async (visit) => {
        for (const path of ['/governance', '/governance/meetings/5', '/talent', '/talent?s1_item=18&s1_min=3&s1_mode=confirmed&qual=FE'])
          await visit(dx, path);
      });
      await axeJourney('other roles and login', async (visit) => {
        const jinji = await as('jinji');
        await visit(jinji, '/transfers');
        const shokuin = await as('shokuin');
        for (const path of ['/assess', '/training']) await visit(shokuin, path);
        const admin = await as('admin');
        await visit(admin, '/admin/audit');
        await visit(await as(null), '/login');
      });
      for (const c of contexts) await c.close().catch(() => {});
    }
    // The two-node journey makes a PostgreSQL cluster of its own; the run
    // on SQLite takes it.
    if (!PG) await nodesJourney({ jinzai, browser, password: PASSWORD, newPage, login, journey, note, check, freePort, waitHealthy });
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
    if (pgMade) {
      const dropped = psql(PG, `DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`);
      if (dropped.error || dropped.status !== 0)
        note(`DROP DATABASE ${pgName} failed: ${dropped.error ? dropped.error.message : (dropped.stderr || '').trim()}`);
    }
  }
}

process.exitCode = await main();
