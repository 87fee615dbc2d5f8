import { describe, expect, it } from 'vitest';
import {
  changeCounts, defaultPair, earlierNumbers, eraLabel, filterRows, fiscalYearLabel, shareBars,
} from '../src/lib/history';
import { draftProblem, sheetDrafts, statusDetails, toSave } from '../src/lib/vendor';
import type { ComparisonRowDto } from '../src/lib/bindings/ComparisonRowDto';
import type { ItemView } from '../src/lib/bindings/ItemView';
import type { VendorStateDto } from '../src/lib/bindings/VendorStateDto';
import type { YearTotalsDto } from '../src/lib/bindings/YearTotalsDto';

const txt = { ja: 'x', en: 'x' };
function year(fy: number, yes: number, no: number, na: number, un: number): YearTotalsDto {
  return {
    fiscal_year: fy, checklist_id: 'c', checklist_title: txt, rows: yes + no + na + un,
    yes, no, not_applicable: na, unanswered: un,
  };
}
function row(p: Partial<ComparisonRowDto>): ComparisonRowDto {
  return {
    item_id: '1-1', number: '1-①', text: txt, earlier_numbers: [], scope: 'general',
    before: 'yes', after: 'yes', change: 'unchanged', target_date: null, target_state: null, ...p,
  };
}

describe('fiscal year labels', () => {
  it('shows 西暦 and 和暦 in Japanese, FY in English', () => {
    expect(fiscalYearLabel(2025, 'ja')).toBe('2025年度（令和7年度）');
    expect(fiscalYearLabel(2019, 'ja')).toBe('2019年度（令和元年度）');
    expect(fiscalYearLabel(2018, 'ja')).toBe('2018年度（平成30年度）');
    expect(fiscalYearLabel(2025, 'en')).toBe('FY2025');
    expect(eraLabel(2026)).toBe('令和8年度');
  });
});

describe('trend chart', () => {
  it('stacks shares to the full height, oldest left, はい at the bottom', () => {
    const bars = shareBars([year(2025, 30, 10, 0, 0), year(2024, 10, 10, 10, 10)], 100, 50);
    expect(bars.map((b) => b.year)).toEqual([2024, 2025]);
    expect(bars[0]!.x).toBe(0);
    expect(bars[1]!.x).toBe(50);
    expect(bars[1]!.yesPercent).toBe(75);
    expect(bars[1]!.no).toBe(10);
    const segs = bars[1]!.segments;
    expect(segs[0]).toMatchObject({ kind: 'yes', y: 25, height: 75, count: 30 });
    expect(segs[1]).toMatchObject({ kind: 'no', y: 0, height: 25 });
    expect(bars[0]!.segments.reduce((s, x) => s + x.height, 0)).toBeCloseTo(100);
  });
  it('an empty year draws nothing and says 0 %', () => {
    const [b] = shareBars([year(2025, 0, 0, 0, 0)], 100, 50);
    expect(b!.yesPercent).toBe(0);
    expect(b!.segments.every((s) => s.height === 0)).toBe(true);
  });
});

describe('default pair of years', () => {
  it('last year vs this year', () => {
    expect(defaultPair([2023, 2024, 2025], 2025)).toEqual({ earlier: 2024, later: 2025 });
  });
  it('newest stored when this year is not stored yet, and gaps are skipped', () => {
    expect(defaultPair([2021, 2023], 2026)).toEqual({ earlier: 2021, later: 2023 });
  });
  it('no pair with one year', () => {
    expect(defaultPair([2025], 2025)).toBeNull();
    expect(defaultPair([], 2025)).toBeNull();
  });
});

describe('side-by-side rows', () => {
  const rows = [
    row({ change: 'unchanged' }),
    row({ item_id: '2-11', number: '2-⑪', earlier_numbers: ['2-⑥'], before: 'yes', after: 'no', change: 'regressed' }),
    row({ item_id: '2-7', before: null, change: 'new' }),
    row({ item_id: '2-1', before: 'no', after: 'no', change: 'unchanged', target_date: '2025-03-31', target_state: 'overdue' }),
  ];
  it('the changes filter hides unchanged rows, but keeps an overdue 目標日', () => {
    expect(filterRows(rows, 'all')).toHaveLength(4);
    expect(filterRows(rows, 'changes').map((r) => r.item_id)).toEqual(['2-11', '2-7', '2-1']);
  });
  it('counts directions and overdue targets', () => {
    expect(changeCounts(rows)).toMatchObject({ regressed: 1, new: 1, unchanged: 2, improved: 0, overdue: 1 });
  });
  it('shows an older number only when it differs', () => {
    expect(earlierNumbers(rows[1]!)).toEqual(['2-⑥']);
    expect(earlierNumbers(row({ earlier_numbers: ['1-①'] }))).toEqual([]);
  });
});

describe('vendor status and drafts', () => {
  const base: VendorStateDto = {
    name: 'ABC', contact: '', systems: [], in_profile: true, progress: 'not_requested', source: 'none',
    updated_on: null, signer: null, rows: 4, answered: 0, no: 0, request_file_name: 'x.json',
  };
  it('says 未依頼, 依頼済み with the date, and who answered how', () => {
    expect(statusDetails(base).map((d) => d.key)).toEqual(['vendor.detail.notRequested']);
    expect(statusDetails({ ...base, progress: 'requested', updated_on: '2026-06-01' })).toEqual([
      { key: 'vendor.detail.requestedOn', vars: { date: '2026-06-01' } },
    ]);
    const signed = statusDetails({
      ...base, progress: 'answered', source: 'signed_verified', signer: 'ABC KK', answered: 4, updated_on: '2026-06-03',
    });
    expect(signed.map((d) => d.key)).toEqual(['vendor.detail.answeredOn', 'vendor.detail.signedVerified', 'vendor.detail.rows']);
    const review = statusDetails({ ...base, progress: 'needs_review', source: 'by_hand', answered: 3, no: 1 });
    expect(review.map((d) => d.key)).toEqual([
      'vendor.detail.answeredOn', 'vendor.detail.byHand', 'vendor.detail.rows', 'vendor.detail.no', 'vendor.detail.open',
    ]);
    expect(review.at(-1)!.vars).toEqual({ n: 1 });
  });
  it('drafts keep stored answers and start the rest blank, dated today', () => {
    const items: ItemView[] = [
      { id: 'v-1', number: '1', section: txt, text: txt, scopes: ['general'], deadline: null, why: txt, done_when: txt, who: txt, reconstructed: false, provenance: { tag: 'checked', sources: [], note: null }, automatic: true },
      { id: 'v-2', number: '2', section: txt, text: txt, scopes: ['server', 'terminal'], deadline: null, why: txt, done_when: txt, who: txt, reconstructed: false, provenance: { tag: 'checked', sources: [], note: null }, automatic: true },
    ];
    const stored = { ...sheetDrafts(items, [], '2026-06-01')[1]!, value: 'yes' as const };
    const d = sheetDrafts(items, [stored], '2026-07-01');
    expect(d.map((x) => `${x.item_id}#${x.scope}`)).toEqual(['v-1#general', 'v-2#server', 'v-2#terminal']);
    expect(d[1]!.value).toBe('yes');
    expect(d[0]!.checked_on).toBe('2026-07-01');
  });
  it('unanswered drafts are skipped, いいえ waits for 目標日, 目標日 is dropped otherwise', () => {
    const [d] = sheetDrafts(
      [{ id: 'v-1', number: '1', section: txt, text: txt, scopes: ['general'], deadline: null, why: txt, done_when: txt, who: txt, reconstructed: false, provenance: { tag: 'checked', sources: [], note: null }, automatic: true }],
      [], '2026-06-01',
    );
    expect(draftProblem(d!)).toBe('skip');
    expect(draftProblem({ ...d!, value: 'no' })).toBe('answer.err.targetRequired');
    expect(draftProblem({ ...d!, value: 'no', target_date: '2027-03-31' })).toBeNull();
    expect(toSave({ ...d!, value: 'yes', target_date: '2027-03-31' }).target_date).toBeNull();
  });
});
