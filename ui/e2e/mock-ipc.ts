// Bundled into the page by the screen tests (before the app loads): answers the app's commands
// from memory with @tauri-apps/api/mocks, so screens can be tested in Chromium without Rust.
// The checklist below is a SYNTHETIC fixture for UI tests, not MHLW wording.
import { mockIPC } from '@tauri-apps/api/mocks';
import { reportMock } from './mock-report';

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
      case 'start_scan': throw notReady('自動チェック', 'The automatic check');
      case 'network_plan': return ['192.0.2.1 (TEST-NET, example)'];
      case 'list_devices': return [];
      default: {
        const r = reportMock(cmd, args);
        if (r !== undefined) return r;
        throw notReady(cmd, cmd);
      }
    }
  },
  { shouldMockEvents: true },
);
