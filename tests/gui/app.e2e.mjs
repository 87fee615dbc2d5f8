// End-to-end test of the REAL app: WebdriverIO -> tauri-driver -> WebKitWebDriver -> tenken-app,
// under Xvfb (run through tests/gui/run.sh), in Japanese, walking every flow a clinic uses:
// first launch → clinic profile with systems and a vendor → home → checklist answers (はい;
// いいえ + 目標日; 該当なし; a typed note saved when leaving the screen) → automatic check → results
// grouped, one opened on its checklist item → network up to the consent dialog → devices (this PC)
// → vendor screen (the profile's vendor, its sheet entered together) → the signed report made
// with one click (checked with poppler's pdfsig and qpdf, then verified in the app) → history →
// settings → profile edited later → restart, which must find everything still there.
// Screenshots of every screen: target/gui-shots/app-NN-name.png.
//
// Nothing here touches the network: the network screen is only opened up to its consent dialog
// (which lists what WOULD be contacted), never started. Reports go to a temporary folder
// (TENKEN_REPORT_DIR) and "open" is recorded by a stand-in program (TENKEN_OPENER) instead of
// starting a PDF viewer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = resolve(new URL('../..', import.meta.url).pathname);
const require = createRequire(join(repo, 'ui/package.json'));
const { remote } = await import(pathToFileURL(require.resolve('webdriverio')).href);

const app = process.env.TENKEN_APP ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'release/tenken-app');
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

/** The app runs as on a Japanese PC (dates as 2026/11/23) when ja_JP.UTF-8 exists (scripts/deps.sh makes it). */
function japaneseLocale() {
  const r = spawnSync('locale', ['-a'], { encoding: 'utf8' });
  return /^ja_JP\.utf-?8$/im.test(r.stdout ?? '') ? { LANG: 'ja_JP.UTF-8', LC_ALL: 'ja_JP.UTF-8' } : {};
}

async function startDriver() {
  driver = spawn(process.env.TAURI_DRIVER ?? 'tauri-driver', ['--port', '4444'], {
    env: { ...process.env, ...japaneseLocale(), TENKEN_DATA_DIR: dataDir, TENKEN_REPORT_DIR: reportDir, TENKEN_OPENER: opener },
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
  // A common clinic laptop screen (issue 15: layouts hold at 1366×768).
  try {
    await browser.setWindowSize(1366, 768);
  } catch { /* the window keeps its configured size where the driver cannot resize */ }
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

/** The pid of the app this test started (its data folder tells it from any other), or 0. */
function appPid() {
  const ours = (pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`TENKEN_DATA_DIR=${dataDir}`);
    } catch {
      return false;
    }
  };
  return processes().find((p) => p.exe === resolve(app) && ours(p.pid))?.pid ?? 0;
}

/** Waits until process `pid` has exited (true) or `ms` passed (false). */
async function waitUntilGone(pid, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    let stat = '';
    try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return true; }
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return true;
    await sleep(100);
  }
  return false;
}

/** Every readable process with its parent, executable and resident memory (KiB). */
function processes() {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map((pid) => {
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
}

/** Resident memory (KiB) of the app and its descendants (WebKit web/network processes). */
function appRssKiB() {
  const procs = processes();
  const root = appPid();
  if (!root) return 0;
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) { tree.add(p.pid); grew = true; }
    }
  }
  return procs.filter((p) => tree.has(p.pid)).reduce((s, p) => s + p.rss, 0);
}

/** tests/gui/wm-close.c, built for this run (needs cc and libX11, both there with WebKitGTK's build deps). */
const wmClose = join(openerDir, 'wm-close');

before(async () => {
  mkdirSync(shots, { recursive: true });
  execFileSync('cc', ['-o', wmClose, join(repo, 'tests/gui/wm-close.c'), '-lX11'], { stdio: 'inherit' });
  await startDriver();
});

/** Stops the tauri-driver this test started (by its pid) and waits until it is gone. */
async function stopDriver() {
  const d = driver;
  driver = undefined;
  if (!d?.pid || d.exitCode !== null) return;
  const gone = new Promise((r) => d.once('exit', r));
  try { process.kill(d.pid, 'SIGTERM'); } catch { /* gone */ }
  await Promise.race([gone, sleep(5000)]);
}

after(async () => {
  try { await browser?.deleteSession(); } catch { /* already closed */ }
  await stopDriver();
  // Never leave this test's app running (it would hold the display and its data folder).
  const left = appPid();
  if (left) {
    try { process.kill(left, 'SIGTERM'); } catch { /* gone */ }
  }
});

const CLINIC = 'さくら内科クリニック';
const VENDOR = 'ミドリ医療システム株式会社';
const VENDOR_CONTACT = '担当 田中様 03-1234-5678 tanaka@midori.example';
const NOTE = '業者に確認中（来週回答）';
const RESPONSIBLE = '事務長 鈴木';
/** Where RESPONSIBLE was typed just before the window closed. */
const typedAtClose = { item: '', scope: '' };
/** The host name of this PC as the automatic check recorded it. */
let thisPc = '';
/** The id of this year's checklist. */
let checklistId = '';

/** Calls a Tauri command from the page (as the UI does). */
function invoke(cmd, args = {}) {
  return browser.executeAsync((c, a, done) => {
    window.__TAURI_INTERNALS__.invoke(c, a).then((r) => done({ ok: r }), (e) => done({ err: e }));
  }, cmd, args);
}

/** Clicks an element after scrolling it to the middle (the sticky header must not cover it). */
async function press(el) {
  await el.waitForExist({ timeout: 15000 });
  await browser.execute((e) => e.scrollIntoView({ block: 'center' }), el);
  await el.click();
}

/** Goes from the first checklist item to `id` with 次の項目へ. */
async function goToItem(id) {
  await (await browser.$('[data-testid=item]')).waitForDisplayed({ timeout: 15000 });
  for (let i = 0; i < 40; i++) {
    if ((await (await browser.$('[data-testid=item]')).getAttribute('data-item-id')) === id) return;
    await (await $t('next-item')).click();
  }
  throw new Error(`item ${id} not reached`);
}

test('first launch: the clinic profile with systems and a vendor, then home', async () => {
  await open();
  const form = await $t('profile-form');
  assert.ok(await form.isDisplayed());
  // Alone on first launch: no navigation yet.
  assert.equal(await (await browser.$('nav')).isExisting(), false, 'no menu before the profile exists');
  await shot('01-first-launch');
  await setInput('input[name=name]', CLINIC);
  await setInput('input[name=address]', '東京都千代田区千代田1-1');
  await setInput('input[name=administrator]', '山田 太郎');
  await setInput('input[name=officer]', '佐藤 花子');
  for (const sys of ['電子カルテ', 'レセコン', 'オンライン資格確認']) {
    await press(await browser.$(`input[data-system="${sys}"]`));
  }
  await setInput('[data-testid=system-input]', '自動精算機');
  await (await $t('system-add')).click();
  assert.equal(await (await $t('system-other')).getText().then((t) => t.includes('自動精算機')), true);

  // A vendor with its contact and the systems it looks after.
  await (await $t('vendor-add')).click();
  await setInput('[data-testid=vendor-row] [data-testid=vendor-name]', VENDOR);
  await setInput('[data-testid=vendor-row] [data-testid=vendor-contact]', VENDOR_CONTACT);
  await press(await browser.$('[data-testid=vendor-row] input[data-vendor-system="電子カルテ"]'));
  await press(await browser.$('[data-testid=vendor-row] input[data-vendor-system="レセコン"]'));
  // A second row with a contact but no name is refused in plain words, nothing saved.
  await (await $t('vendor-add')).click();
  const rows = await browser.$$('[data-testid=vendor-row]');
  assert.equal(rows.length, 2);
  await browser.execute((e, v) => {
    e.value = v;
    e.dispatchEvent(new Event('input', { bubbles: true }));
  }, await rows[1].$('[data-testid=vendor-contact]'), '03-0000-0000');
  await (await $t('profile-save')).click();
  const err = await $t('profile-error');
  assert.match(await err.getText(), /2番目の事業者の名前を入力してください/);
  assert.equal((await invoke('get_profile')).ok, null, 'nothing saved while the form is refused');
  await shot('01b-profile-vendor-error');
  await (await rows[1].$('[data-testid=vendor-remove]')).click();
  await browser.waitUntil(async () => (await browser.$$('[data-testid=vendor-row]')).length === 1, {
    timeout: 10000, timeoutMsg: 'vendor row not removed',
  });
  await (await $t('vendor-add')).scrollIntoView();
  await shot('01c-profile-filled');
  await (await $t('profile-save')).click();

  const progress = await $t('home-progress');
  assert.match(await progress.getText(), /\d+ 項目中 0 項目に回答済み/);
  assert.match(await progress.getText(), /\d+ 行中 0 行に回答済み/);
  assert.equal(await (await $t('clinic-name')).getText(), CLINIC);
  const saved = (await invoke('get_profile')).ok;
  assert.deepEqual(saved.systems, ['電子カルテ', 'レセコン', 'オンライン資格確認', '自動精算機']);
  assert.deepEqual(saved.vendors, [{ name: VENDOR, contact: VENDOR_CONTACT, systems: ['電子カルテ', 'レセコン'] }]);
  await shot('02-home');
  checklistId = (await invoke('list_checklists')).ok[0].id;
});

test('checklist: はい, いいえ with 目標日, 該当なし; typed text saved when leaving the screen', async () => {
  await visit('checklist');
  await (await browser.$('[data-item-id="0"]')).waitForDisplayed({ timeout: 10000 });
  await (await browser.$('fieldset[data-scope=general] input[value=yes]')).click();
  await (await $t('answer-save')).click();
  await (await browser.$('p[role=status]')).waitForDisplayed({ timeout: 10000 });
  // The real MHLW R7 clinic sheet: 0, 1-1, 1-2, 2-1, 2-2, 2-3, then 2-4 (server + terminal rows).
  await goToItem('2-4');
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

  // A note typed and the screen left at once (well within the 0.7 s autosave pause): it is
  // written when the screen closes, not dropped and not left to the timer.
  const took = await browser.executeAsync((id, note, done) => {
    const ta = document.querySelector('fieldset[data-scope=server] textarea');
    ta.value = note;
    ta.dispatchEvent(new Event('input', { bubbles: true }));
    const t0 = performance.now();
    document.querySelector('[data-nav=home]').click();
    const poll = async () => {
      const answers = await window.__TAURI_INTERNALS__.invoke('get_answers', { checklistId: id });
      const a = answers.find((x) => x.item_id === '2-4' && x.scope === 'server');
      const ms = performance.now() - t0;
      if (a && a.note === note) done(ms);
      else if (ms > 550) done(null);
      else setTimeout(poll, 20);
    };
    void poll();
  }, checklistId, NOTE);
  assert.notEqual(took, null, 'the note typed just before leaving was saved when the screen closed');
  await $t('home-progress');
});

test('automatic check: results grouped; a result opens its checklist item with the finding beside it', async () => {
  // Read-only local probes of this PC; results arrive as progress events and the signed bundle is
  // kept with this year's assessment.
  await visit('scan');
  await (await $t('scan-start')).click();
  await browser.waitUntil(
    async () => (await (await $t('scan-start')).isEnabled()) && (await browser.$$('[data-testid=scan-result]')).length > 0,
    { timeout: 120000, timeoutMsg: 'automatic check did not finish' },
  );
  assert.equal(await (await browser.$('[data-testid=scan-error]')).isExisting(), false, 'automatic check failed');
  const results = await browser.$$('[data-testid=scan-result]');
  assert.ok(results.length >= 5, `results shown (${results.length})`);
  const groups = await browser.$$('[data-group]');
  assert.ok(groups.length >= 1, 'results are grouped');
  thisPc = (await (await browser.$('[data-testid=scan-hosts] strong')).getText()).trim();
  assert.ok(thisPc, 'the checked PC is named');
  await shot('04-scan-results');

  // The first result that links to a checklist item (opening a collapsed group if needed).
  let link = null;
  for (const g of groups) {
    if ((await g.$$('[data-testid=finding-item]')).length === 0) continue;
    if ((await g.getTagName()) === 'details' && !(await g.getAttribute('open'))) await (await g.$('summary')).click();
    link = await g.$('[data-testid=finding-item]');
    break;
  }
  assert.ok(link, 'at least one result links to a checklist item');
  const number = (await link.getText()).trim();
  const title = await browser.execute((b) => b.closest('[data-testid=finding]').querySelector('.title').textContent.trim(), link);
  await link.scrollIntoView();
  await link.click();
  await browser.waitUntil(
    async () => (await (await browser.$('[data-nav=checklist]')).getAttribute('aria-current')) === 'page',
    { timeout: 15000, timeoutMsg: 'the result did not open the checklist' },
  );
  const item = await $t('item');
  assert.ok((await item.getText()).includes(number), `landed on item ${number}`);
  const beside = await $t('item-findings');
  await browser.waitUntil(async () => (await beside.getText()).includes(title), {
    timeout: 15000, timeoutMsg: `the finding "${title}" is not shown beside item ${number}`,
  });
  await shot('04b-checklist-item-with-finding');
});

test('network up to its consent dialog (never started); devices list this PC', async () => {
  // The consent dialog only lists what WOULD be contacted. The check itself is NEVER started here
  // (no packet leaves this machine).
  await visit('network');
  const prepare = await browser.$(`//button[@data-testid="network-prepare" or normalize-space()="${ja['network.prepare']}"]`);
  assert.ok(await prepare.isExisting(), 'the network screen offers to show what would be contacted');
  await prepare.click();
  const dialog = await browser.$('[role=dialog]');
  await dialog.waitForDisplayed({ timeout: 15000 });
  await shot('05-network-consent');
  // Leave without consenting.
  await visit('devices');
  const row = await browser.$(`[data-testid=device-row][data-host="${thisPc}"]`);
  await row.waitForDisplayed({ timeout: 15000 });
  assert.equal(await row.getAttribute('data-source'), 'scanned');
  await shot('06-devices');
  // The network device ledger the checklist asks for: a VPN device entered by hand; a bad address
  // is refused with the engine's words and nothing is added.
  await (await $t('device-add')).click();
  await setInput('[data-testid=device-name]', '保守用VPN');
  await setInput('[data-testid=device-manufacturer]', 'Fortinet');
  await setInput('[data-testid=device-model]', 'FortiGate-60F');
  await setInput('[data-testid=device-ip]', '192.168.1');
  await (await $t('device-save')).click();
  const alert = await browser.$('[data-testid=net-devices] [role=alert], [role=alert]');
  await alert.waitForDisplayed({ timeout: 15000 });
  assert.match(await alert.getText(), /IPアドレス/);
  await setInput('[data-testid=device-ip]', '192.168.1.254');
  await (await $t('device-save')).click();
  const vpn = await browser.$('[data-testid=net-device][data-name="保守用VPN"]');
  await vpn.waitForDisplayed({ timeout: 15000 });
  assert.equal(await vpn.getAttribute('data-kev'), 'flagged', 'FortiOS is in the known-exploited list');
  await shot('06b-network-device-added');
});

test('vendor screen: the profile\u2019s vendor is 未依頼, its sheet entered together changes the status', async () => {
  await visit('vendor');
  const card = await browser.$(`[data-testid=vendor-card][data-vendor="${VENDOR}"]`);
  await card.waitForDisplayed({ timeout: 15000 });
  assert.equal(await (await card.$('[data-testid=vendor-status]')).getText(), '未依頼');
  assert.match(await card.getText(), /03-1234-5678/);
  assert.match(await card.getText(), /電子カルテ、レセコン/);
  await shot('07-vendor');
  await (await card.$('[data-testid=vendor-enter]')).click();
  const sheet = await $t('vendor-sheet');
  const first = await sheet.$('[data-testid=vendor-item]');
  await first.waitForDisplayed({ timeout: 15000 });
  const firstId = await first.getAttribute('data-item-id');
  await (await first.$('input[value=yes]')).click();
  await (await first.$('[data-testid=vendor-row-saved]')).waitForDisplayed({ timeout: 15000 });
  await shot('07b-vendor-sheet');
  await (await $t('vendor-sheet-close')).click();
  const again = await browser.$(`[data-testid=vendor-card][data-vendor="${VENDOR}"]`);
  await again.waitForDisplayed({ timeout: 15000 });
  await browser.waitUntil(async () => (await again.getAttribute('data-progress')) !== 'not_requested', {
    timeout: 15000, timeoutMsg: 'the vendor status did not change',
  });
  assert.notEqual(await (await again.$('[data-testid=vendor-status]')).getText(), '未依頼');
  assert.match(await (await again.$('[data-testid=vendor-detail]')).getText(), /行中 1行に回答/);
  await shot('07c-vendor-status');
  const sheetNow = (await invoke('get_vendor_sheet', { vendor: VENDOR })).ok;
  assert.equal(sheetNow.answers.find((a) => a.item_id === firstId)?.value, 'yes');
});

test('report: one click, signed PDF (pdfsig, qpdf), verified 有効 in the app', async () => {
  await visit('report');
  const folder = await $t('report-folder');
  assert.equal(await folder.getText(), reportDir, 'the report folder shown is the configured one');
  assert.ok(await (await $t('report-list-empty')).isDisplayed());
  // The readiness review sits above the button; with gaps left (not every row is answered here)
  // the first click asks again, quoting the sentence the report's first page will carry.
  const review = await $t('readiness');
  await review.waitForDisplayed({ timeout: 60000 });
  assert.ok(Number(await review.getAttribute('data-open')) > 0, 'gaps are listed before signing');
  await shot('08a-report-readiness');
  await (await $t('report-generate')).click();
  const confirm = await $t('report-confirm');
  await confirm.waitForDisplayed({ timeout: 15000 });
  const note = await (await $t('report-confirm-note')).getText();
  assert.match(note, /^署名時点で/);
  await shot('08b-report-confirm');
  await (await $t('report-confirm-yes')).click();
  const made = await browser.$('[data-testid=report-made]');
  const failed = await browser.$('[data-testid=report-error]');
  await browser.waitUntil(async () => (await made.isExisting()) || (await failed.isExisting()), {
    timeout: 180000, timeoutMsg: 'report was neither made nor refused',
  });
  assert.equal(await failed.isExisting(), false, `report failed: ${(await failed.isExisting()) ? await failed.getText() : ''}`);
  const files = readdirSync(reportDir);
  // Readable names: clinic, fiscal year, date.
  const pdf = files.find((f) => new RegExp(`^${CLINIC}_\\d{4}年度_\\d{4}-\\d{2}-\\d{2}_点検報告書\\.pdf$`).test(f));
  const xlsx = files.find((f) => new RegExp(`^${CLINIC}_\\d{4}年度_\\d{4}-\\d{2}-\\d{2}_チェックリスト\\.xlsx$`).test(f));
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
  // Its first page says what was still open when it was signed (the sentence confirmed above).
  const page1 = run('pdftotext', ['-f', '1', '-l', '1', join(reportDir, pdf), '-']);
  assert.ok(page1.out.replace(/\s/g, '').includes(note.replace(/\s/g, '')), `first page lacks: ${note}`);
  const rows = await browser.$$('[data-testid=report-row]');
  assert.equal(rows.length, 1, 'the new report is listed');
  await shot('08-report-made');

  // Verify it in the app: 有効, signed by the clinic, at a readable Japanese date.
  await (await $t('report-verify')).click();
  const result = await browser.$('[data-testid=verify-result]');
  await result.waitForDisplayed({ timeout: 60000 });
  assert.equal(await result.getAttribute('data-status'), 'valid');
  assert.equal(await (await $t('verify-badge')).getText(), '有効');
  assert.match(await (await $t('verify-signer')).getText(), new RegExp(CLINIC));
  assert.match(await (await $t('verify-time')).getText(), /^\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}$/);
  await shot('09-report-verified');

  // The app's verify command on files a user might drop: a copy with one byte changed inside the
  // signed range is 無効 with what changed; a file that is not a report is a clear error.
  const bytes = readFileSync(join(reportDir, pdf));
  bytes[Math.floor(bytes.length / 3)] ^= 0x01;
  // (Placed in the report folder: the page may only name files the person chose or the app's
  // own folders.)
  const tampered = join(reportDir, 'changed.pdf');
  writeFileSync(tampered, bytes);
  const notReport = join(reportDir, 'notes.txt');
  writeFileSync(notReport, 'not a report');
  const bad = await invoke('verify_report', { path: tampered });
  assert.equal(bad.ok?.status, 'invalid', JSON.stringify(bad));
  assert.ok(bad.ok.signatures[0].findings.length > 0, 'says what changed');
  // A path the page makes up (not chosen in a dialog or dropped, not in the app's folders) is
  // refused before anything is read.
  const outside = join(openerDir, 'elsewhere.pdf');
  writeFileSync(outside, bytes);
  const refused = await invoke('verify_report', { path: outside });
  assert.equal(refused.err?.code, 'invalid_input', JSON.stringify(refused));
  assert.match(refused.err.ja, /選ぶ/);
  const notPdf = await invoke('verify_report', { path: notReport });
  assert.equal(notPdf.err?.code, 'invalid_input', JSON.stringify(notPdf));
  assert.match(notPdf.err.ja, /PDF/);

  // 「開く」 hands exactly that PDF to the system's viewer (here a stand-in that records it).
  await (await $t('report-open')).click();
  await browser.waitUntil(() => existsSync(openedLog) && readFileSync(openedLog, 'utf8').includes(pdf), {
    timeout: 15000, timeoutMsg: 'the PDF was not handed to the viewer',
  });
  assert.equal(readFileSync(openedLog, 'utf8').trim(), join(reportDir, pdf));
  // 印刷する hands the same PDF to the viewer and says how to print there.
  writeFileSync(openedLog, '');
  const print = await $t('report-print');
  await browser.execute((el) => el.scrollIntoView({ block: 'center' }), print);
  await print.click();
  await browser.waitUntil(() => readFileSync(openedLog, 'utf8').includes(pdf), {
    timeout: 15000, timeoutMsg: 'print did not open the PDF',
  });
  assert.match(await (await $t('report-print-hint')).getText(), /Ctrl\+P/);
});

test('history shows this year alone without an error; settings; the profile edited later', async () => {
  await visit('history');
  const one = await $t('history-one-year');
  assert.match(await one.getText(), /年度.*1年分だけ/);
  assert.equal(await (await browser.$('main [role=alert]')).isExisting(), false, 'no error on the history screen');
  await shot('10-history');
  await visit('settings');
  assert.equal(await (await $t('settings-report-folder')).getText(), reportDir);
  assert.match(await (await $t('cert-info')).getText(), new RegExp(CLINIC));
  await shot('11-settings');
  await (await $t('cert-info')).scrollIntoView();
  await shot('11b-settings-certificate');

  // Later edits: the profile from the menu, saved in place with 保存しました.
  await visit('profile');
  assert.equal(await (await browser.$('input[name=name]')).getValue(), CLINIC);
  assert.equal(await (await browser.$('input[data-system="電子カルテ"]')).isSelected(), true);
  assert.equal(await (await browser.$('[data-testid=vendor-row] [data-testid=vendor-name]')).getValue(), VENDOR);
  await press(await browser.$('input[data-system="電子処方箋"]'));
  await press(await $t('profile-save'));
  const ok = await $t('profile-saved');
  assert.equal(await ok.getText(), '保存しました');
  assert.equal(await (await browser.$('[data-nav=profile]')).getAttribute('aria-current'), 'page', 'stays on the profile');
  await shot('11c-profile-later');

  const rss = appRssKiB();
  writeFileSync(join(shots, 'app-rss.txt'), `${rss} KiB RSS (app + WebKit processes)\n`);
  console.log(`app RSS under Xvfb: ${(rss / 1024).toFixed(0)} MiB (app + WebKit processes)`);

  // Text typed just before the window is closed (within the autosave pause) is kept.
  await visit('checklist');
  const item = await $t('item');
  typedAtClose.item = await item.getAttribute('data-item-id');
  typedAtClose.scope = await browser.execute((v) => {
    const input = document.querySelector('[data-testid=item] fieldset[data-scope] [data-testid=responsible]');
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return input.closest('fieldset[data-scope]').getAttribute('data-scope');
  }, RESPONSIBLE);
  // Closed like the title bar's × does (WM_DELETE_WINDOW; Xvfb has no window manager): the app
  // writes the pending text, then the window and the app go away by themselves.
  const pid = appPid();
  assert.ok(pid, 'the app is running');
  const asked = run(wmClose, [String(pid)]);
  assert.equal(asked.status, 0, `wm-close ${pid}: ${asked.out}`);
  assert.ok(await waitUntilGone(pid, 20000), 'the app closed after saving');
  try { await browser.deleteSession(); } catch { /* the window is already gone */ }
  browser = undefined;
  // The driver does not always survive its app closing by itself: start a fresh one.
  await stopDriver();
  await startDriver();
});

test('restart: profile incl. vendor, answers, the note, the vendor sheet and the report are still there', async () => {
  await open();
  const progress = await $t('home-progress');
  assert.match(await progress.getText(), /\d+ 行中 3 行に回答済み/);
  assert.equal(await (await $t('clinic-name')).getText(), CLINIC);
  assert.match(await (await $t('home-planned')).getText(), /2027-03-31/);
  await shot('12-home-after-restart');

  await visit('profile');
  assert.equal(await (await browser.$('input[name=officer]')).getValue(), '佐藤 花子');
  assert.equal(await (await browser.$('input[data-system="電子処方箋"]')).isSelected(), true);
  assert.match(await (await $t('system-other')).getText(), /自動精算機/);
  const vrow = await $t('vendor-row');
  assert.equal(await (await vrow.$('[data-testid=vendor-name]')).getValue(), VENDOR);
  assert.equal(await (await vrow.$('[data-testid=vendor-contact]')).getValue(), VENDOR_CONTACT);
  assert.equal(await (await vrow.$('input[data-vendor-system="レセコン"]')).isSelected(), true);
  assert.equal(await (await vrow.$('input[data-vendor-system="オンライン資格確認"]')).isSelected(), false);
  await shot('12b-profile-after-restart');

  await visit('checklist');
  await (await $t('table-view')).click();
  const table = await (await $t('answers-table')).getText();
  assert.match(table, /いいえ\s*2027-03-31/);
  assert.match(table, /該当なし/);
  await shot('13-checklist-table-after-restart');
  const answers = (await invoke('get_answers', { checklistId })).ok;
  const closing = answers.find((a) => a.item_id === typedAtClose.item && a.scope === typedAtClose.scope);
  assert.equal(closing?.responsible, RESPONSIBLE, 'typed just before the window closed, still there');
  await (await browser.$('[data-testid=answers-table] button.link')).click();
  await goToItem('2-4');
  assert.equal(await (await browser.$('fieldset[data-scope=server] textarea')).getValue(), NOTE);
  // Kept by the engine's store (SQLite), not by an app-private state file.
  assert.ok(existsSync(join(dataDir, 'tenken.sqlite3')), 'store database exists');
  assert.ok(!existsSync(join(dataDir, 'state.json')), 'no app-private state.json');

  await visit('vendor');
  const card = await browser.$(`[data-testid=vendor-card][data-vendor="${VENDOR}"]`);
  await card.waitForDisplayed({ timeout: 15000 });
  assert.notEqual(await card.getAttribute('data-progress'), 'not_requested');
  assert.match(await (await card.$('[data-testid=vendor-detail]')).getText(), /行中 1行に回答/);

  // The report made before the restart is still listed, and its file is still there.
  await visit('report');
  const rows = await browser.$$('[data-testid=report-row]');
  assert.equal(rows.length, 1, 'the report is still listed');
  assert.equal(await rows[0].getAttribute('data-exists'), 'true');
  assert.match(await rows[0].getText(), /_点検報告書\.pdf/);
  assert.equal(await (await $t('report-folder')).getText(), reportDir);
  await shot('14-report-after-restart');
  await (await $t('report-verify')).click();
  const result = await browser.$('[data-testid=verify-result]');
  await result.waitForDisplayed({ timeout: 60000 });
  assert.equal(await result.getAttribute('data-status'), 'valid', 'still 有効 after the restart');
});

test('every screen at 150 % text on a 1366×768 window: nothing scrolls sideways', async () => {
  // The app's text-size setting sets the root font size; at 150 % the navigation becomes a row and
  // the checklist one column (container queries in em of the app's own font).
  await browser.execute(() => { document.documentElement.style.fontSize = '150%'; });
  for (const screen of ['home', 'checklist', 'scan', 'network', 'devices', 'vendor', 'report', 'history', 'settings']) {
    await visit(screen);
    await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
    const overflow = await browser.execute(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${screen} scrolls sideways by ${overflow}px at 150 %`);
    await shot(`20-${screen}-150`);
  }
  await browser.execute(() => { document.documentElement.style.fontSize = ''; });
});
