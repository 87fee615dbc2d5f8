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
  // Full-page shots from the top, so the sticky header and navigation sit where a person sees them.
  await page.evaluate(() => window.scrollTo(0, 0));
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
  assert.equal(await page.locator('nav').count(), 0, 'the profile is shown alone on first launch');
  await shot('01-profile');
  await page.getByTestId('profile-save').click();
  assert.match(await page.getByRole('alert').innerText(), /医療機関名を入力してください/);
  await page.locator('input[name=name]').fill('さくら内科クリニック');
  await page.locator('input[name=administrator]').fill('山田 太郎');
  // Common systems are ticked; others typed in (Enter adds, it does not save the form).
  await page.locator('input[data-system="電子カルテ"]').check();
  await page.locator('input[data-system="レセコン"]').check();
  await page.getByTestId('system-input').fill('自動精算機');
  await page.getByTestId('system-input').press('Enter');
  assert.match(await page.getByTestId('system-other').innerText(), /自動精算機/);
  assert.equal(await page.getByTestId('profile-form').isVisible(), true);
  await page.getByTestId('system-input').fill('レセコン');
  await page.getByTestId('system-add').click();
  assert.match(await page.locator('#system-error').innerText(), /もう一覧にあります/);
  await page.getByTestId('system-input').fill('');
  assert.equal(await page.locator('#system-error').count(), 0, 'typing again clears the message');
  await shot('01b-profile-systems');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('home-progress').waitFor();
  assert.equal(await page.getByTestId('clinic-name').innerText(), 'さくら内科クリニック');
  assert.match(await page.getByTestId('home-progress').innerText(), /2 項目中 0 項目に回答済み/);
  assert.match(await page.getByTestId('home-progress').innerText(), /3 行中 0 行に回答済み/);
  await shot('02-home-empty');
  const saved = await page.evaluate(() => window.__TAURI_INTERNALS__.invoke('get_profile'));
  assert.deepEqual(saved.systems, ['電子カルテ', 'レセコン', '自動精算機']);
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
  assert.match(await page.getByTestId('home-progress').innerText(), /2 項目中 2 項目に回答済み/);
  assert.match(await page.getByTestId('home-progress').innerText(), /3 行中 3 行に回答済み/);
  assert.match(await page.getByTestId('home-planned').innerText(), /2027-03-31/);
  await shot('06-home-answered');
});

test('automatic check: results grouped by meaning, linked to items, kept for later', async () => {
  await page.locator('[data-nav=scan]').click();
  await page.getByTestId('scan-never').waitFor();
  await page.getByTestId('scan-start').click();
  await page.getByTestId('scan-progress').waitFor();
  await page.locator('[data-testid=scan-progress] li').nth(2).waitFor();
  assert.match(await page.getByTestId('scan-progress').innerText(), /2 \/ 3/);
  await shot('07a-scan-running');
  await page.getByTestId('scan-result').first().waitFor();
  assert.equal(await page.getByTestId('scan-result').count(), 3);
  const groups = await page.locator('[data-group]').evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
  assert.deepEqual(groups, ['action_needed', 'unverified', 'ok']);
  const unverified = await page.locator('[data-group=unverified]').innerText();
  assert.match(unverified, /確認できなかった/);
  assert.match(unverified, /管理者として実行/);
  // Who can still check it comes from the evidence registry: staff, for what the PC's screens show.
  const checker = page.locator('[data-group=unverified] [data-testid=finding-checker]');
  assert.equal(await checker.getAttribute('data-checker'), 'staff');
  assert.match(await checker.innerText(), /院内のスタッフ/);
  // 問題なし is collapsed: present, not shown until opened.
  assert.equal(await page.locator('[data-group=ok] [data-testid=scan-result]').isVisible(), false);
  await shot('07-scan-results');
  // Reopening the screen shows the kept results again.
  await page.locator('[data-nav=home]').click();
  await page.locator('[data-nav=scan]').click();
  await page.getByTestId('scan-result').first().waitFor();
  assert.equal(await page.getByTestId('scan-result').count(), 3);
  // A result links to its checklist item.
  await page.locator('[data-group=action_needed] [data-testid=finding-item]').first().click();
  await page.locator('[data-item-id=demo-2]').waitFor();
  assert.match(await page.getByTestId('item-findings').innerText(), /ファイアウォール/);
});

test('checklist: evidence beside the item, contradiction flagged, autosave, attachments', async () => {
  // The item opened from the results shows its evidence; answering はい contradicts the failing firewall.
  const server = page.locator('fieldset[data-scope=server]');
  await server.locator('input[value=yes]').check();
  await page.getByTestId('contradiction').waitFor();
  assert.match(await page.getByTestId('contradiction').innerText(), /「はい」ですが/);
  // Saved without pressing 保存する, and the answer stays はい (evidence never changes it).
  await page.getByRole('status').waitFor();
  assert.match(await page.getByRole('status').innerText(), /保存しました/);
  assert.equal(await server.locator('input[value=yes]').isChecked(), true);
  assert.equal(await server.getByTestId('evidence-status').getAttribute('data-status'), 'contradicted');
  await shot('08-checklist-evidence');
  // Typing a note is saved after a pause.
  await server.locator('textarea').fill('業者に確認中');
  await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.getAttribute('data-state') === 'saved');
  // Closing the window within the pause still writes what was typed (no 0.7 s wait).
  await server.locator('textarea').fill('業者に確認中・来週回答');
  const closedAt = await page.evaluate(async () => {
    window.dispatchEvent(new Event('beforeunload'));
    const t0 = performance.now();
    for (;;) {
      const answers = await window.__TAURI_INTERNALS__.invoke('get_answers', { checklistId: 'demo' });
      if (answers.some((a) => a.note === '業者に確認中・来週回答')) return performance.now() - t0;
      if (performance.now() - t0 > 500) return null;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  assert.notEqual(closedAt, null, 'the typed note was saved when the window was closing');
  // Attach a file: stored with name, size, fingerprint and date.
  await server.getByTestId('attach').click();
  await server.getByTestId('attachments').waitFor();
  const files = await server.getByTestId('attachments').innerText();
  assert.match(files, /情報セキュリティ規程\.pdf/);
  assert.match(files, /24\.0 KB/);
  assert.match(files, /9f86d081884c/);
  await shot('09-checklist-attachment');
  await page.getByTestId('table-view').click();
  const statuses = await page.getByTestId('answers-table').getByTestId('evidence-status').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  assert.deepEqual(statuses, ['supported', 'contradicted', 'supported']);
  await shot('10-table-evidence');
});

test('home shows the last check, contradictions, next step and answers by section', async () => {
  await page.locator('[data-nav=home]').click();
  assert.match(await page.getByTestId('home-last-check').innerText(), /2026年11月20日/);
  assert.match(await page.getByTestId('home-contradictions').innerText(), /2-①/);
  // The profile still lacks the security officer: that comes first.
  assert.equal(await page.getByTestId('home-next').getAttribute('data-kind'), 'profile');
  assert.equal(await page.locator('[data-testid=home-sections] tbody tr').count(), 2);
  // The year at a glance: every step with its state; the profile (incomplete) is next, the
  // automatic check is done, the network check offered; a step opens its screen.
  const steps = page.getByTestId('year-steps');
  assert.equal(await steps.locator('[data-step]').count(), 7);
  assert.equal(await steps.locator('.next').getAttribute('data-step'), 'profile');
  assert.equal(await steps.locator('[data-step=scan]').getAttribute('data-state'), 'done');
  assert.equal(await steps.locator('[data-step=network]').getAttribute('data-state'), 'optional');
  await shot('11-home-evidence');
  await page.getByTestId('home-contradictions').getByRole('button', { name: '2-①' }).click();
  await page.locator('[data-item-id=demo-2]').waitFor();
});

test('a screen change starts at the top with focus on the new heading', async () => {
  await page.locator('[data-nav=checklist]').click();
  await page.evaluate(() => { document.getElementById('main')?.scrollTo(0, 10000); window.scrollTo(0, 10000); });
  await page.locator('[data-nav=home]').click();
  await page.waitForFunction(() => document.activeElement?.id === 'home-h');
  const top = await page.evaluate(() => (document.getElementById('main')?.scrollTop ?? 0) + window.scrollY);
  assert.equal(top, 0, 'the new screen is shown from its top');
});

test('network consent, devices import per file; history draws a chart', async () => {
  await page.locator('[data-nav=network]').click();
  await page.getByRole('button', { name: '接続する相手を表示する' }).click();
  await page.getByRole('dialog').waitFor();
  assert.equal(await page.getByTestId('network-start').isDisabled(), true, 'nothing runs before consent');
  await shot('12-network-consent');
  await page.locator('[data-nav=devices]').click();
  await page.getByTestId('devices-list').waitFor();
  assert.equal(await page.getByTestId('device-row').count(), 3);
  await page.getByTestId('devices-import').click();
  await page.getByTestId('import-results').waitFor();
  const st = await page.locator('[data-testid=import-results] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  assert.deepEqual(st, ['verified', 'untrusted']);
  // A whole collected folder in one step: one line per file, the older check and the changed
  // file each with their reason.
  await page.evaluate(() => { window.__pickFolder = '/srv/tenken/collected'; });
  await page.getByTestId('devices-import-folder').click();
  await page.locator('[data-testid=import-results] li[data-status=older]').waitFor();
  const st2 = await page.locator('[data-testid=import-results] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  assert.deepEqual(st2, ['verified', 'older', 'invalid']);
  assert.match(await page.getByTestId('import-results').innerText(), /より新しい結果/);
  await page.evaluate(() => { window.__pickFolder = undefined; });
  await shot('13-devices');
  // The ledger never clips on the right (issue 15 item 4): at 1366×768 and at 150 % / 200 % text
  // the table (or its cards) fits its box.
  await page.setViewportSize({ width: 1366, height: 768 });
  for (const size of ['', '150%', '200%']) {
    await page.evaluate((s) => { document.documentElement.style.fontSize = s; }, size);
    const clip = await page.getByTestId('devices-list').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(clip <= 1, `devices ledger clipped by ${clip}px at ${size || '100%'}`);
    await shot(`13a-devices-1366-${size.replace('%', '') || '100'}`);
  }
  await page.evaluate(() => { document.documentElement.style.fontSize = ''; });
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.locator('[data-nav=history]').click();
  await page.getByTestId('history-compare').waitFor();
  await shot('14-history');
  for (const s of ['vendor', 'report']) {
    await page.locator(`[data-nav=${s}]`).click();
    await shot(`15-${s}`);
  }
});

test('network device ledger: found devices flagged, a device added by hand, a bad entry refused', async () => {
  await page.locator('[data-nav=devices]').click();
  await page.getByTestId('net-devices').waitFor();
  const kev = await page.getByTestId('net-device').evaluateAll((els) => els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-kev')]));
  assert.deepEqual(kev, [['192.0.2.1', 'flagged'], ['192.0.2.27', 'stale'], ['192.0.2.28', 'stale']]);
  const router = page.locator('[data-testid=net-device][data-name="192.0.2.1"]');
  assert.match(await router.innerText(), /CVE-2018-13379/);
  assert.match(await router.innerText(), /ランサムウェアで使用/);
  assert.match(await page.locator('[data-testid=net-device][data-name="192.0.2.27"]').innerText(), /public/);
  assert.match(await page.locator('[data-testid=net-device][data-name="192.0.2.28"]').innerText(), /出口の候補/);
  assert.match(await page.getByTestId('kev-data').innerText(), /2025-08-25/);
  // A bad IP address is refused with the engine's words, and nothing is added.
  await page.getByTestId('device-add').click();
  await page.getByTestId('device-name').fill('保守用VPN');
  await page.getByTestId('device-manufacturer').fill('Fortinet');
  await page.getByTestId('device-model').fill('FortiGate-60F');
  await page.getByTestId('device-ip').fill('192.168.1');
  await page.getByTestId('device-save').click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /IPアドレス/);
  assert.equal(await page.getByTestId('net-device').count(), 3);
  await page.getByTestId('device-ip').fill('192.168.1.254');
  await page.getByTestId('device-save').click();
  await page.locator('[data-testid=net-device][data-name="保守用VPN"]').waitFor();
  assert.equal(await page.locator('[data-testid=net-device][data-name="保守用VPN"]').getAttribute('data-kev'), 'flagged');
  await shot('13b-network-devices');
  // At 200 % text the cards still hold: no horizontal scrolling.
  await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px at 200 %`);
  await shot('13c-network-devices-200');
  await page.evaluate(() => { document.documentElement.style.fontSize = ''; });
  assert.deepEqual(page.errors, []);
});

test('a hospital of 1,000 PCs: overview first, the list draws only what is in view, search, filters and roles', async () => {
  await page.evaluate(() => { window.__manyDevices = 1000; });
  await page.locator('[data-nav=home]').click();
  await page.locator('[data-nav=devices]').click();
  await page.getByTestId('fleet-overview').waitFor();
  assert.match(await page.getByTestId('fleet-overview').innerText(), /1000台/);
  assert.equal(await page.getByTestId('fleet-role').count(), 4);
  assert.match(await page.getByTestId('fleet-top').innerText(), /ファイアウォール/);
  assert.match(await page.getByTestId('devices-shown').innerText(), /1001台のうち 1001台/);
  const drawn = await page.getByTestId('device-row').count();
  assert.ok(drawn > 5 && drawn < 60, `${drawn} rows drawn for 1,001`);
  // Scrolled to the end, the last device is drawn (and the first no longer).
  await page.getByTestId('devices-list').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator('[data-testid=device-row][data-host="ルーター"]').waitFor();
  assert.equal(await page.locator('[data-testid=device-row][data-host="PC-外来-0001"]').count(), 0);
  await shot('13d-devices-1000');
  // Risk filters count and narrow; search narrows further.
  assert.match(await page.getByTestId('devices-risk-fail').innerText(), /不適合あり\s*221/);
  await page.getByTestId('devices-risk-stale').click();
  assert.match(await page.getByTestId('devices-shown').innerText(), /1001台のうち 77台/);
  await page.getByTestId('devices-risk-all').click();
  await page.getByTestId('devices-search').fill('病棟 0010');
  assert.match(await page.getByTestId('devices-shown').innerText(), /のうち 1台/);
  // A role set from the list shows in the list and the overview.
  await page.getByTestId('device-role').first().click();
  await page.getByTestId('role-input').fill('電子カルテサーバ');
  await page.getByTestId('role-save').click();
  await page.getByTestId('role-dialog').waitFor({ state: 'hidden' });
  assert.match(await page.getByTestId('device-row').first().innerText(), /電子カルテサーバ/);
  await page.locator('[data-testid=fleet-role][data-role="電子カルテサーバ"]').waitFor();
  // At 150 % and 200 % text nothing scrolls sideways.
  for (const size of ['150%', '200%']) {
    await page.evaluate((s) => { document.documentElement.style.fontSize = s; }, size);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px at ${size}`);
  }
  await page.getByTestId('devices-search').fill('');
  const rowH = await page.getByTestId('device-row').first().evaluate((e) => e.getBoundingClientRect().height);
  const sizeH = await page.getByTestId('device-row').first().evaluate((e) => e.scrollHeight);
  assert.ok(sizeH <= rowH + 1, `a row's content (${sizeH}px) is cut by its height (${rowH}px) at 200 %`);
  await shot('13e-devices-200');
  await page.evaluate(() => { document.documentElement.style.fontSize = ''; window.__manyDevices = undefined; });
  assert.deepEqual(page.errors, []);
});

test('layouts hold at 1366×768 and 1280×720 with 100–200 % text: the item column stays readable, nothing scrolls sideways', async () => {
  await page.locator('[data-nav=checklist]').click();
  await page.getByTestId('item').waitFor();
  for (const [w, h] of [[1366, 768], [1280, 720]]) {
    await page.setViewportSize({ width: w, height: h });
    for (const size of ['', '150%', '200%']) {
      await page.evaluate((s) => { document.documentElement.style.fontSize = s; }, size);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const { item, em, overflow } = await page.evaluate(() => ({
        item: document.querySelector('[data-testid=item]').getBoundingClientRect().width,
        em: parseFloat(getComputedStyle(document.querySelector('[data-testid=item]')).fontSize),
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }));
      assert.ok(overflow <= 1, `${w}×${h} ${size || '100%'}: page scrolls sideways by ${overflow}px`);
      // At least 20 characters per line in the item's own text size (it was a few at 150 %).
      assert.ok(item / em >= 20, `${w}×${h} ${size || '100%'}: the item column is ${Math.round(item / em)} characters wide`);
      if (w === 1366 && size) await shot(`39-checklist-1366-${size.replace('%', '')}`);
    }
  }
  await page.evaluate(() => { document.documentElement.style.fontSize = ''; });
  await page.setViewportSize({ width: 1100, height: 760 });
  assert.deepEqual(page.errors, []);
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
  await shot('20-history-changes');
  await page.getByTestId('history-filter-all').click();
  assert.equal(await table.locator('tr[data-testid=history-row]').count(), 6);
  assert.match(await table.locator('tr[data-change=unchanged]').first().innerText(), /2025-09-30\s+期限切れ/);
  await page.getByTestId('history-filter-all').focus();
  await shot('21-history-all');
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
  await shot('21b-history-same-version');
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
  await shot('21c-history-one-year');
  await page.evaluate(() => { delete window.__historyYears; });
});

test('vendor sheets: no vendors → profile; request, signed import after fingerprint, entry together', async () => {
  await page.locator('[data-nav=vendor]').click();
  await page.getByTestId('vendor-none').waitFor();
  await shot('22-vendor-none');
  // The vendors come from the clinic profile, edited later from the vendor screen's link.
  await page.getByTestId('vendor-open-profile').click();
  await page.getByTestId('profile-form').waitFor();
  assert.equal(await page.locator('input[name=name]').inputValue(), 'さくら内科クリニック');
  assert.equal(await page.locator('input[data-system="電子カルテ"]').isChecked(), true);
  assert.equal(await page.getByTestId('vendor-rows-empty').isVisible(), true);
  await page.locator('input[data-system="PACS・画像"]').check();
  await page.getByTestId('vendor-add').click();
  // The new row's name field has the focus.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'vendor-name');
  await page.keyboard.type('ABCメディカル');
  let row = page.getByTestId('vendor-row').nth(0);
  await row.getByTestId('vendor-contact').fill('03-1234-5678');
  await row.locator('input[data-vendor-system="電子カルテ"]').check();
  await row.locator('input[data-vendor-system="レセコン"]').check();
  await row.locator('input[data-vendor-system="PACS・画像"]').check();
  await page.getByTestId('vendor-add').click();
  row = page.getByTestId('vendor-row').nth(1);
  await row.getByTestId('vendor-name').fill('abcメディカル ');
  await page.getByTestId('profile-save').click();
  assert.match(await page.getByTestId('profile-error').innerText(), /事業者「abcメディカル」が2回入っています/);
  assert.equal(await row.getByTestId('vendor-name').evaluate((e) => e === document.activeElement), true, 'focus on the row to fix');
  await shot('22b-profile-vendor-twice');
  await row.getByTestId('vendor-name').fill('XYZ保守');
  await row.getByTestId('vendor-contact').fill('support@xyz.example');
  // Unticking a system takes it off the vendor that looked after it.
  await page.locator('input[data-system="PACS・画像"]').uncheck();
  assert.equal(await page.getByTestId('vendor-row').nth(0).locator('input[data-vendor-system="PACS・画像"]').count(), 0);
  // A third row nobody wrote in is dropped, not refused.
  await page.getByTestId('vendor-add').click();
  await page.getByTestId('profile-save').click();
  assert.equal(await page.getByTestId('profile-saved').innerText(), '保存しました');
  assert.equal(await page.locator('[data-nav=profile]').getAttribute('aria-current'), 'page', 'later saves stay on the profile');
  assert.equal(await page.getByTestId('vendor-row').count(), 2);
  const stored = await page.evaluate(() => window.__TAURI_INTERNALS__.invoke('get_profile'));
  assert.deepEqual(stored.vendors, [
    { name: 'ABCメディカル', contact: '03-1234-5678', systems: ['電子カルテ', 'レセコン'] },
    { name: 'XYZ保守', contact: 'support@xyz.example', systems: [] },
  ]);
  await shot('22c-profile-vendors');
  // Any further edit hides the old 保存しました.
  await page.locator('input[name=address]').fill('東京都千代田区1-1');
  assert.equal(await page.getByTestId('profile-saved').count(), 0);
  await page.locator('[data-nav=vendor]').click();
  const cards = page.getByTestId('vendor-card');
  await cards.first().waitFor();
  assert.equal(await cards.count(), 2);
  const abc = page.locator('[data-vendor=ABCメディカル]');
  const xyz = page.locator('[data-vendor=XYZ保守]');
  assert.equal(await abc.getByTestId('vendor-status').innerText(), '未依頼');
  assert.match(await page.getByTestId('vendor-year').innerText(), /2026年度（令和8年度）/);
  await shot('23-vendor-list');

  await abc.getByTestId('vendor-request').click();
  assert.match(await page.getByTestId('vendor-message').innerText(), /回答依頼ファイルを保存しました（2項目）/);
  assert.equal(await abc.getByTestId('vendor-status').innerText(), '依頼済み');
  assert.match(await abc.getByTestId('vendor-detail').innerText(), /2026-06-01 に依頼しました/);

  await abc.getByTestId('vendor-import').click();
  const untrusted = page.getByTestId('vendor-untrusted');
  await untrusted.waitFor();
  assert.match(await page.getByTestId('vendor-fingerprint').innerText(), /^3F:A2:19/);
  assert.match(await untrusted.innerText(), /まだ何も取り込んでいません/);
  await shot('24-vendor-untrusted');
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
  // A note typed (not yet left) is written when the window is closing.
  await second.locator('textarea').fill('保守契約書で確認');
  const noteSaved = await page.evaluate(async () => {
    window.dispatchEvent(new Event('beforeunload'));
    const t0 = performance.now();
    for (;;) {
      const sheet = await window.__TAURI_INTERNALS__.invoke('get_vendor_sheet', { vendor: 'XYZ保守' });
      if (sheet.answers.some((a) => a.note === '保守契約書で確認')) return true;
      if (performance.now() - t0 > 500) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  assert.equal(noteSaved, true, 'the vendor sheet note was saved when the window was closing');
  await second.getByLabel('はい').focus();
  await shot('25-vendor-enter');
  await page.getByTestId('vendor-sheet-close').click();
  assert.equal(await xyz.getByTestId('vendor-status').innerText(), '要確認');
  assert.match(await xyz.getByTestId('vendor-detail').innerText(), /この画面で入力・2行中 2行に回答・「いいえ」1件/);
  await shot('26-vendor-status');
  // The address typed on the profile before leaving it unsaved is still there, flagged, and can be dropped.
  await page.locator('[data-nav=profile]').click();
  await page.getByTestId('profile-restored').waitFor();
  assert.equal(await page.locator('input[name=address]').inputValue(), '東京都千代田区1-1');
  await shot('26b-profile-unsaved-kept');
  await page.getByTestId('profile-discard').click();
  assert.equal(await page.locator('input[name=address]').inputValue(), '');
  assert.equal(await page.getByTestId('profile-restored').count(), 0);
});

test('settings switch the whole UI to English', async () => {
  await page.locator('[data-nav=settings]').click();
  await page.getByTestId('lang').selectOption('en');
  await page.getByTestId('settings-save').click();
  await page.getByRole('status').waitFor();
  assert.equal(await page.locator('[data-nav=home]').innerText(), 'Home');
  await shot('27-settings-en');
  await page.locator('[data-nav=checklist]').click();
  await shot('28-checklist-en');
  await page.locator('[data-nav=history]').click();
  await page.getByTestId('history-compare').waitFor();
  assert.match(await page.getByTestId('history-years').innerText(), /FY2026/);
  await shot('29-history-en');
  await page.locator('[data-nav=vendor]').click();
  await page.getByTestId('vendor-card').first().waitFor();
  assert.equal(await page.locator('[data-vendor=XYZ保守]').getByTestId('vendor-status').innerText(), 'Needs review');
  await shot('30-vendor-en');
  assert.deepEqual(page.errors, []);
});

test('report: one click makes a signed report; list, 有効 and 無効 verification cards; settings', async () => {
  // Back to Japanese (an earlier test switched to English).
  await page.locator('[data-nav=settings]').click();
  await page.getByTestId('lang').selectOption('ja');
  await page.getByTestId('settings-save').click();
  await page.getByRole('status').waitFor();
  assert.match(await page.getByTestId('settings-report-folder').innerText(), /Tenken$/);
  assert.match(await page.getByTestId('cert-info').innerText(), /さくら内科クリニック[\s\S]*A1B2 C3D4/);
  await shot('31-settings');

  await page.locator('[data-nav=report]').click();
  await page.getByTestId('report-list-empty').waitFor();
  assert.match(await page.getByTestId('report-folder').innerText(), /ドキュメント\/Tenken/);
  await shot('32-report-empty');
  // The review before signing lists what is open, each entry linking to the screen that fixes it.
  await page.getByTestId('readiness-entry').first().waitFor();
  assert.match(await page.getByTestId('readiness').innerText(), /点検者が入っていない/);
  await page.setViewportSize({ width: 1366, height: 768 });
  await shot('32a-report-readiness-1366');
  for (const size of ['150%', '200%']) {
    await page.evaluate((s) => { document.documentElement.style.fontSize = s; }, size);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `report screen scrolls sideways by ${overflow}px at ${size}`);
    await shot(`32b-report-readiness-${size.replace('%', '')}`);
  }
  await page.evaluate(() => { document.documentElement.style.fontSize = ''; });
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.locator('[data-testid=readiness-entry][data-target=profile]').click();
  await page.getByTestId('profile-form').waitFor();
  await page.locator('[data-nav=report]').click();
  // Signing with things open asks a second time and says what the first page will carry.
  await page.getByTestId('report-generate').click();
  await page.getByTestId('report-confirm').waitFor();
  assert.equal(await page.getByTestId('report-made').count(), 0, 'not signed on the first click');
  assert.match(await page.getByTestId('report-confirm-note').innerText(), /^署名時点で.*点検者の未設定がありました。$/);
  await shot('32c-report-confirm');
  await page.getByTestId('report-confirm-no').click();
  assert.equal(await page.getByTestId('report-confirm').count(), 0);
  assert.equal(await page.getByTestId('report-made').count(), 0, 'stopping does not sign');
  await page.getByTestId('report-generate').click();
  await page.getByTestId('report-confirm-yes').click();
  await page.getByTestId('report-made').waitFor();
  assert.match(await page.getByTestId('report-made').innerText(), /報告書を作りました: さくら内科クリニック_2026年度_\d{4}-\d{2}-\d{2}_点検報告書\.pdf/);
  assert.equal(await page.getByTestId('report-row').count(), 1);
  assert.match(await page.getByTestId('report-list').innerText(), /2026年度\s*令和8年度/);
  // 印刷: the report opens in the system viewer, and the screen says how to print from there.
  await page.getByTestId('report-print').click();
  assert.match(await page.getByTestId('report-print-hint').innerText(), /Ctrl\+P/);
  await shot('33-report-made');

  await page.getByTestId('report-verify').first().click();
  const card = page.getByTestId('verify-result');
  await card.waitFor();
  assert.equal(await card.getAttribute('data-status'), 'valid');
  assert.equal(await page.getByTestId('verify-badge').innerText(), '有効');
  assert.equal(await page.getByTestId('verify-signer').innerText(), 'さくら内科クリニック');
  // 09:30 in Japan, written as a readable Japanese date (the page runs in Asia/Tokyo or UTC).
  assert.match(await page.getByTestId('verify-time').innerText(), /^2026年11月2[34]日 \d{1,2}:30$/);
  await shot('34-report-valid');

  await page.getByTestId('verify-choose').click();
  await page.locator('[data-testid=verify-result][data-status=invalid]').waitFor();
  assert.equal(await page.getByTestId('verify-badge').innerText(), '無効');
  assert.match(await page.getByTestId('verify-findings').innerText(), /書き換えられています/);
  await shot('35-report-invalid');

  // Changing the folder shows the chosen one and offers the way back.
  await page.getByTestId('report-folder-change').click();
  await page.getByText('/media/usb/報告書').waitFor();
  await page.getByRole('button', { name: 'いつもの保存先に戻す' }).click();
  await page.getByText('（いつもの保存先）').first().waitFor();

  // The same screen in English.
  await page.locator('[data-nav=settings]').click();
  await page.getByTestId('lang').selectOption('en');
  await page.getByTestId('settings-save').click();
  await page.getByRole('status').waitFor();
  await page.locator('[data-nav=report]').click();
  await page.getByTestId('report-verify').first().click();
  await page.locator('[data-testid=verify-result][data-status=valid]').waitFor();
  assert.equal(await page.getByTestId('verify-badge').innerText(), 'Valid');
  assert.match(await page.getByTestId('report-list').innerText(), /FY2026/);
  await shot('36-report-en');
  assert.deepEqual(page.errors, []);
});

test('an item no automatic check can test says so and offers none (declared in the registry)', async () => {
  await page.evaluate(() => sessionStorage.setItem('mockNotAutomatic', 'demo-1'));
  await page.reload();
  await page.getByTestId('profile-form').waitFor();
  await page.locator('input[name=name]').fill('さくら内科クリニック');
  // 点検者 is entered with the profile (printed on the report as the assessor).
  await page.getByTestId('profile-assessor').fill('山田 花子');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('home-progress').waitFor();
  const saved = await page.evaluate(() => window.__TAURI_INTERNALS__.invoke('get_profile'));
  assert.equal(saved.assessor, '山田 花子');
  await page.locator('[data-nav=checklist]').click();
  await page.locator('[data-item-id=demo-1]').waitFor();
  assert.match(await page.getByTestId('not-automatic').innerText(), /この項目は自動では確かめられません/);
  assert.equal(await page.getByTestId('run-scan').count(), 0, 'no 「自動チェックをする」 where no probe can help');
  await shot('37-checklist-not-automatic');
  await page.getByTestId('next-item').click();
  await page.locator('[data-item-id=demo-2]').waitFor();
  assert.equal(await page.getByTestId('not-automatic').count(), 0);
  assert.equal(await page.getByTestId('run-scan').count(), 1);
  await page.evaluate(() => sessionStorage.removeItem('mockNotAutomatic'));
  assert.deepEqual(page.errors, []);
});

test('this year\'s workbooks imported: home says so and moves the assessment after showing what carries over', async () => {
  await page.evaluate(() => sessionStorage.setItem('mockVersion', 'imported'));
  await page.reload();
  await page.getByTestId('profile-form').waitFor();
  await page.locator('input[name=name]').fill('さくら内科クリニック');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('home-progress').waitFor();
  assert.match(await page.getByTestId('version-notice').innerText(), /取り込み済み/);
  await page.getByTestId('move-preview').click();
  await page.getByTestId('move-anew').waitFor();
  assert.match(await page.getByTestId('move-carried').innerText(), /引き継ぐ回答: 2件/);
  assert.match(await page.getByTestId('move-anew').innerText(), /2-④.*二要素認証.*新しい項目/s);
  await page.setViewportSize({ width: 1366, height: 768 });
  await shot('38-move-version');
  await page.getByTestId('move-confirm').click();
  await page.getByTestId('version-notice').waitFor({ state: 'detached' });
  assert.match(await page.locator('#main .lead').first().innerText(), /令和8年度/);
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.evaluate(() => sessionStorage.removeItem('mockVersion'));
  assert.deepEqual(page.errors, []);
});

test('this year\'s workbooks: home explains where to get them, previews what was read, saves after confirmation', async () => {
  await page.evaluate(() => sessionStorage.setItem('mockVersion', 'notice'));
  await page.reload();
  await page.getByTestId('profile-form').waitFor();
  await page.locator('input[name=name]').fill('さくら内科クリニック');
  await page.getByTestId('profile-save').click();
  await page.getByTestId('home-progress').waitFor();
  assert.match(await page.getByTestId('version-notice').innerText(), /まだ取り込まれていない/);
  await page.getByTestId('import-open').click();
  assert.match(await page.getByTestId('import-panel').innerText(), /厚生労働省/);
  await page.getByTestId('import-choose').click();
  await page.getByTestId('import-items').waitFor();
  const items = await page.getByTestId('import-items').innerText();
  assert.match(items, /2-④.*新/s);
  assert.match(items, /2-⑤/);
  // Nothing is saved before the person confirms the uncertain link.
  assert.equal(await page.getByTestId('import-save').isDisabled(), true);
  await page.setViewportSize({ width: 1366, height: 768 });
  await shot('40-checklist-import-preview');
  await page.getByTestId('import-confirm').check();
  await page.getByTestId('import-save').click();
  // Then the notice says it is imported and offers the move.
  await page.getByTestId('move-preview').waitFor();
  assert.match(await page.getByTestId('version-notice').innerText(), /取り込み済み/);
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.evaluate(() => sessionStorage.removeItem('mockVersion'));
  assert.deepEqual(page.errors, []);
});

