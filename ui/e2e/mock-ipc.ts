// Bundled into the page by the screen tests (before the app loads): answers the app's commands
// from memory with @tauri-apps/api/mocks, so screens can be tested in Chromium without Rust.
// The checklist below is a SYNTHETIC fixture for UI tests, not MHLW wording.
import { mockIPC } from '@tauri-apps/api/mocks';

type Json = Record<string, unknown>;
const txt = (ja: string, en: string) => ({ ja, en });
const checklist = {
  summary: {
    id: 'synthetic-demo', title: txt('（仮）動作確認用チェックリスト', '(Placeholder) demo checklist'),
    fiscal_year: 2026, kind: 'recommended', item_count: 2, source: 'Tenken「SYNTHETIC」2026',
  },
  items: [
    {
      id: 'demo-1', number: '1-①', section: txt('体制構築', 'Organisation'),
      text: txt('（仮）責任者を決めていますか。', '(Placeholder) Is a person in charge named?'),
      scopes: ['general'], deadline: null,
      why: txt('困ったときに誰に聞くかが決まります。', 'Everyone knows whom to ask.'),
      done_when: txt('名前を書いた紙があります。', 'A named person is written down.'),
      who: txt('院長', 'Clinic director'), reconstructed: true,
    },
    {
      id: 'demo-2', number: '2-①', section: txt('医療情報システムの管理・運用', 'Managing the systems'),
      text: txt('（仮）パスワードを使い回していませんか。', '(Placeholder) Are passwords unique?'),
      scopes: ['server', 'terminal'], deadline: null,
      why: txt('一つ漏れると全部に入られます。', 'One leak opens everything.'),
      done_when: txt('機器ごとに違うパスワードです。', 'Each device has its own password.'),
      who: txt('事業者', 'Vendor'), reconstructed: true,
    },
  ],
};

const state: { profile: Json | null; answers: Json[]; settings: Json } = {
  profile: null,
  answers: [],
  settings: { lang: 'ja', text_scale: 100, never_touch: [] },
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
const sheets: Record<string, { progress: string; source: string; updated_on: string | null; signer: string | null; answers: Json[] }> = {};
function vendorState(v: Json) {
  const name = v.name as string;
  const s = sheets[name];
  const answered = s ? s.answers.filter((a) => a.value !== 'unanswered').length : 0;
  const no = s ? s.answers.filter((a) => a.value === 'no').length : 0;
  let progress = s?.progress ?? 'not_requested';
  if (s && answered > 0) progress = answered < vendorItems.length || no > 0 ? 'needs_review' : 'answered';
  return {
    name, contact: v.contact ?? '', systems: name.includes('メディカル') ? ['電子カルテ', 'レセコン'] : [], in_profile: true,
    progress, source: s?.source ?? 'none', updated_on: s?.updated_on ?? null, signer: s?.signer ?? null,
    rows: vendorItems.length, answered, no, request_file_name: `回答依頼_${name}_2026年度.json`,
  };
}
const FP = '3F:A2:19:7C:0B:55:E1:90:4D:2A:C8:6E:11:F3:77:B0:9A:42:5D:E8:03:6C:B1:2F:98:44:D7:0E:A5:61:3B:C9';

const notReady = (ja: string, en: string) => ({ code: 'not_ready', ja: `${ja}は準備中です`, en: `${en} is not available yet` });

mockIPC(
  (cmd, payload) => {
    const args = (payload ?? {}) as Json;
    switch (cmd) {
      case 'list_checklists': return [checklist.summary];
      case 'get_checklist': return checklist;
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
      // A test may set window.__historyYears to show fewer stored years (e.g. only this year).
      case 'history': {
        const n = (window as unknown as { __historyYears?: number }).__historyYears ?? years.length;
        return { this_year: 2026, years: years.slice(years.length - n) };
      }
      case 'compare_years': return comparison(args.earlier as number, args.later as number);
      case 'vendor_overview': return { fiscal_year: 2026, vendors: ((state.profile?.vendors ?? []) as Json[]).map(vendorState) };
      case 'plugin:dialog|save': return '/home/clinic/回答依頼.json';
      case 'plugin:dialog|open': return '/home/clinic/answers.signed.json';
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
      case 'start_scan': throw notReady('自動チェック', 'The automatic check');
      case 'network_plan': return ['192.0.2.1 (TEST-NET, example)'];
      case 'certificate_info': throw notReady('証明書', 'Certificate');
      case 'list_devices': return [];
      default: throw notReady(cmd, cmd);
    }
  },
  { shouldMockEvents: true },
);
