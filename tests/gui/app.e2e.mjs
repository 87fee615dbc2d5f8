// End-to-end test of the REAL app: WebdriverIO -> tauri-driver -> WebKitWebDriver -> tenken-app,
// under Xvfb (run through tests/gui/run.sh). First launch, profile, answers incl. いいえ with 目標日,
// then a restart that must find everything still there. Screenshots: target/gui-shots/app-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = resolve(new URL('../..', import.meta.url).pathname);
const require = createRequire(join(repo, 'ui/package.json'));
const { remote } = await import(pathToFileURL(require.resolve('webdriverio')).href);

const app = process.env.TENKEN_APP ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'debug/tenken-app');
const shots = join(repo, 'target/gui-shots');
const dataDir = mkdtempSync(join(tmpdir(), 'tenken-gui-'));
let driver;
let browser;

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function startDriver() {
  driver = spawn(process.env.TAURI_DRIVER ?? 'tauri-driver', ['--port', '4444'], {
    env: { ...process.env, TENKEN_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch('http://127.0.0.1:4444/status')).ok) return;
    } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error('tauri-driver did not start');
}

async function open() {
  browser = await remote({
    hostname: '127.0.0.1',
    port: 4444,
    logLevel: 'warn',
    capabilities: {
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: app },
    },
  });
}

async function shot(name) {
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await browser.saveScreenshot(join(shots, `app-${name}.png`));
}

async function $t(id) {
  const el = await browser.$(`[data-testid="${id}"]`);
  await el.waitForDisplayed({ timeout: 15000 });
  return el;
}

/** Sets an input's value the way typing does (WebKitGTK date inputs do not take keystrokes reliably). */
async function setInput(selector, value) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout: 10000 });
  await browser.execute((e, v) => {
    e.value = v;
    e.dispatchEvent(new Event('input', { bubbles: true }));
  }, el, value);
}

/** Resident memory (KiB) of the app and its descendants (WebKit web/network processes). */
function appRssKiB() {
  const procs = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let exe = '';
      try { exe = readlinkSync(`/proc/${pid}/exe`); } catch { /* other user's */ }
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      return { pid: Number(pid), ppid, exe, rss };
    } catch {
      return null;
    }
  }).filter(Boolean);
  const root = procs.find((p) => p.exe === resolve(app));
  if (!root) return 0;
  const tree = new Set([root.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) { tree.add(p.pid); grew = true; }
    }
  }
  return procs.filter((p) => tree.has(p.pid)).reduce((s, p) => s + p.rss, 0);
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  await startDriver();
});

after(async () => {
  try { await browser?.deleteSession(); } catch { /* already closed */ }
  if (driver?.pid) {
    try { process.kill(driver.pid, 'SIGTERM'); } catch { /* gone */ }
  }
});

test('first launch: profile, then answers including いいえ with 目標日', async () => {
  await open();
  const form = await $t('profile-form');
  assert.ok(await form.isDisplayed());
  await shot('01-first-launch');
  await setInput('input[name=name]', 'さくら内科クリニック');
  await setInput('input[name=administrator]', '山田 太郎');
  await (await $t('profile-save')).click();
  const progress = await $t('home-progress');
  assert.match(await progress.getText(), /\d+ 行中 0 行に回答済み/);
  assert.equal(await (await $t('clinic-name')).getText(), 'さくら内科クリニック');
  await shot('02-home');

  await (await browser.$('[data-nav=checklist]')).click();
  await (await browser.$('[data-item-id="0"]')).waitForDisplayed({ timeout: 10000 });
  await (await browser.$('fieldset[data-scope=general] input[value=yes]')).click();
  await (await $t('answer-save')).click();
  await (await browser.$('p[role=status]')).waitForDisplayed({ timeout: 10000 });
  // The real MHLW R7 clinic sheet: 0, 1-1, 1-2, 2-1, 2-2, 2-3, then 2-4 (server + terminal rows).
  for (let i = 0; i < 6; i++) await (await $t('next-item')).click();
  await (await browser.$('[data-item-id="2-4"]')).waitForDisplayed({ timeout: 10000 });
  await (await browser.$('fieldset[data-scope=server] input[value=no]')).click();
  await (await browser.$('fieldset[data-scope=terminal] input[value=not_applicable]')).click();
  await (await $t('answer-save')).click();
  const alert = await browser.$('p[role=alert]');
  await alert.waitForDisplayed({ timeout: 10000 });
  assert.match(await alert.getText(), /目標日/);
  await setInput('fieldset[data-scope=server] [data-testid=target-date]', '2027-03-31');
  await (await $t('answer-save')).click();
  await (await browser.$('p[role=status]')).waitForDisplayed({ timeout: 10000 });
  await shot('03-answered');

  // The automatic check of this PC (read-only local probes): results arrive as progress events
  // and the signed bundle is kept with this year's assessment.
  await (await browser.$('[data-nav=scan]')).click();
  await (await $t('scan-start')).click();
  await browser.waitUntil(
    async () => (await (await $t('scan-start')).isEnabled()) && (await browser.$$('ul.steps li')).length > 0,
    { timeout: 120000, timeoutMsg: 'automatic check did not finish' },
  );
  assert.equal(await (await browser.$('[data-testid=scan-error]')).isExisting(), false, 'automatic check failed');
  const lines = await browser.$$('ul.steps li');
  assert.ok(lines.length >= 5, `results shown (${lines.length})`);
  await shot('03b-scan');

  const rss = appRssKiB();
  writeFileSync(join(shots, 'app-rss.txt'), `${rss} KiB RSS (app + WebKit processes)\n`);
  console.log(`app RSS under Xvfb: ${(rss / 1024).toFixed(0)} MiB (app + WebKit processes)`);
  await browser.deleteSession();
  browser = undefined;
});

test('restart: profile and answers are still there', async () => {
  await open();
  const progress = await $t('home-progress');
  assert.match(await progress.getText(), /\d+ 行中 3 行に回答済み/);
  assert.equal(await (await $t('clinic-name')).getText(), 'さくら内科クリニック');
  assert.match(await (await $t('home-planned')).getText(), /2027-03-31/);
  await shot('04-after-restart');
  await (await browser.$('[data-nav=checklist]')).click();
  await (await $t('table-view')).click();
  const table = await (await $t('answers-table')).getText();
  assert.match(table, /いいえ\s*2027-03-31/);
  assert.match(table, /該当なし/);
  await shot('05-table-after-restart');
  // Kept by the engine's store (SQLite), not by an app-private state file.
  assert.ok(existsSync(join(dataDir, 'tenken.sqlite3')), 'store database exists');
  assert.ok(!existsSync(join(dataDir, 'state.json')), 'no app-private state.json');
});
