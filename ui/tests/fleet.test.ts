import { describe, expect, it } from 'vitest';
import { ALL, NO_ROLE, daysSince, filterDevices, riskCounts, rolesOf, windowOf } from '../src/lib/fleet';
import type { DeviceRowDto } from '../src/lib/bindings/DeviceRowDto';

const now = new Date('2026-12-04T00:00:00Z');

function row(host: string, over: Partial<DeviceRowDto> = {}): DeviceRowDto {
  return {
    host, source: 'scanned', os: 'Windows 11 Pro', ips: ['192.168.1.10'], role: null, last_update: null,
    antivirus: 'pass', firewall: 'pass', risky_ports: [], last_seen: '2026-12-01T00:00:00Z',
    signature: 'verified', signer: 'さくら病院', fails: 0, unknowns: 0, ...over,
  };
}

const rows = [
  row('UKETSUKE-PC1', { role: '受付PC', fails: 2 }),
  row('UKETSUKE-PC2', { role: '受付PC', unknowns: 1, ips: ['192.168.1.22'] }),
  row('KARTE-SV', { role: '電子カルテサーバ', os: 'Windows Server 2019', last_seen: '2026-09-01T00:00:00Z' }),
  row('NURSE-PC7', { last_seen: null }),
  row('ルーター', { source: 'manual', role: 'router', os: 'RTX1300', ips: [], last_seen: null, signature: 'manual', signer: null }),
];

describe('device filters', () => {
  it('search matches every word in any field, ignoring case and full-width letters', () => {
    const q = (query: string) => filterDevices(rows, { ...ALL, query }, now).map((r) => r.host);
    expect(q('uketsuke')).toEqual(['UKETSUKE-PC1', 'UKETSUKE-PC2']);
    expect(q('ＵＫＥＴＳＵＫＥ　ｐｃ２')).toEqual(['UKETSUKE-PC2']);
    expect(q('192.168.1.22')).toEqual(['UKETSUKE-PC2']);
    expect(q('server 2019')).toEqual(['KARTE-SV']);
    expect(q('受付')).toEqual(['UKETSUKE-PC1', 'UKETSUKE-PC2']);
    expect(q('')).toHaveLength(5);
    expect(q('nothing-like-this')).toEqual([]);
  });
  it('risk: 不適合, 未確認, and PCs not checked for N days (a PC never checked counts; hand entries do not)', () => {
    const r = (risk: typeof ALL.risk, staleDays = 30) => filterDevices(rows, { ...ALL, risk, staleDays }, now).map((x) => x.host);
    expect(r('fail')).toEqual(['UKETSUKE-PC1']);
    expect(r('unknown')).toEqual(['UKETSUKE-PC2']);
    expect(r('stale')).toEqual(['KARTE-SV', 'NURSE-PC7']);
    expect(r('stale', 100)).toEqual(['NURSE-PC7']);
    expect(riskCounts(rows, 30, now)).toEqual({ all: 5, fail: 1, unknown: 1, stale: 2 });
  });
  it('roles: the PCs of one role, or those without one; combined with search', () => {
    expect(rolesOf(rows)).toEqual(['受付PC', '電子カルテサーバ']);
    const r = (role: string, query = '') => filterDevices(rows, { ...ALL, role, query }, now).map((x) => x.host);
    expect(r('受付PC')).toEqual(['UKETSUKE-PC1', 'UKETSUKE-PC2']);
    expect(r(NO_ROLE)).toEqual(['NURSE-PC7']);
    expect(r('受付PC', 'pc2')).toEqual(['UKETSUKE-PC2']);
  });
  it('days since a time', () => {
    expect(daysSince('2026-12-01T00:00:00Z', now)).toBe(3);
    expect(daysSince(null, now)).toBeNull();
    expect(daysSince('not a time', now)).toBeNull();
  });
});

describe('the drawn window of a long list', () => {
  it('a thousand rows draw only what fits plus a margin, and the spacers keep the full height', () => {
    const w = windowOf(0, 600, 60, 1000);
    expect(w.start).toBe(0);
    expect(w.end).toBe(19);
    expect(w.padTop + (w.end - w.start) * 60 + w.padBottom).toBe(60_000);
    const mid = windowOf(30_000, 600, 60, 1000);
    expect(mid.start).toBe(492);
    expect(mid.end).toBe(519);
    expect(mid.padTop).toBe(492 * 60);
    expect(mid.padTop + (mid.end - mid.start) * 60 + mid.padBottom).toBe(60_000);
    const last = windowOf(60_000, 600, 60, 1000);
    expect(last.end).toBe(1000);
    expect(last.padBottom).toBe(0);
  });
  it('short or empty lists are drawn whole', () => {
    expect(windowOf(0, 600, 60, 3)).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
    expect(windowOf(0, 600, 60, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });
});
