// Pure logic of the History screen (tested with Vitest): fiscal-year labels, the trend chart's
// shapes, the default pair of years and the row filter of the side-by-side table.
import type { ComparisonRowDto } from './bindings/ComparisonRowDto';
import type { YearTotalsDto } from './bindings/YearTotalsDto';

/** Japanese era year of a fiscal year (April–March): 令和 from FY2019 (令和元年度), else 平成. */
export function eraYear(fy: number): { era: '令和' | '平成'; year: string } {
  if (fy >= 2019) {
    const n = fy - 2018;
    return { era: '令和', year: n === 1 ? '元' : String(n) };
  }
  const n = fy - 1988;
  return { era: '平成', year: n === 1 ? '元' : String(n) };
}

/** 「2025年度（令和7年度）」 in Japanese, "FY2025" in English. */
export function fiscalYearLabel(fy: number, lang: 'ja' | 'en'): string {
  if (lang === 'en') return `FY${fy}`;
  const e = eraYear(fy);
  return `${fy}年度（${e.era}${e.year}年度）`;
}

/** The short label under a bar: 「2025年度」 / "FY2025". */
export function fiscalYearShort(fy: number, lang: 'ja' | 'en'): string {
  return lang === 'en' ? `FY${fy}` : `${fy}年度`;
}

/** The era line under a bar in Japanese: 「令和7年度」. */
export function eraLabel(fy: number): string {
  const e = eraYear(fy);
  return `${e.era}${e.year}年度`;
}

export type SegmentKind = 'yes' | 'no' | 'notApplicable' | 'unanswered';

/** One 100 % stacked bar of the trend chart, in SVG user units. */
export interface ShareBar {
  year: number;
  x: number;
  /** Share answered はい, whole percent (0 when the year has no rows). */
  yesPercent: number;
  no: number;
  rows: number;
  segments: { kind: SegmentKind; y: number; height: number; count: number }[];
}

/** Whole percent of `part` in `whole` (0 for an empty whole). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

/**
 * Shapes per-year totals into 100 % stacked bars (oldest left): はい at the bottom, then いいえ,
 * 該当なし, 未回答. Shares, not counts, because checklist versions differ in length.
 */
export function shareBars(years: YearTotalsDto[], height: number, width: number): ShareBar[] {
  const sorted = [...years].sort((a, b) => a.fiscal_year - b.fiscal_year);
  return sorted.map((y, i) => {
    const counts: Record<SegmentKind, number> = {
      yes: y.yes, no: y.no, notApplicable: y.not_applicable, unanswered: y.unanswered,
    };
    const total = y.yes + y.no + y.not_applicable + y.unanswered;
    let top = height;
    const segments = (['yes', 'no', 'notApplicable', 'unanswered'] as const).map((kind) => {
      const count = counts[kind];
      const h = total > 0 ? (count / total) * height : 0;
      top -= h;
      return { kind, y: top, height: h, count };
    });
    return { year: y.fiscal_year, x: i * width, yesPercent: percent(y.yes, total), no: y.no, rows: total, segments };
  });
}

/**
 * The two years compared first: this fiscal year (or the newest stored) as the later one and
 * the newest stored year before it as the earlier one. Null with fewer than two years.
 */
export function defaultPair(years: number[], thisYear: number): { earlier: number; later: number } | null {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  if (sorted.length < 2) return null;
  const later = sorted.includes(thisYear) ? thisYear : sorted[sorted.length - 1]!;
  const before = sorted.filter((y) => y < later);
  if (before.length === 0) {
    // This year is the oldest stored one: compare the two oldest instead.
    return { earlier: sorted[0]!, later: sorted[1]! };
  }
  return { earlier: before[before.length - 1]!, later };
}

export type RowFilter = 'changes' | 'all';

/**
 * Rows shown: every row, or only those that need a look — the answer changed (new items
 * included) or the earlier year's 目標日 has passed without the item becoming はい.
 */
export function filterRows(rows: ComparisonRowDto[], filter: RowFilter): ComparisonRowDto[] {
  return filter === 'all' ? rows : rows.filter((r) => r.change !== 'unchanged' || r.target_state === 'overdue');
}

/** Counts of the summary line above the table. */
export function changeCounts(rows: ComparisonRowDto[]): {
  improved: number; regressed: number; changed: number; new: number; unchanged: number; overdue: number;
} {
  const c = { improved: 0, regressed: 0, changed: 0, new: 0, unchanged: 0, overdue: 0 };
  for (const r of rows) {
    c[r.change] += 1;
    if (r.target_state === 'overdue') c.overdue += 1;
  }
  return c;
}

/** The earlier numbers worth showing next to a row's number (different from it). */
export function earlierNumbers(row: ComparisonRowDto): string[] {
  return row.earlier_numbers.filter((n) => n !== row.number);
}
