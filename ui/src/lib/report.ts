// Pure helpers of the report screen (tested with Vitest): readable dates, fiscal-year labels,
// fingerprint grouping, the tone of a verification result and the review before signing.
import type { FixTargetDto } from './bindings/FixTargetDto';
import type { GapKindDto } from './bindings/GapKindDto';
import type { ReadinessDto } from './bindings/ReadinessDto';
import type { ReadinessEntryDto } from './bindings/ReadinessEntryDto';
import type { VerifyStatusDto } from './bindings/VerifyStatusDto';

export type Lang = 'ja' | 'en';

/** A date-time as people read it, in the PC's local time (or `timeZone`): 2026年11月24日 7:30. */
export function formatDateTime(iso: string | null | undefined, lang: Lang, timeZone?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = {
    year: 'numeric', month: lang === 'ja' ? 'long' : 'short', day: 'numeric',
    hour: 'numeric', minute: '2-digit', hour12: false, timeZone,
  };
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', opts).format(d);
}

/** Fiscal year label: 2026年度（令和8年度） in Japanese, FY2026 in English. */
export function fiscalYearLabel(year: number | null | undefined, lang: Lang): string {
  if (!year) return '';
  if (lang === 'en') return `FY${year}`;
  const reiwa = year - 2018;
  return reiwa >= 1 ? `${year}年度（令和${reiwa === 1 ? '元' : reiwa}年度）` : `${year}年度`;
}

/** Fiscal year split for narrow table cells: ['2026年度', '令和8年度'] / ['FY2026', '']. */
export function fiscalYearParts(year: number | null | undefined, lang: Lang): [string, string] {
  if (!year) return ['', ''];
  if (lang === 'en') return [`FY${year}`, ''];
  const reiwa = year - 2018;
  return [`${year}年度`, reiwa >= 1 ? `令和${reiwa === 1 ? '元' : reiwa}年度` : ''];
}

/** A SHA-256 fingerprint in groups of four upper-case hex digits, easy to compare by eye. */
export function groupFingerprint(fp: string | null | undefined): string {
  if (!fp) return '';
  const hex = fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}

/** Colour family of a verification result: green 有効, red 無効, amber 未確認. */
export function verdictTone(status: VerifyStatusDto): 'ok' | 'bad' | 'unknown' {
  if (status === 'valid') return 'ok';
  if (status === 'invalid') return 'bad';
  return 'unknown';
}

/** The open entries of the review before signing, grouped by kind in the engine's order. */
export function groupReadiness(entries: ReadinessEntryDto[]): { kind: GapKindDto; entries: ReadinessEntryDto[] }[] {
  const out: { kind: GapKindDto; entries: ReadinessEntryDto[] }[] = [];
  for (const e of entries) {
    const last = out.find((g) => g.kind === e.kind);
    if (last) last.entries.push(e);
    else out.push({ kind: e.kind, entries: [e] });
  }
  return out;
}

/** The screen that fixes an open entry (the checklist opens at the entry's item). */
export function fixScreen(target: FixTargetDto): 'profile' | 'checklist' | 'scan' | 'vendor' {
  switch (target) {
    case 'profile': return 'profile';
    case 'checklist': return 'checklist';
    case 'scan': return 'scan';
    case 'vendor': return 'vendor';
  }
}

/** Signing needs a second, explicit confirmation while something is still open. */
export function needsSecondConfirmation(r: ReadinessDto | null): boolean {
  return r !== null && r.entries.length > 0;
}
