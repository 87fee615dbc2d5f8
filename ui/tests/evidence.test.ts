import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  blankAnswer, contradictions, debounce, formatSize, formatTime, networkFindings, nextAction, overview, rowStatus, rowWorstVerdict,
  sectionCounts, stackPercent, uniqueFindings,
} from '../src/lib/logic';
import type { FindingDto } from '../src/lib/bindings/FindingDto';
import type { ItemEvidenceDto } from '../src/lib/bindings/ItemEvidenceDto';
import type { ItemView } from '../src/lib/bindings/ItemView';
import type { ProfileDto } from '../src/lib/bindings/ProfileDto';

const txt = (s: string) => ({ ja: s, en: s });
function item(id: string, section: string, scopes: ItemView['scopes']): ItemView {
  return {
    id, number: id, section: txt(section), text: txt(id), scopes, deadline: null,
    why: txt(''), done_when: txt(''), who: txt(''), reconstructed: false, provenance: { tag: 'checked', sources: [], note: null }, automatic: true,
  };
}
function finding(host: string, probe: string, verdict: string, network = false): FindingDto {
  return {
    host, probe_id: probe, network, title: txt(probe), verdict, summary: txt(''), action: txt(''),
    reason: null, how_to_check: null, who_can_check: null, items: [], checked_at: '2026-11-20T01:30:00Z',
  };
}
const profile: ProfileDto = {
  name: 'さくら内科', address: '', administrator: '山田', security_officer: '佐藤', systems: [], vendors: [], assessor: '',
};

describe('evidence beside items', () => {
  const ev: ItemEvidenceDto[] = [
    { item_id: '2-4', scope: 'server', status: 'contradicted', findings: [finding('SV', 'os.patches', 'warn'), finding('SV', 'av', 'pass')],
      contradictions: [{ host: 'SV', probe_id: 'os.patches', kind: 'yes_but_warn', message: txt('はい but 200 days') }] },
    { item_id: '2-4', scope: 'general', status: 'supported', findings: [finding('SV', 'os.patches', 'warn'), finding('PC1', 'fw', 'fail')], contradictions: [] },
    { item_id: '1-1', scope: 'general', status: 'none', findings: [], contradictions: [] },
  ];

  it('status per row; a row the engine did not send is "none"', () => {
    expect(rowStatus(ev, '2-4', 'server')).toBe('contradicted');
    expect(rowStatus(ev, '2-4', 'terminal')).toBe('none');
  });

  it('lists contradictions with their item and row', () => {
    const c = contradictions(ev);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ itemId: '2-4', scope: 'server' });
  });

  it('shows each host+probe once, most serious first', () => {
    const f = uniqueFindings(ev.filter((e) => e.item_id === '2-4'));
    expect(f.map((x) => `${x.host}/${x.probe_id}/${x.verdict}`)).toEqual(['PC1/fw/fail', 'SV/os.patches/warn', 'SV/av/pass']);
  });
});

describe('next thing to do', () => {
  const items = [item('1', 'A', ['general']), item('2', 'B', ['server', 'terminal'])];
  const day = '2026-11-23';
  const none = overview(items, [], day);
  const all = overview(items, [
    { ...blankAnswer('1', 'general', day), value: 'yes' },
    { ...blankAnswer('2', 'server', day), value: 'yes' },
    { ...blankAnswer('2', 'terminal', day), value: 'not_applicable' },
  ], day);
  const contra: ItemEvidenceDto[] = [{ item_id: '2', scope: 'server', status: 'contradicted', findings: [], contradictions: [{ host: 'h', probe_id: 'p', kind: 'yes_but_fail', message: txt('x') }] }];

  it('profile first, then contradictions, then answering, then the check, then the report', () => {
    expect(nextAction({ ...profile, security_officer: ' ' }, none, [], 0)).toEqual({ kind: 'profile' });
    expect(nextAction(null, none, [], 0)).toEqual({ kind: 'profile' });
    expect(nextAction(profile, none, contra, 1)).toEqual({ kind: 'contradiction', itemId: '2' });
    expect(nextAction(profile, none, [], 0)).toEqual({ kind: 'answer', itemId: '1' });
    expect(nextAction(profile, all, [], 0)).toEqual({ kind: 'scan' });
    expect(nextAction(profile, all, [], 2)).toEqual({ kind: 'report' });
  });
});

describe('answers by section chart', () => {
  it('counts rows per section in checklist order and stacks to 100%', () => {
    const items = [item('1', 'A', ['general']), item('2', 'B', ['server', 'terminal']), item('3', 'A', ['general'])];
    const day = '2026-11-23';
    const s = sectionCounts(items, [
      { ...blankAnswer('1', 'general', day), value: 'yes' },
      { ...blankAnswer('2', 'server', day), value: 'no', target_date: '2027-03-31' },
    ], (i) => i.section.ja);
    expect(s).toEqual([
      { section: 'A', yes: 1, no: 0, notApplicable: 0, unanswered: 1 },
      { section: 'B', yes: 0, no: 1, notApplicable: 0, unanswered: 1 },
    ]);
    const bars = stackPercent(s[0]!);
    expect(bars.map((b) => [b.kind, b.x, b.width])).toEqual([['yes', 0, 50], ['unanswered', 50, 50]]);
    expect(stackPercent({ section: 'x', yes: 0, no: 0, notApplicable: 0, unanswered: 0 })).toEqual([]);
  });
});

describe('formatting and autosave timing', () => {
  afterEach(() => vi.useRealTimers());

  it('sizes and times in plain units', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(24576)).toBe('24.0 KB');
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(formatTime(null)).toBe('');
    expect(formatTime('not a time')).toBe('');
    // One style everywhere in the app, as on the report screen (local time).
    expect(formatTime(new Date(2026, 10, 20, 9, 5).toISOString())).toBe('2026年11月20日 9:05');
    expect(formatTime(new Date(2026, 10, 20, 9, 5).toISOString(), 'en')).toBe('20 Nov 2026, 9:05');
  });

  it('typing saves once after the pause; flush saves at once; cancel drops it', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = debounce(fn, 700);
    d.run();
    vi.advanceTimersByTime(500);
    d.run();
    vi.advanceTimersByTime(500);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(fn).toHaveBeenCalledTimes(1);
    d.run();
    expect(d.pending).toBe(true);
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    d.run();
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

describe('network results', () => {
  it('lists only results the engine marks as network checks, whatever their id', () => {
    // net.gateway / net.peers read this PC's route table and connections: local, not network checks.
    const groups = [
      { findings: [finding('PC1', 'net.gateway', 'pass'), finding('PC1', 'net.upnp', 'fail', true)] },
      { findings: [finding('PC1', 'net.peers', 'pass'), finding('LAN', 'lan.ports', 'warn', true)] },
    ];
    expect(networkFindings(groups).map((f) => f.probe_id)).toEqual(['net.upnp', 'lan.ports']);
  });
});

describe('badge colour', () => {
  it('takes the most serious verdict of the row, so 不適合 is never green', () => {
    const rows: ItemEvidenceDto[] = [{
      item_id: '1', scope: 'server', status: 'supported', contradictions: [],
      findings: [finding('PC1', 'av', 'pass'), finding('SV', 'fw', 'fail'), finding('SV', 'os', 'warn')],
    }];
    expect(rowWorstVerdict(rows, '1', 'server')).toBe('fail');
    expect(rowWorstVerdict(rows, '1', 'terminal')).toBeNull();
    const calmer: ItemEvidenceDto[] = [{ ...rows[0]!, findings: [finding('PC1', 'av', 'pass'), finding('SV', 'os', 'warn')] }];
    expect(rowWorstVerdict(calmer, '1', 'server')).toBe('warn');
  });
});
