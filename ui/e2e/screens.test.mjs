// Fast screen tests: the built UI served by `vite preview`, Chromium via playwright-core, the Rust
// side replaced by mockIPC (e2e/mock-ipc.ts). Screenshots go to ../target/gui-shots/mock-*.png.
// Run: npm run build && node --test e2e/screens.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const shots = process.env.GUI_SHOTS ?? new URL('../../target/gui-shots/', import.meta.url).pathname;
const PORT = Number(process.env.SCREENS_PORT ?? 4173); // another port when several checkouts test at once
let server;
let browser;
let page;

async function waitForServer(url, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not start at ${url}`);
}

async function shot(name) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: `${shots}mock-${name}.png`, fullPage: true });
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  const bundle = await build({
    entryPoints: [`${root}e2e/mock-ipc.ts`], bundle: true, write: false, format: 'iife', target: 'es2022',
  });
  server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
  await waitForServer(`http://127.0.0.1:${PORT}/`);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1100, height: 760 }, locale: 'ja-JP' });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.errors = errors;
  await page.addInitScript({ content: bundle.outputFiles[0].text });
  await page.goto(`http://127.0.0.1:${PORT}/`);
});

after(async () => {
  await browser?.close();
  if (server?.pid) {
    try { process.kill(-server.pid); } catch { /* already gone */ }
  }
});

test('first launch asks for the clinic profile, then shows home', async () => {
  await page.getByTestId('profile-form').waitFor();
  await shot('01-profile');
  await page.getByTestId('profile-save').click();
  assert.match(await page.getByRole('alert').innerText(), /医療機関名を入力してください/);
  await page.locator('input[name=name]').fill('さくら内科クリニック');
  await page.locator('input[name=administrator]').fill('山田 太郎');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('home-progress').waitFor();
  assert.equal(await page.getByTestId('clinic-name').innerText(), 'さくら内科クリニック');
  assert.match(await page.getByTestId('home-progress').innerText(), /3 行中 0 行に回答済み/);
  await shot('02-home-empty');
});

test('answering: いいえ needs 目標日; answers show in the table and on home', async () => {
  await page.locator('[data-nav=checklist]').click();
  const item = page.getByTestId('item');
  await item.waitFor();
  assert.equal(await item.getAttribute('data-item-id'), 'demo-1');
  await page.getByLabel('はい').check();
  await page.getByTestId('answer-save').click();
  await page.getByRole('status').waitFor();
  await page.getByTestId('next-item').click();
  await page.locator('[data-item-id=demo-2]').waitFor();
  const server = page.locator('fieldset[data-scope=server]');
  await server.getByLabel('いいえ').check();
  await page.locator('fieldset[data-scope=terminal]').getByLabel('該当なし').check();
  await page.getByTestId('answer-save').click();
  assert.match(await page.getByRole('alert').innerText(), /目標日を入れてください/);
  await shot('03-checklist-no-needs-target');
  await server.getByTestId('target-date').fill('2027-03-31');
  await page.getByTestId('answer-save').click();
  await page.getByRole('status').waitFor();
  await shot('04-checklist-saved');
  await page.getByTestId('table-view').click();
  const table = await page.getByTestId('answers-table').innerText();
  assert.match(table, /いいえ\s+2027-03-31/);
  assert.match(table, /該当なし/);
  await shot('05-table');
  await page.locator('[data-nav=home]').click();
  assert.match(await page.getByTestId('home-progress').innerText(), /3 行中 3 行に回答済み/);
  assert.match(await page.getByTestId('home-planned').innerText(), /2027-03-31/);
  await shot('06-home-answered');
});

test('unfinished engine parts say so plainly; history draws a chart', async () => {
  await page.locator('[data-nav=scan]').click();
  await page.getByTestId('scan-start').click();
  assert.match(await page.getByTestId('scan-error').innerText(), /準備中/);
  await shot('07-scan');
  await page.locator('[data-nav=network]').click();
  await page.getByRole('button', { name: '接続する相手を表示する' }).click();
  await page.getByRole('dialog').waitFor();
  await shot('08-network-consent');
  await page.locator('[data-nav=history]').click();
  await page.getByTestId('history-compare').waitFor();
  await shot('09-history');
  for (const s of ['devices', 'vendor', 'report']) {
    await page.locator(`[data-nav=${s}]`).click();
    await shot(`10-${s}`);
  }
});

test('history: trend per fiscal year and two years side by side', async () => {
  await page.locator('[data-nav=history]').click();
  const chart = page.getByTestId('history-chart');
  await chart.waitFor();
  // One 100 % bar per year with the share of はい above it; 2026 has no 未回答 segment.
  assert.equal(await chart.locator('g.bar').count(), 3);
  assert.equal(await chart.locator('g.bar').nth(2).locator('rect').count(), 3);
  const chartText = await chart.textContent();
  assert.match(chartText, /はい 83%/);
  assert.match(chartText, /令和8年度/);
  assert.match(await page.getByTestId('history-years').innerText(), /2026年度（令和8年度）/);
  // Default pair: last year vs this year; only changes are listed first.
  assert.equal(await page.getByTestId('history-earlier').inputValue(), '2025');
  assert.equal(await page.getByTestId('history-later').inputValue(), '2026');
  const table = page.getByTestId('history-compare');
  // Changed rows plus the unchanged いいえ whose earlier 目標日 has passed.
  assert.equal(await table.locator('tr[data-testid=history-row]').count(), 5);
  assert.match(await table.locator('tr[data-change=unchanged]').innerText(), /2025-09-30\s+期限切れ/);
  const regressed = table.locator('tr[data-change=regressed]');
  assert.match(await regressed.innerText(), /前の番号 2-⑥/);
  assert.match(await regressed.innerText(), /はい\s+いいえ\s+後退/);
  assert.match(await table.locator('tr[data-change=new]').innerText(), /（項目なし）\s+はい\s+新しい項目/);
  assert.match(await table.locator('tr[data-change=improved]').innerText(), /2025-03-31\s+達成/);
  assert.match(await page.getByTestId('history-summary').innerText(), /改善 1件・後退 1件/);
  assert.match(await page.getByTestId('history-findings').innerText(), /UKETSUKE-PC\s+ファイアウォール\s+適合\s+不適合/);
  await shot('13-history-changes');
  await page.getByTestId('history-filter-all').click();
  assert.equal(await table.locator('tr[data-testid=history-row]').count(), 6);
  assert.match(await table.locator('tr[data-change=unchanged]').first().innerText(), /2025-09-30\s+期限切れ/);
  await page.getByTestId('history-filter-all').focus();
  await shot('14-history-all');
  // A later year before the earlier one is refused in plain words, not sent.
  await page.getByTestId('history-later').selectOption('2024');
  assert.match(await page.getByTestId('history-compare-error').innerText(), /前の年度には/);
  await page.getByTestId('history-later').selectOption('2026');
  await table.waitFor();
  assert.match(await page.locator('.compare .hint').first().innerText(), /2025年度（令和7年度） は「（仮）旧版チェックリスト」/);
  // Two years on the same checklist version: no older numbers, no new items.
  await page.getByTestId('history-earlier').selectOption('2024');
  await page.getByTestId('history-later').selectOption('2025');
  await table.locator('tr[data-change=regressed]', { hasNotText: '前の番号' }).waitFor();
  assert.equal(await table.locator('tr[data-change=new]').count(), 0);
  assert.match(await page.locator('.compare .hint').first().innerText(), /どちらの年度も/);
  await shot('14b-history-same-version');
  await page.getByTestId('history-earlier').selectOption('2025');
  await page.getByTestId('history-later').selectOption('2026');
  await table.locator('tr[data-change=new]').waitFor();
});

test('history with one stored year says so and shows that year alone', async () => {
  await page.evaluate(() => { window.__historyYears = 1; });
  await page.locator('[data-nav=home]').click();
  await page.locator('[data-nav=history]').click();
  await page.getByTestId('history-one-year').waitFor();
  assert.match(await page.getByTestId('history-one-year').innerText(), /2026年度（令和8年度） の1年分だけ/);
  assert.equal(await page.getByTestId('history-chart').locator('g.bar').count(), 1);
  assert.equal(await page.getByTestId('history-compare').count(), 0);
  assert.equal(await page.getByRole('alert').count(), 0);
  await shot('14c-history-one-year');
  await page.evaluate(() => { delete window.__historyYears; });
});

test('vendor sheets: no vendors → profile; request, signed import after fingerprint, entry together', async () => {
  await page.locator('[data-nav=vendor]').click();
  await page.getByTestId('vendor-none').waitFor();
  await shot('15-vendor-none');
  await page.evaluate(async () => {
    const p = await window.__TAURI_INTERNALS__.invoke('get_profile');
    await window.__TAURI_INTERNALS__.invoke('save_profile', { profile: { ...p, vendors: [
      { name: 'ABCメディカル', contact: '03-1234-5678' }, { name: 'XYZ保守', contact: 'support@xyz.example' },
    ] } });
  });
  await page.getByTestId('vendor-open-profile').click();
  await page.getByTestId('profile-form').waitFor();
  await page.locator('[data-nav=vendor]').click();
  const cards = page.getByTestId('vendor-card');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 2);
  const abc = page.locator('[data-vendor=ABCメディカル]');
  const xyz = page.locator('[data-vendor=XYZ保守]');
  assert.equal(await abc.getByTestId('vendor-status').innerText(), '未依頼');
  assert.match(await page.getByTestId('vendor-year').innerText(), /2026年度（令和8年度）/);
  await shot('16-vendor-list');

  await abc.getByTestId('vendor-request').click();
  assert.match(await page.getByTestId('vendor-message').innerText(), /回答依頼ファイルを保存しました（2項目）/);
  assert.equal(await abc.getByTestId('vendor-status').innerText(), '依頼済み');
  assert.match(await abc.getByTestId('vendor-detail').innerText(), /2026-06-01 に依頼しました/);

  await abc.getByTestId('vendor-import').click();
  const untrusted = page.getByTestId('vendor-untrusted');
  await untrusted.waitFor();
  assert.match(await page.getByTestId('vendor-fingerprint').innerText(), /^3F:A2:19/);
  assert.match(await untrusted.innerText(), /まだ何も取り込んでいません/);
  await shot('17-vendor-untrusted');
  await page.getByTestId('vendor-trust').click();
  assert.match(await page.getByTestId('vendor-message').innerText(), /取り込みました（2件）/);
  assert.equal(await abc.getByTestId('vendor-status').innerText(), '回答済み');
  assert.match(await abc.getByTestId('vendor-detail').innerText(), /ABC Medical KK の署名を確認済み/);

  await xyz.getByTestId('vendor-enter').click();
  const sheet = page.getByTestId('vendor-sheet');
  await sheet.waitFor();
  const first = sheet.locator('[data-item-id=vendor-demo-1]');
  await first.getByLabel('いいえ').check();
  assert.match(await first.getByRole('alert').innerText(), /目標日を入れてください/);
  await first.getByTestId('vendor-target').fill('2027-03-31');
  await first.getByTestId('vendor-target').dispatchEvent('change');
  await first.getByTestId('vendor-row-saved').waitFor();
  const second = sheet.locator('[data-item-id=vendor-demo-2]');
  await second.getByLabel('はい').check();
  await second.getByTestId('vendor-row-saved').waitFor();
  await second.getByLabel('はい').focus();
  await shot('18-vendor-enter');
  await page.getByTestId('vendor-sheet-close').click();
  assert.equal(await xyz.getByTestId('vendor-status').innerText(), '要確認');
  assert.match(await xyz.getByTestId('vendor-detail').innerText(), /この画面で入力・2行中 2行に回答・「いいえ」1件/);
  await shot('19-vendor-status');
});

test('settings switch the whole UI to English', async () => {
  await page.locator('[data-nav=settings]').click();
  await page.getByTestId('lang').selectOption('en');
  await page.getByTestId('settings-save').click();
  await page.getByRole('status').waitFor();
  assert.equal(await page.locator('[data-nav=home]').innerText(), 'Home');
  await shot('11-settings-en');
  await page.locator('[data-nav=checklist]').click();
  await shot('12-checklist-en');
  await page.locator('[data-nav=history]').click();
  await page.getByTestId('history-compare').waitFor();
  assert.match(await page.getByTestId('history-years').innerText(), /FY2026/);
  await shot('20-history-en');
  await page.locator('[data-nav=vendor]').click();
  await page.getByTestId('vendor-card').first().waitFor();
  assert.equal(await page.locator('[data-vendor=XYZ保守]').getByTestId('vendor-status').innerText(), 'Needs review');
  await shot('21-vendor-en');
  assert.deepEqual(page.errors, []);
});
