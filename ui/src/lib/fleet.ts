// The device list at hospital size: search, risk filters and the window of rows drawn.
// Pure functions (tested with Vitest); the screen only wires them to inputs and scrolling.
import type { DeviceRowDto } from './bindings/DeviceRowDto';

/** Which devices to show by risk. */
export type RiskFilter = 'all' | 'fail' | 'unknown' | 'stale';

/** What the person chose above the list. */
export interface DeviceFilter {
  /** Words typed into the search box (host, role, IP address, OS, signer). */
  query: string;
  risk: RiskFilter;
  /** For `stale`: not checked for more than this many days. */
  staleDays: number;
  /** Only this role; '' = every role, NO_ROLE = PCs without a role. */
  role: string;
}

/** The role filter value for PCs whose role is not set. */
export const NO_ROLE = '\u0000none';

export const ALL: DeviceFilter = { query: '', risk: 'all', staleDays: 30, role: '' };

const DAY_MS = 86_400_000;

/** Whole days since `rfc3339` at `now` (null when the time cannot be read). */
export function daysSince(rfc3339: string | null, now: Date): number | null {
  if (!rfc3339) return null;
  const t = new Date(rfc3339).getTime();
  if (Number.isNaN(t)) return null;
  return Math.floor((now.getTime() - t) / DAY_MS);
}

/** Folds width and case so 'ｕｋｅ' finds 'UKETSUKE' and 'pc1' finds 'PC1'. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/** Whether `row` is a PC Tenken checked (not a device entered by hand). */
export function isScanned(row: DeviceRowDto): boolean {
  return row.source === 'scanned';
}

/** Whether `row` matches every word of `query` (in any of its fields). */
export function matches(row: DeviceRowDto, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = fold([row.host, row.role ?? '', row.os, row.signer ?? '', ...row.ips].join(' '));
  return words.every((w) => hay.includes(w));
}

/** Whether `row` is in the chosen risk group at `now`. */
export function atRisk(row: DeviceRowDto, f: DeviceFilter, now: Date): boolean {
  switch (f.risk) {
    case 'all':
      return true;
    case 'fail':
      return row.fails > 0;
    case 'unknown':
      return row.unknowns > 0;
    case 'stale': {
      if (!isScanned(row)) return false;
      const d = daysSince(row.last_seen, now);
      return d === null || d > f.staleDays;
    }
  }
}

/** The rows to show, in ledger order. */
export function filterDevices(rows: DeviceRowDto[], f: DeviceFilter, now: Date): DeviceRowDto[] {
  return rows.filter(
    (r) =>
      matches(r, f.query) &&
      atRisk(r, f, now) &&
      (f.role === '' || (f.role === NO_ROLE ? isScanned(r) && !r.role : isScanned(r) && r.role === f.role)),
  );
}

/** The roles set on scanned PCs, by name. */
export function rolesOf(rows: DeviceRowDto[]): string[] {
  return [...new Set(rows.filter(isScanned).map((r) => r.role).filter((r): r is string => !!r))].sort();
}

/** How many rows fall in each risk group (for the filter buttons). */
export function riskCounts(rows: DeviceRowDto[], staleDays: number, now: Date): Record<RiskFilter, number> {
  const n = (risk: RiskFilter) => rows.filter((r) => atRisk(r, { ...ALL, risk, staleDays }, now)).length;
  return { all: rows.length, fail: n('fail'), unknown: n('unknown'), stale: n('stale') };
}

/** The slice of a long list drawn in a scrolled viewport, with the space above and below it. */
export interface RowWindow {
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}

/**
 * The rows to draw for a list of `total` rows of `rowHeight` px scrolled to `scrollTop` in a
 * viewport `viewport` px high, with `overscan` extra rows on each side: a thousand PCs draw a
 * few dozen rows, and scrolling stays smooth.
 */
export function windowOf(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.min(total, Math.max(0, first - overscan));
  const end = Math.min(total, first + shown + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (total - end) * rowHeight };
}
