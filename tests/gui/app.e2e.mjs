// End-to-end test of the REAL app: WebdriverIO -> tauri-driver -> WebKitWebDriver -> tenken-app,
// under Xvfb (run through tests/gui/run.sh). First launch, profile, answers incl. いいえ with 目標日,
// the automatic check, the signed report made with one click (checked with poppler's pdfsig and
// qpdf, then verified in the app), then a restart that must find everything still there.
// Screenshots of every screen: target/gui-shots/app-NN-name.png.
//
// Nothing here touches the network: the network screen is only opened up to its consent dialog
// (which lists what WOULD be contacted), never started. Reports go to a temporary folder
// (TENKEN_REPORT_DIR) and "open" is recorded by a stand-in program (TENKEN_OPENER) instead of
// starting a PDF viewer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = resolve(new URL('../..', import.meta.url).pathname);
const require = createRequire(join(repo, 'ui/package.json'));
const { remote } = await import(pathToFileURL(require.resolve('webdriverio')).href);

const app = process.env.TENKEN_APP ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'debug/tenken-app');
const shots = join(repo, 'target/gui-shots');
const dataDir = mkdtempSync(join(tmpdir(), 'tenken-gui-'));
const reportDir = join(mkdtempSync(join(tmpdir(), 'tenken-gui-docs-')), 'Tenken');
const openerDir = mkdtempSync(join(tmpdir(), 'tenken-gui-opener-'));
const opener = join(openerDir, 'opener.sh');
const openedLog = join(openerDir, 'opened.log');
writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${openedLog}'\n`);
chmodSync(opener, 0o755);
const ja = JSON.parse(readFileSync(join(repo, 'ui/src/lib/i18n/ja.json'), 'utf8'));
let driver;
let browser;

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function startDriver() {
  driver = spawn(process.env.TAURI_DRIVER ?? 'tauri-driver', ['--port', '4444'], {
    env: { ...process.env, TENKEN_DATA_DIR: dataDir, TENKEN_REPORT_DIR: reportDir, TENKEN_OPENER: opener },
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
  // A session left open by a failed earlier test would block this one (one app at a time).
  if (browser) {
    try { await browser.deleteSession(); } catch { /* already closed */ }
    browser = undefined;
  }
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

/** Goes to a screen through the navigation and waits until it is shown. */
async function visit(screen) {
  await (await browser.$(`[data-nav=${screen}]`)).click();
  await browser.waitUntil(
    async () => (await (await browser.$(`[data-nav=${screen}]`)).getAttribute('aria-current')) === 'page',
    { timeout: 15000, timeoutMsg: `screen ${screen} not shown` },
  );
  await (await browser.$('main h1')).waitForDisplayed({ timeout: 15000 });
}

/** Runs a program and returns its exit status and output (never throws on a non-zero exit). */
function run(cmd, args) {
  try {
    return { status: 0, out: execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 }) };
  } catch (e) {
    return { status: e.status ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
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

test('first launch: profile, answers incl. いいえ with 目標日, automatic check, signed report verified', async () => {
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

  await visit('checklist');
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
  await shot('03-checklist-item');

  // The automatic check of this PC (read-only local probes): results arrive as progress events
  // and the signed bundle is kept with this year's assessment.
  await visit('scan');
  await (await $t('scan-start')).click();
  await browser.waitUntil(
    async () => (await (await $t('scan-start')).isEnabled()) && (await browser.$$('ul.steps li')).length > 0,
    { timeout: 120000, timeoutMsg: 'automatic check did not finish' },
  );
  assert.equal(await (await browser.$('[data-testid=scan-error]')).isExisting(), false, 'automatic check failed');
  const lines = await browser.$$('ul.steps li');
  assert.ok(lines.length >= 5, `results shown (${lines.length})`);
  await shot('04-scan-results');

  // The network screen up to its consent dialog, which only lists what would be contacted.
  // The check itself is NEVER started here (no packet leaves this machine).
  await visit('network');
  const prepare = await browser.$(`//button[@data-testid="network-prepare" or normalize-space()="${ja['network.prepare']}"]`);
  if (await prepare.isExisting()) {
    await prepare.click();
    await (await browser.$('[role=dialog]')).waitForDisplayed({ timeout: 15000 });
  }
  await shot('05-network-consent');
  await visit('devices');
  await shot('06-devices');
  await visit('vendor');
  await shot('07-vendor');

  // The report: one click, no dialog, into the report folder shown on the screen.
  await visit('report');
  const folder = await $t('report-folder');
  assert.equal(await folder.getText(), reportDir, 'the report folder shown is the configured one');
  assert.ok(await (await $t('report-list-empty')).isDisplayed());
  await (await $t('report-generate')).click();
  const made = await browser.$('[data-testid=report-made]');
  const failed = await browser.$('[data-testid=report-error]');
  await browser.waitUntil(async () => (await made.isExisting()) || (await failed.isExisting()), {
    timeout: 180000, timeoutMsg: 'report was neither made nor refused',
  });
  assert.equal(await failed.isExisting(), false, `report failed: ${(await failed.isExisting()) ? await failed.getText() : ''}`);
  const files = readdirSync(reportDir);
  const pdf = files.find((f) => /^tenken-report-FY\d{4}-\d{8}-\d{6}\.pdf$/.test(f));
  const xlsx = files.find((f) => /^tenken-checklist-FY\d{4}-\d{8}-\d{6}\.xlsx$/.test(f));
  assert.ok(pdf, `PDF written into the report folder (${files.join(', ')})`);
  assert.ok(xlsx, `XLSX written into the report folder (${files.join(', ')})`);
  assert.match(await made.getText(), new RegExp(pdf.replace(/\./g, '\\.')));
  assert.equal(readFileSync(join(reportDir, xlsx)).subarray(0, 2).toString('latin1'), 'PK', 'XLSX is a zip');
  // The PDF is really signed: third-party tools agree.
  const sig = run('pdfsig', [join(reportDir, pdf)]);
  assert.match(sig.out, /Signature is Valid\./, `pdfsig: ${sig.out}`);
  assert.doesNotMatch(sig.out, /Digest Mismatch|not signed/i, `pdfsig: ${sig.out}`);
  const check = run('qpdf', ['--check', join(reportDir, pdf)]);
  assert.equal(check.status, 0, `qpdf --check: ${check.out}`);
  const rows = await browser.$$('[data-testid=report-row]');
  assert.equal(rows.length, 1, 'the new report is listed');
  await shot('08-report-made');

  // Verify it in the app: 有効, signed by the clinic, at a readable Japanese date.
  await (await $t('report-verify')).click();
  const result = await browser.$('[data-testid=verify-result]');
  await result.waitForDisplayed({ timeout: 60000 });
  assert.equal(await result.getAttribute('data-status'), 'valid');
  assert.equal(await (await $t('verify-badge')).getText(), '有効');
  assert.match(await (await $t('verify-signer')).getText(), /さくら内科クリニック/);
  assert.match(await (await $t('verify-time')).getText(), /^\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}$/);
  await shot('09-report-verified');

  // The app's verify command on files a user might drop: a copy with one byte changed inside the
  // signed range is 無効 with what changed; a file that is not a report is a clear error.
  const bytes = readFileSync(join(reportDir, pdf));
  bytes[Math.floor(bytes.length / 3)] ^= 0x01;
  const tampered = join(openerDir, 'changed.pdf');
  writeFileSync(tampered, bytes);
  const notReport = join(openerDir, 'notes.txt');
  writeFileSync(notReport, 'not a report');
  const invoke = (cmd, args) => browser.executeAsync((c, a, done) => {
    window.__TAURI_INTERNALS__.invoke(c, a).then((r) => done({ ok: r }), (e) => done({ err: e }));
  }, cmd, args);
  const bad = await invoke('verify_report', { path: tampered });
  assert.equal(bad.ok?.status, 'invalid', JSON.stringify(bad));
  assert.ok(bad.ok.signatures[0].findings.length > 0, 'says what changed');
  const notPdf = await invoke('verify_report', { path: notReport });
  assert.equal(notPdf.err?.code, 'invalid_input', JSON.stringify(notPdf));
  assert.match(notPdf.err.ja, /PDF/);

  // 「開く」 hands exactly that PDF to the system's viewer (here a stand-in that records it).
  await (await $t('report-open')).click();
  await browser.waitUntil(() => existsSync(openedLog) && readFileSync(openedLog, 'utf8').includes(pdf), {
    timeout: 15000, timeoutMsg: 'the PDF was not handed to the viewer',
  });
  assert.equal(readFileSync(openedLog, 'utf8').trim(), join(reportDir, pdf));

  await visit('history');
  await shot('10-history');
  await visit('settings');
  assert.equal(await (await $t('settings-report-folder')).getText(), reportDir);
  assert.match(await (await $t('cert-info')).getText(), /さくら内科クリニック/);
  await shot('11-settings');
  await (await $t('cert-info')).scrollIntoView();
  await shot('11b-settings-certificate');

  const rss = appRssKiB();
  writeFileSync(join(shots, 'app-rss.txt'), `${rss} KiB RSS (app + WebKit processes)\n`);
  console.log(`app RSS under Xvfb: ${(rss / 1024).toFixed(0)} MiB (app + WebKit processes)`);
  await browser.deleteSession();
  browser = undefined;
});

test('restart: profile, answers and the report are still there', async () => {
  await open();
  const progress = await $t('home-progress');
  assert.match(await progress.getText(), /\d+ 行中 3 行に回答済み/);
  assert.equal(await (await $t('clinic-name')).getText(), 'さくら内科クリニック');
  assert.match(await (await $t('home-planned')).getText(), /2027-03-31/);
  await shot('12-home-after-restart');
  await visit('checklist');
  await (await $t('table-view')).click();
  const table = await (await $t('answers-table')).getText();
  assert.match(table, /いいえ\s*2027-03-31/);
  assert.match(table, /該当なし/);
  await shot('13-checklist-table-after-restart');
  // Kept by the engine's store (SQLite), not by an app-private state file.
  assert.ok(existsSync(join(dataDir, 'tenken.sqlite3')), 'store database exists');
  assert.ok(!existsSync(join(dataDir, 'state.json')), 'no app-private state.json');

  // The report made before the restart is still listed, and its file is still there.
  await visit('report');
  const rows = await browser.$$('[data-testid=report-row]');
  assert.equal(rows.length, 1, 'the report is still listed');
  assert.equal(await rows[0].getAttribute('data-exists'), 'true');
  assert.match(await rows[0].getText(), /tenken-report-FY\d{4}-\d{8}-\d{6}\.pdf/);
  assert.equal(await (await $t('report-folder')).getText(), reportDir);
  await shot('14-report-after-restart');
  await (await $t('report-verify')).click();
  const result = await browser.$('[data-testid=verify-result]');
  await result.waitForDisplayed({ timeout: 60000 });
  assert.equal(await result.getAttribute('data-status'), 'valid', 'still 有効 after the restart');
});
