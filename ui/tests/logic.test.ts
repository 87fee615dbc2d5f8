import { describe, expect, it } from 'vitest';
import { answerProblem, blankAnswer, isDate, overview, today, trendBars } from '../src/lib/logic';
import type { ItemView } from '../src/lib/bindings/ItemView';

const txt = { ja: 'x', en: 'x' };
function item(id: string, scopes: ItemView['scopes']): ItemView {
  return {
    id, number: id, section: txt, text: txt, scopes, deadline: null,
    why: txt, done_when: txt, who: txt, reconstructed: false,
  };
}

describe('answer validation', () => {
  it('いいえ needs 目標日', () => {
    const a = { ...blankAnswer('1', 'general', '2026-11-23'), value: 'no' as const };
    expect(answerProblem(a)).toBe('answer.err.targetRequired');
    expect(answerProblem({ ...a, target_date: '2027-03-31' })).toBeNull();
    expect(answerProblem({ ...a, target_date: '2027-02-30' })).toBe('answer.err.targetDate');
  });
  it('はい and 該当なし need no target; bad 確認日 is rejected', () => {
    const a = blankAnswer('1', 'general', '2026-11-23');
    expect(answerProblem({ ...a, value: 'yes' })).toBeNull();
    expect(answerProblem({ ...a, value: 'not_applicable' })).toBeNull();
    expect(answerProblem({ ...a, value: 'yes', checked_on: '23/11/2026' })).toBe('answer.err.checkedOn');
  });
  it('dates: real calendar days only; today is local YYYY-MM-DD; 確認日 defaults to it', () => {
    expect(isDate('2028-02-29')).toBe(true);
    expect(isDate('2027-02-29')).toBe(false);
    expect(today(new Date(2026, 0, 5))).toBe('2026-01-05');
    expect(blankAnswer('1', 'server', '2026-01-05').checked_on).toBe('2026-01-05');
  });
});

describe('home overview', () => {
  const items = [item('a', ['general']), item('b', ['server', 'terminal']), item('c', ['general'])];
  it('counts rows per scope, overdue いいえ and the next item', () => {
    const base = blankAnswer('a', 'general', '2026-11-23');
    const answers = [
      { ...base, value: 'yes' as const },
      { ...base, item_id: 'b', scope: 'server' as const, value: 'no' as const, target_date: '2026-10-01' },
      { ...base, item_id: 'b', scope: 'terminal' as const, value: 'no' as const, target_date: '2027-03-31' },
      { ...base, item_id: 'zzz', value: 'yes' as const },
    ];
    const o = overview(items, answers, '2026-11-23');
    expect(o.rows).toBe(4);
    expect(o.answered).toBe(3);
    expect(o.unanswered).toBe(1);
    expect(o.yes).toBe(1);
    expect(o.no).toBe(2);
    expect(o.overdue.map((a) => a.scope)).toEqual(['server']);
    expect(o.planned.map((a) => a.scope)).toEqual(['terminal']);
    expect(o.nextItemId).toBe('c');
  });
  it('nothing answered: next is the first item', () => {
    expect(overview(items, [], '2026-11-23').nextItemId).toBe('a');
  });
});

describe('trend chart data', () => {
  it('sorts years, stacks segments to the full height of the largest year', () => {
    const bars = trendBars(
      [
        { year: 2026, yes: 30, no: 10, notApplicable: 0, unanswered: 0 },
        { year: 2025, yes: 10, no: 5, notApplicable: 0, unanswered: 5 },
      ],
      100, 50,
    );
    expect(bars.map((b) => b.year)).toEqual([2025, 2026]);
    expect(bars[0]!.x).toBe(0);
    expect(bars[1]!.x).toBe(50);
    const top = bars[1]!.segments[bars[1]!.segments.length - 1]!;
    expect(top.y).toBeCloseTo(0);
    const yes2025 = bars[0]!.segments[0]!;
    expect(yes2025.height).toBeCloseTo(25);
    expect(yes2025.y).toBeCloseTo(75);
  });
  it('empty history gives no bars', () => {
    expect(trendBars([], 100, 50)).toEqual([]);
  });
});
