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
  host: 'UKETSUKE-PC1', probe_id: probe, title: txt(title, title), verdict,
  summary: txt(summary, summary), action: txt(verdict === 'pass' ? '' : '設定を確認してください。', 'Check the setting.'),
  reason: null, how_to_check: null,
  items: item ? [{ id: item, number: item === 'demo-1' ? '1-①' : '2-①' }] : [],
  checked_at: '2026-11-20T01:30:00Z', ...extra,
});
const scanFindings = [
  finding('firewall.host', 'fail', 'ファイアウォール', 'ファイアウォールが無効です。', 'demo-2'),
  finding('disk.encryption', 'unknown', 'ディスクの暗号化', '暗号化の状態を読み取れませんでした。', 'demo-2', {
    reason: txt('管理者権限が必要なため確認できませんでした', 'Needs administrator rights'),
    how_to_check: txt('Tenken を「管理者として実行」してから、もう一度自動チェックをしてください。', 'Run as administrator and check again.'),
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
      case 'history': return [[2024, 20, 12, 3, 5], [2025, 28, 8, 3, 1], [2026, 33, 4, 3, 0]];
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
        if (o.directory || exts.includes('pdf')) return reportMock(cmd, args);
        if (exts.includes('json')) return ['/media/USB/SHINSATSU-PC2.tenken.json', '/media/USB/KARTE-SV.untrusted.tenken.json'];
        return '/home/clinic/書類/情報セキュリティ規程.pdf';
      }
      case 'import_bundle': {
        const f = String(args.path).split('/').pop();
        if (String(args.path).includes('untrusted')) return { file: f, status: 'untrusted', host: null, signer: 'USB 山田', message: txt('取り込みませんでした: 署名した人（USB 山田）はまだ信頼されていません。', 'Not imported: untrusted signer.') };
        return { file: f, status: 'verified', host: 'SHINSATSU-PC2', signer: 'さくら内科クリニック', message: txt('SHINSATSU-PC2 の結果を取り込みました（署名: さくら内科クリニック、確認済み）', 'Imported.') };
      }
      case 'network_plan': return {
        targets: ['gateway'],
        entries: [
          { address: '192.0.2.1', what: txt('ルーター（このパソコンのインターネットへの出入口）: 応答するか、管理画面や遠隔操作の窓口（ポート 80・443・8080・8443・23・22）が開いているかを確かめます。', 'Router: whether it answers and whether admin or remote ports are open.'), skipped: false },
          { address: '239.255.255.250:1900', what: txt('院内LANへの一斉問い合わせ（UPnP）: ルーターが外から設定を変えられる状態になっていないかを確かめます。', 'A question to the clinic LAN (UPnP).'), skipped: false },
        ],
        never_touch: 1,
      };
      case 'list_devices': return state.scanned ? [
        { host: 'UKETSUKE-PC1', source: 'scanned', os: 'Windows 11 Pro (22631.4460)', ips: ['192.0.2.21'], role: '受付PC', last_update: '2026-11-08', antivirus: 'pass', firewall: 'fail', risky_ports: ['3389/tcp RDP'], last_seen: '2026-11-20T01:30:00Z', signature: 'verified', signer: 'さくら内科クリニック' },
        { host: 'SHINSATSU-PC2', source: 'scanned', os: 'Windows 11 Pro (22631.4317)', ips: ['192.0.2.22'], role: null, last_update: null, antivirus: null, firewall: 'pass', risky_ports: [], last_seen: '2026-11-19T05:10:00Z', signature: 'verified', signer: 'さくら内科クリニック' },
        { host: 'ルーター', source: 'manual', os: 'RTX1300 Rev.23', ips: [], role: 'router', last_update: null, antivirus: null, firewall: null, risky_ports: null, last_seen: null, signature: 'manual', signer: null },
      ] : [];
      default: {
        const r = reportMock(cmd, args);
        if (r !== undefined) return r;
        throw notReady(cmd, cmd);
      }
    }
  },
  { shouldMockEvents: true },
);
