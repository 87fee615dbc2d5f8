// Bundled into the page by the screen tests (before the app loads): answers the app's commands
// from memory with @tauri-apps/api/mocks, so screens can be tested in Chromium without Rust.
// The checklist below is a SYNTHETIC fixture for UI tests, not MHLW wording.
import { mockIPC } from '@tauri-apps/api/mocks';
import { reportMock } from './mock-report';
import { emit } from '@tauri-apps/api/event';

type Json = Record<string, unknown>;
const txt = (ja: string, en: string) => ({ ja, en });
const checklist = {
  summary: {
    id: 'synthetic-demo', title: txt('（仮）動作確認用チェックリスト', '(Placeholder) demo checklist'),
    fiscal_year: 2026, kind: 'recommended', item_count: 2, source: 'Tenken「SYNTHETIC」2026', version_notice: null,
  },
  items: [
    {
      id: 'demo-1', number: '1-①', section: txt('体制構築', 'Organisation'),
      text: txt('（仮）責任者を決めていますか。', '(Placeholder) Is a person in charge named?'),
      scopes: ['general'], deadline: null,
      why: txt('困ったときに誰に聞くかが決まります。', 'Everyone knows whom to ask.'),
      done_when: txt('名前を書いた紙があります。', 'A named person is written down.'),
      who: txt('院長', 'Clinic director'), reconstructed: true,
      provenance: { tag: 'reconstructed', sources: ['synthesised demo data (ui/e2e/mock-ipc.ts)'], note: null },
      automatic: true,
    },
    {
      id: 'demo-2', number: '2-①', section: txt('医療情報システムの管理・運用', 'Managing the systems'),
      text: txt('（仮）パスワードを使い回していませんか。', '(Placeholder) Are passwords unique?'),
      scopes: ['server', 'terminal'], deadline: null,
      why: txt('一つ漏れると全部に入られます。', 'One leak opens everything.'),
      done_when: txt('機器ごとに違うパスワードです。', 'Each device has its own password.'),
      who: txt('事業者', 'Vendor'), reconstructed: true,
      provenance: { tag: 'reconstructed', sources: ['synthesised demo data (ui/e2e/mock-ipc.ts)'], note: null },
      automatic: true,
    },
  ],
};

const state: { profile: Json | null; answers: Json[]; settings: Json; scanned: boolean; attachments: number } = {
  profile: null,
  scanned: false,
  attachments: 0,
  answers: [],
  settings: { lang: 'ja', text_scale: 100, never_touch: [] },
};
// Kept automatic-check results (SYNTHETIC): one PC with a failing firewall (contradicts a はい on
// demo-2), one 未確認 result and one pass. Kept once `start_scan` ran.
const finding = (probe: string, verdict: string, title: string, summary: string, item: string | null, extra: Json = {}) => ({
  host: 'UKETSUKE-PC1', probe_id: probe, network: false, title: txt(title, title), verdict,
  summary: txt(summary, summary), action: txt(verdict === 'pass' ? '' : '設定を確認してください。', 'Check the setting.'),
  reason: null, how_to_check: null, who_can_check: null,
  items: item ? [{ id: item, number: item === 'demo-1' ? '1-①' : '2-①' }] : [],
  checked_at: '2026-11-20T01:30:00Z', ...extra,
});
const scanFindings = [
  finding('firewall.host', 'fail', 'ファイアウォール', 'ファイアウォールが無効です。', 'demo-2'),
  finding('disk.encryption', 'unknown', 'ディスクの暗号化', '暗号化の状態を読み取れませんでした。', 'demo-2', {
    reason: txt('管理者権限が必要なため確認できませんでした', 'Needs administrator rights'),
    how_to_check: txt('Tenken を「管理者として実行」してから、もう一度自動チェックをしてください。', 'Run as administrator and check again.'),
    who_can_check: 'staff',
  }),
  finding('os.patches', 'pass', 'OSの更新', '12日前に更新されています。', 'demo-1'),
];
const scanResults = () => state.scanned ? {
  hosts: [{ host: 'UKETSUKE-PC1', os: 'Windows 11 Pro 10.0', checked_at: '2026-11-20T01:30:00Z', counts: { pass: 1, warn: 0, fail: 1, unknown: 1, na: 0 }, network: false, replayed: false }],
  groups: [
    { group: 'action_needed', findings: [scanFindings[0]] },
    { group: 'unverified', findings: [scanFindings[1]] },
    { group: 'ok', findings: [scanFindings[2]] },
  ],
} : { hosts: [], groups: [] };
const itemEvidence = () => {
  const rows: Json[] = [];
  for (const it of checklist.items) {
    for (const scope of it.scopes) {
      const fs = state.scanned ? scanFindings.filter((f) => f.items.some((i) => i.id === it.id)) : [];
      const ans = state.answers.find((a) => a.item_id === it.id && a.scope === scope);
      const contra = fs.filter((f) => ans?.value === 'yes' && f.verdict === 'fail').map((f) => ({
        host: f.host, probe_id: f.probe_id, kind: 'yes_but_fail',
        message: txt(`回答は「はい」ですが、自動確認の結果は「不適合」です（${f.host}: ${f.summary.ja}）`, 'Answered Yes, but the automatic check failed'),
      }));
      const status = fs.length === 0 ? 'none' : contra.length ? 'contradicted' : fs.every((f) => f.verdict === 'unknown') ? 'unverified' : 'supported';
      rows.push({ item_id: it.id, scope, status, findings: fs, contradictions: contra });
    }
  }
  return rows;
};
// History and vendor sheets (SYNTHETIC placeholder wording, not MHLW text).
const years = [[2024, 20, 12, 3, 5], [2025, 28, 8, 3, 1], [2026, 33, 4, 3, 0]].map(([fy, yes, no, na, un]) => ({
  fiscal_year: fy, checklist_id: fy < 2026 ? 'synthetic-old' : 'synthetic-demo',
  checklist_title: fy < 2026 ? txt('（仮）旧版チェックリスト', '(Placeholder) old checklist') : checklist.summary.title,
  rows: yes! + no! + na! + un!, yes, no, not_applicable: na, unanswered: un,
}));
const cmpRow = (id: string, number: string, ja: string, en: string, scope: string, before: string | null, after: string, change: string, olds: string[] = [], target: [string, string] | null = null) => ({
  item_id: id, number, text: txt(ja, en), earlier_numbers: olds, scope, before, after, change,
  target_date: target?.[0] ?? null, target_state: target?.[1] ?? null,
});
function comparison(earlier: number, later: number) {
  const side = (fy: number) => { const y = years.find((x) => x.fiscal_year === fy)!; return { fiscal_year: fy, checklist_id: y.checklist_id, checklist_title: y.checklist_title }; };
  const same = side(earlier).checklist_id === side(later).checklist_id;
  const rows = [
      cmpRow('demo-1', '1-①', '（仮）責任者を決めていますか。', '(Placeholder) Is a person in charge named?', 'general', 'no', 'yes', 'improved', [], ['2025-03-31', 'met']),
      cmpRow('demo-2', '2-①', '（仮）パスワードを使い回していませんか。', '(Placeholder) Are passwords unique?', 'server', 'yes', 'no', 'regressed', ['2-⑥']),
      cmpRow('demo-2', '2-①', '（仮）パスワードを使い回していませんか。', '(Placeholder) Are passwords unique?', 'terminal', 'no', 'no', 'unchanged', ['2-⑥'], ['2025-09-30', 'overdue']),
      cmpRow('demo-3', '2-②', '（仮）USBメモリの使い方を決めていますか。', '(Placeholder) Are USB sticks controlled?', 'general', null, 'yes', 'new'),
      cmpRow('demo-4', '3-①', '（仮）バックアップを別の場所に保管していますか。', '(Placeholder) Is a backup kept elsewhere?', 'general', 'yes', 'yes', 'unchanged', ['3-②']),
      cmpRow('demo-5', '3-②', '（仮）連絡先の一覧がありますか。', '(Placeholder) Is there a contact list?', 'general', 'unanswered', 'not_applicable', 'changed'),
  ].filter((r) => !same || r.change !== 'new').map((r) => (same ? { ...r, earlier_numbers: [] } : r));
  return {
    from: side(earlier), to: side(later), same_checklist: same, rows,
    findings: [{ host: 'UKETSUKE-PC', probe_id: 'firewall.host', title: txt('ファイアウォール', 'Firewall'), before: 'pass', after: 'fail' }],
  };
}
const vendorItems = [
  { ...checklist.items[0], id: 'vendor-demo-1', number: '1-①', text: txt('（仮）医療機関と保守の範囲を取り決めていますか。', '(Placeholder) Is the maintenance scope agreed?'), scopes: ['general'] },
  { ...checklist.items[1], id: 'vendor-demo-2', number: '2-①', text: txt('（仮）保守用の接続は必要なときだけ使っていますか。', '(Placeholder) Is remote access used only when needed?'), scopes: ['general'] },
];
// The network device ledger: the router found by the network check (a FortiGate: flagged), a NAS
// answering SNMP "public" and a vendor's LTE router (another way out).
// Roles set on the devices screen; a test may set window.__manyDevices to list that many PCs
// (a hospital-sized ledger).
const roles: Record<string, string> = { 'UKETSUKE-PC1': '受付PC' };
function deviceRows(): Json[] {
  if (!state.scanned) return [];
  const many = (window as unknown as { __manyDevices?: number }).__manyDevices;
  const pcs: Json[] = many
    ? Array.from({ length: many }, (_, i) => {
        const n = String(i + 1).padStart(4, '0');
        const ward = ['外来', '病棟', '事務', '検査'][i % 4];
        return { host: `PC-${ward}-${n}`, source: 'scanned', os: 'Windows 11 Pro (22631.4460)', ips: [`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`],
          role: roles[`PC-${ward}-${n}`] ?? `${ward}PC`, last_update: '2026-11-08', antivirus: 'pass', firewall: i % 7 === 0 ? 'fail' : 'pass',
          risky_ports: i % 11 === 0 ? ['3389/tcp RDP'] : [], last_seen: i % 13 === 0 ? '2026-08-01T01:30:00Z' : '2026-11-20T01:30:00Z',
          signature: 'verified', signer: 'さくら総合病院', fails: (i % 7 === 0 ? 1 : 0) + (i % 11 === 0 ? 1 : 0), unknowns: i % 5 === 0 ? 2 : 0 };
      })
    : [
        { host: 'UKETSUKE-PC1', source: 'scanned', os: 'Windows 11 Pro (22631.4460)', ips: ['192.0.2.21'], last_update: '2026-11-08', antivirus: 'pass', firewall: 'fail', risky_ports: ['3389/tcp RDP'], last_seen: '2026-11-20T01:30:00Z', signature: 'verified', signer: 'さくら内科クリニック', fails: 2, unknowns: 1 },
        { host: 'SHINSATSU-PC2', source: 'scanned', os: 'Windows 11 Pro (22631.4317)', ips: ['192.0.2.22'], last_update: null, antivirus: null, firewall: 'pass', risky_ports: [], last_seen: '2026-11-19T05:10:00Z', signature: 'verified', signer: 'さくら内科クリニック', fails: 0, unknowns: 2 },
      ];
  const withRoles = many ? pcs : pcs.map((r) => ({ ...r, role: roles[r.host as string] || null }));
  return withRoles.concat([{ host: 'ルーター', source: 'manual', os: 'RTX1300 Rev.23', ips: [], role: 'router', last_update: null, antivirus: null, firewall: null, risky_ports: null, last_seen: null, signature: 'manual', signer: null, fails: 0, unknowns: 0 }]);
}
function fleetOverview(): Json {
  const pcs = deviceRows().filter((r) => r.source === 'scanned');
  const byRole = new Map<string, Json>();
  for (const r of pcs) {
    const role = (r.role as string | null) ?? '';
    const e = byRole.get(role) ?? { role, hosts: 0, with_fail: 0, with_unknown: 0, stale: 0 };
    (e.hosts as number)++;
    if ((r.fails as number) > 0) (e.with_fail as number)++;
    if ((r.unknowns as number) > 0) (e.with_unknown as number)++;
    if (String(r.last_seen).startsWith('2026-08')) (e.stale as number)++;
    byRole.set(role, e);
  }
  const fw = pcs.filter((r) => r.firewall === 'fail').map((r) => r.host as string);
  return {
    pcs: pcs.length, stale_days: 30,
    roles: [...byRole.values()].sort((a, b) => (a.role === '' ? 1 : 0) - (b.role === '' ? 1 : 0) || (b.hosts as number) - (a.hosts as number)),
    stale: pcs.filter((r) => String(r.last_seen).startsWith('2026-08')).map((r) => ({ host: r.host, last_seen: r.last_seen })),
    top: fw.length ? [{ title: txt('パソコンのファイアウォール', 'Host firewall'), verdict: 'fail', hosts: fw.length, examples: fw.slice(0, 5) }] : [],
    suggested_roles: ['電子カルテサーバ', 'レセコン', '受付PC', '診察室PC', '画像サーバ', 'オンライン資格確認端末'],
  };
}

let netDevices: Json[] = [
  { name: '192.0.2.1', kind: '', ip: '192.0.2.1', manufacturer: 'Fortinet', model: 'FortiGate-60E', firmware: 'v6.0.4', firmware_updated: '',
    announced: ['Fortinet', 'FortiGate-60E'], location: '', purpose: '', managed_by: '', partner: '', partner_ip: '', method: '', ports: '',
    maintenance: '', source: 'found', checked_at: '2026-11-20T01:40:00Z', kev_state: 'flagged',
    kev: [{ vendor: 'Fortinet', product: 'FortiOS', cves: ['CVE-2024-21762', 'CVE-2022-42475', 'CVE-2018-13379'], ransomware: true }],
    kev_date: '2025-08-25', snmp_public: false, shadow: false, gateway: true },
  { name: '192.0.2.27', kind: '', ip: '192.0.2.27', manufacturer: '', model: '', firmware: '', firmware_updated: '',
    announced: ['Linux nas-01 4.4.302+ #72806 SMP x86_64'], location: '', purpose: '', managed_by: '', partner: '', partner_ip: '', method: '',
    ports: '', maintenance: '', source: 'found', checked_at: '2026-11-20T01:40:00Z', kev_state: 'stale', kev: [], kev_date: '2025-08-25',
    snmp_public: true, shadow: false, gateway: false },
  { name: '192.0.2.28', kind: '', ip: '192.0.2.28', manufacturer: 'NEC Platforms', model: 'Aterm MR05LN', firmware: '1.0.4', firmware_updated: '',
    announced: ['NEC Platforms', 'Aterm MR05LN'], location: '', purpose: '', managed_by: '', partner: '', partner_ip: '', method: '', ports: '',
    maintenance: '', source: 'found', checked_at: '2026-11-20T01:40:00Z', kev_state: 'stale', kev: [], kev_date: '2025-08-25',
    snmp_public: false, shadow: true, gateway: false },
];
const sheets: Record<string, { progress: string; source: string; updated_on: string | null; signer: string | null; answers: Json[] }> = {};
function vendorState(v: Json) {
  const name = v.name as string;
  const s = sheets[name];
  const answered = s ? s.answers.filter((a) => a.value !== 'unanswered').length : 0;
  const no = s ? s.answers.filter((a) => a.value === 'no').length : 0;
  let progress = s?.progress ?? 'not_requested';
  if (s && answered > 0) progress = answered < vendorItems.length || no > 0 ? 'needs_review' : 'answered';
  return {
    name, contact: v.contact ?? '', systems: (v.systems as string[] | undefined) ?? [], in_profile: true,
    progress, source: s?.source ?? 'none', updated_on: s?.updated_on ?? null, signer: s?.signer ?? null,
    rows: vendorItems.length, answered, no, request_file_name: `回答依頼_${name}_2026年度.json`,
  };
}
// The review before signing, worked out from the mock's state like the engine does (SYNTHETIC).
function readiness() {
  const entries: Json[] = [];
  const e = (kind: string, target: string, ja: string, en: string, item: string | null = null, subject: string | null = null) =>
    entries.push({ kind, item_id: item, item_number: item ? checklist.items.find((i) => i.id === item)?.number ?? null : null, subject, target, message: txt(ja, en) });
  if (!state.profile?.assessor) e('assessor_missing', 'profile', '点検者（点検をした人）の名前が入っていません', 'The assessor is not set');
  for (const it of checklist.items) {
    const open = it.scopes.some((sc) => !state.answers.some((a) => a.item_id === it.id && a.scope === sc && a.value !== 'unanswered'));
    if (open) e('unanswered', 'checklist', `${it.number}「${it.text.ja}」にまだ回答がありません`, `${it.number} has no answer yet`, it.id);
  }
  for (const row of itemEvidence()) {
    if (row.status === 'contradicted' && !entries.some((x) => x.kind === 'contradicted' && x.item_id === row.item_id)) {
      e('contradicted', 'checklist', `${row.item_id} の回答と自動チェックの結果が食い違っています`, `${row.item_id}: the answer and the automatic check disagree`, row.item_id as string);
    }
  }
  if (!state.scanned) e('no_automatic_check', 'scan', '自動チェックをまだしていません', 'No automatic check has been run');
  for (const [vendor, s] of Object.entries(sheets)) {
    if (s.progress === 'requested' && s.answers.length === 0) e('vendor_sheet_pending', 'vendor', `${vendor} に依頼した事業者確認用シートがまだ戻っていません`, `The vendor sheet requested from ${vendor} has not come back`, null, vendor);
  }
  const n = (k: string) => entries.filter((x) => x.kind === k).length;
  const parts: [string, string][] = [];
  if (n('unanswered')) parts.push([`未回答 ${n('unanswered')} 項目`, `${n('unanswered')} unanswered item(s)`]);
  if (n('contradicted')) parts.push([`回答と矛盾 ${n('contradicted')} 項目`, `${n('contradicted')} item(s) contradicting the evidence`]);
  if (n('vendor_sheet_pending')) parts.push([`事業者確認の未回収 ${n('vendor_sheet_pending')} 社`, `${n('vendor_sheet_pending')} vendor sheet(s) not returned`]);
  if (n('no_automatic_check')) parts.push(['自動チェック未実施', 'no automatic check']);
  if (n('assessor_missing')) parts.push(['点検者の未設定', 'assessor not set']);
  const summary = parts.length ? txt(parts.map((p) => p[0]).join('、'), parts.map((p) => p[1]).join(', ')) : null;
  return {
    assessment_id: 1, checked_at: new Date().toISOString(), entries, summary,
    signing_note: summary
      ? txt(`署名時点で${summary.ja}がありました。`, `When this report was signed, these were still open: ${summary.en}.`)
      : txt('署名時点で、残っている確認事項はありませんでした。', 'When this report was signed, nothing was left open.'),
  };
}

const FP = '3F:A2:19:7C:0B:55:E1:90:4D:2A:C8:6E:11:F3:77:B0:9A:42:5D:E8:03:6C:B1:2F:98:44:D7:0E:A5:61:3B:C9';

// A test may set sessionStorage 'mockVersion' to 'imported' (this year's workbooks imported,
// the assessment still on the earlier list); moving sets it to 'moved'.
const R8 = 'imported-mhlw-r8';
function summaryNow(): Json {
  const v = sessionStorage.getItem('mockVersion');
  if (v === 'notice') {
    return { ...checklist.summary, newer_version: null, version_notice: txt(
      '2026年度（令和8年度）の公式チェックリストはまだ取り込まれていないため、令和7年度版で点検しています。厚生労働省のサイトから令和8年度版のチェックリスト（Excel）を入手し、下の「今年度のチェックリストを取り込む」で取り込んでください。',
      'This FY2026 assessment uses the FY2025 checklist because the official FY2026 checklist has not been imported.') };
  }
  if (v === 'imported') {
    return { ...checklist.summary, newer_version: R8, version_notice: txt(
      '令和8年度版のチェックリストは取り込み済みですが、この点検はまだ令和7年度版のままです。下の「この点検を新しい版に移す」で、回答を引き継いで移してください。',
      `The FY2026 checklist (${R8}) has been imported, but this assessment still uses an earlier one.`) };
  }
  if (v === 'moved') {
    return { ...checklist.summary, id: R8, kind: 'imported', title: txt('医療機関におけるサイバーセキュリティ対策チェックリスト（令和8年度・取り込み）', 'MHLW checklist FY2026 (imported)'), version_notice: null, newer_version: null };
  }
  return { ...checklist.summary, newer_version: null };
}
const movePlan = (moved: boolean) => ({
  from_checklist: 'synthetic-demo', to_checklist: R8, moved, carried: 2, review: 1,
  anew: [{ item_id: '2-4', number: '2-④', scope: 'terminal', text: txt('端末PCとサーバに二要素認証を導入していますか（令和9年度までに）。', 'Two-factor authentication (by FY2027)?'), reason: txt('今年度の新しい項目です', 'new item in this version') }],
});

const notReady = (ja: string, en: string) => ({ code: 'not_ready', ja: `${ja}は準備中です`, en: `${en} is not available yet` });

mockIPC(
  (cmd, payload) => {
    const args = (payload ?? {}) as Json;
    switch (cmd) {
      case 'list_checklists': return [summaryNow()];
      case 'get_checklist': {
        // A test may name items no probe tests (sessionStorage 'mockNotAutomatic', comma-separated).
        const off = (sessionStorage.getItem('mockNotAutomatic') ?? '').split(',');
        return { ...checklist, summary: summaryNow(), items: checklist.items.map((i) => ({ ...i, automatic: !off.includes(i.id) })) };
      }
      case 'preview_checklist_import':
      case 'import_checklist': {
        const saved = cmd === 'import_checklist';
        if (saved) sessionStorage.setItem('mockVersion', 'imported');
        return {
          checklist_id: R8, title: '令和8年度 医療機関・薬局におけるサイバーセキュリティ対策チェックリスト', fiscal_year: 2026,
          previous: 'mhlw-r7', adds_to: null, needs_confirmation: true, saved,
          files: [
            { name: '001716187.xlsx', sha256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', worksheet: '医療機関・薬局確認用', sheet: 'clinic', items: 9 },
            { name: '001716188.xlsx', sha256: 'b1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', worksheet: '事業者確認用', sheet: 'vendor', items: 2 },
          ],
          items: [
            { id: '1-1', number: '1-①', text: '医療情報システム安全管理責任者を設置している。', previous_ids: ['1-1'], previous_text: null, unsure: false, new_item: false },
            { id: '2-4', number: '2-④', text: '二要素認証を実装している、または令和9年度までに実装する予定である。', previous_ids: [], previous_text: null, unsure: false, new_item: true },
            { id: '2-5', number: '2-⑤', text: 'パスワードは英数字、記号が混在した8文字以上とし、使い回しを禁止している。', previous_ids: ['2-8'], previous_text: 'パスワードは英数字、記号が混在した8文字以上とし、定期的に変更している。', unsure: true, new_item: false },
          ],
          notices: [
            { confirm: true, at: '医療機関・薬局確認用!C12', message: txt('2-⑤ は令和7年度版の 2-⑧ と文言が一部違います。同じ項目として引き継いでよいか確かめてください。', '2-5 may continue R7 2-8.') },
            { confirm: false, at: '医療機関・薬局確認用!B20', message: txt('注記の行は読み飛ばしました。', 'A note row was skipped.') },
          ],
        };
      }
      case 'preview_move_version': return movePlan(false);
      case 'move_to_version': sessionStorage.setItem('mockVersion', 'moved'); return movePlan(true);
      case 'get_profile': return state.profile;
      case 'save_profile': state.profile = args.profile as Json; return null;
      case 'get_answers': return state.answers;
      case 'save_answer': {
        const a = { ...(args.answer as Json), updated_at: new Date().toISOString() };
        if (a.value === 'no' && !a.target_date) throw { code: 'invalid_input', ja: '「いいえ」の場合は目標日を入れてください', en: 'A No answer needs a target date' };
        state.answers = state.answers.filter((x) => !(x.item_id === a.item_id && x.scope === a.scope));
        state.answers.push(a);
        return a;
      }
      case 'get_settings': return state.settings;
      case 'save_settings': state.settings = args.settings as Json; return null;
      case 'data_location': return { dir: '/home/clinic/.local/share/jp.tenken.app', state_file: '/home/clinic/.local/share/jp.tenken.app/state.json' };
      case 'start_scan': {
        // Progress per probe as the runner reports it, then the kept results.
        const task = args.task as string;
        const ev = (step: string, st: string, done: number, ja: string) =>
          void emit('tenken://progress', { task, step, state: st, done, total: 3, message: txt(ja, ja) });
        ev('firewall.host', 'fail', 1, 'ファイアウォール');
        ev('os.patches', 'pass', 2, 'OSの更新');
        ev('disk.encryption', 'running', 2, 'ディスクの暗号化');
        return new Promise((r) => setTimeout(() => {
          state.scanned = true;
          r(scanFindings.length);
        }, 1500));
      }
      case 'scan_results': return scanResults();
      case 'readiness_review': return readiness();
      case 'item_evidence': return itemEvidence();
      case 'attach_file': {
        const key = (x: Json) => x.item_id === args.itemId && x.scope === args.scope;
        let a = state.answers.find(key);
        if (!a) {
          a = { item_id: args.itemId, scope: args.scope, value: 'unanswered', checked_on: null, target_date: null, note: '', responsible: '', attachments: [], updated_at: new Date().toISOString() };
          state.answers.push(a);
        }
        state.attachments += 1;
        (a.attachments as Json[]).push({ name: '情報セキュリティ規程.pdf', size: 24576, sha256: `9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0${state.attachments}`, added_at: '2026-11-21T00:15:00Z' });
        return a;
      }
      case 'plugin:dialog|open': {
        // Bundles (devices), a report folder or PDF (report screen), or an attachment (checklist).
        const o = (args.options ?? {}) as Json;
        const exts = ((o.filters as Json[] | undefined) ?? []).flatMap((f) => (f.extensions as string[]) ?? []);
        // A test may name the folder the devices screen imports (window.__pickFolder).
        const folder = (window as unknown as { __pickFolder?: string }).__pickFolder;
        if (o.directory && folder) return folder;
        if (o.directory || exts.includes('pdf')) return reportMock(cmd, args);
        if (exts.includes('xlsx')) return ['/home/clinic/ダウンロード/001716187.xlsx', '/home/clinic/ダウンロード/001716188.xlsx'];
        if (exts.includes('json') && !o.multiple) return '/home/clinic/answers.signed.json';
        if (exts.includes('json')) return ['/media/USB/SHINSATSU-PC2.tenken.json', '/media/USB/KARTE-SV.untrusted.tenken.json'];
        return '/home/clinic/書類/情報セキュリティ規程.pdf';
      }
      case 'import_bundle': {
        const f = String(args.path).split('/').pop();
        if (String(args.path).includes('untrusted')) return [{ file: f, status: 'untrusted', host: null, signer: 'USB 山田', message: txt('取り込みませんでした: 署名した人（USB 山田）はまだ信頼されていません。', 'Not imported: untrusted signer.') }];
        if (String(args.path).endsWith('collected')) return [
          { file: 'PC-A.tenken.json', status: 'verified', host: 'PC-A', signer: 'さくら病院 端末', message: txt('PC-A の結果を取り込みました（署名: さくら病院 端末、確認済み）', 'Imported.') },
          { file: 'PC-A-old.tenken.json', status: 'older', host: 'PC-A', signer: null, message: txt('PC-A のより新しい結果があるため、この古い結果は取り込みませんでした', 'Older.') },
          { file: 'PC-C.tenken.json', status: 'invalid', host: null, signer: null, message: txt('取り込みませんでした: 署名の後に内容が書き換えられています（改ざんの可能性）。', 'Tampered.') },
        ];
        return [{ file: f, status: 'verified', host: 'SHINSATSU-PC2', signer: 'さくら内科クリニック', message: txt('SHINSATSU-PC2 の結果を取り込みました（署名: さくら内科クリニック、確認済み）', 'Imported.') }];
      }
      case 'network_plan': return {
        consent_id: 'c0ffee00c0ffee00c0ffee00c0ffee00',
        targets: ['gateway'],
        entries: [
          { address: '192.0.2.1', what: txt('ルーター（このパソコンのインターネットへの出入口）: 応答するか、管理画面や遠隔操作の窓口（ポート 80・443・8080・8443・23・22）が開いているかを確かめます。', 'Router: whether it answers and whether admin or remote ports are open.'), skipped: false },
          { address: '239.255.255.250:1900', what: txt('院内LANへの一斉問い合わせ（UPnP）: ルーターが外から設定を変えられる状態になっていないかを確かめます。', 'A question to the clinic LAN (UPnP).'), skipped: false },
        ],
        never_touch: 1,
      };
      case 'list_devices': return deviceRows();
      case 'fleet_overview': return fleetOverview();
      case 'set_host_role': {
        const role = String(args.role).trim();
        if (role.length > 40) throw { code: 'invalid_input', ja: '役割は改行を含まない40文字以内で入力してください', en: 'a role is at most 40 characters on one line' };
        roles[args.host as string] = role;
        return deviceRows();
      }
      case 'list_network_devices': return netDevices;
      case 'kev_status': return { version: '2025.08.25', date: '2025-08-25', count: 1404, stale: true, origin: 'builtin' };
      case 'save_device': {
        const d = args.device as Json;
        if (typeof d.ip === 'string' && d.ip !== '' && !/^\d+\.\d+\.\d+\.\d+$/.test(d.ip)) {
          throw { code: 'invalid_input', ja: `IPアドレスは 192.168.1.1 のように入力してください: ${d.ip}`, en: `not an IPv4 address: ${d.ip}` };
        }
        const flagged = /forti/i.test(`${d.manufacturer} ${d.model}`);
        netDevices = netDevices.filter((x) => x.name !== d.name).concat([{ ...d, announced: [], source: 'manual', checked_at: null,
          kev_state: flagged ? 'flagged' : (d.manufacturer || d.model) ? 'stale' : 'unidentified',
          kev: flagged ? [{ vendor: 'Fortinet', product: 'FortiOS', cves: ['CVE-2024-21762', 'CVE-2018-13379'], ransomware: true }] : [],
          kev_date: '2025-08-25', snmp_public: false, shadow: false, gateway: false }]);
        return netDevices;
      }
      case 'remove_device': netDevices = netDevices.filter((x) => x.name !== args.name); return netDevices;
      // A test may set window.__historyYears to show fewer stored years (e.g. only this year).
      case 'history': {
        const n = (window as unknown as { __historyYears?: number }).__historyYears ?? years.length;
        return { this_year: 2026, years: years.slice(years.length - n) };
      }
      case 'compare_years': return comparison(args.earlier as number, args.later as number);
      case 'vendor_overview': return { fiscal_year: 2026, vendors: ((state.profile?.vendors ?? []) as Json[]).map(vendorState) };
      case 'plugin:dialog|save': return '/home/clinic/回答依頼.json';
      case 'export_vendor_request': {
        sheets[args.vendor as string] ??= { progress: 'requested', source: 'none', updated_on: '2026-06-01', signer: null, answers: [] };
        return { path: args.path, items: vendorItems.length };
      }
      case 'import_vendor_answers': return { outcome: 'untrusted', vendor: 'ABCメディカル', fiscal_year: 2026, answers: 2, signer: 'ABC Medical KK', fingerprint: FP };
      case 'trust_vendor_and_import': {
        if (args.fingerprint !== FP) throw { code: 'invalid_input', ja: '証明書の指紋が表示したものと違います', en: 'Fingerprint differs' };
        sheets['ABCメディカル'] = { progress: 'answered', source: 'signed_verified', updated_on: '2026-06-03', signer: 'ABC Medical KK',
          answers: vendorItems.map((i) => ({ item_id: i.id, scope: 'general', value: 'yes' })) };
        return { outcome: 'imported', vendor: 'ABCメディカル', fiscal_year: 2026, answers: 2, signer: 'ABC Medical KK', fingerprint: FP };
      }
      case 'get_vendor_sheet': return { vendor: args.vendor, fiscal_year: 2026, checklist_id: 'synthetic-demo', items: vendorItems, answers: sheets[args.vendor as string]?.answers ?? [] };
      case 'save_vendor_answer': {
        const a = { ...(args.answer as Json), updated_at: new Date().toISOString() };
        if (a.value === 'no' && !a.target_date) throw { code: 'invalid_input', ja: '「いいえ」の場合は目標日を入れてください', en: 'A No answer needs a target date' };
        const s = (sheets[args.vendor as string] ??= { progress: 'answered', source: 'by_hand', updated_on: '2026-06-05', signer: null, answers: [] });
        s.source = 'by_hand';
        s.signer = null;
        s.answers = [...s.answers.filter((x) => !(x.item_id === a.item_id && x.scope === a.scope)), a];
        return a;
      }
      default: {
        const r = reportMock(cmd, args);
        if (r !== undefined) return r;
        throw notReady(cmd, cmd);
      }
    }
  },
  { shouldMockEvents: true },
);
