import { describe, expect, it } from 'vitest';
import { answerProblem, blankAnswer, isDate, overview, today, upsertStep } from '../src/lib/logic';
import type { ItemView } from '../src/lib/bindings/ItemView';

const txt = { ja: 'x', en: 'x' };
function item(id: string, scopes: ItemView['scopes']): ItemView {
  return {
    id, number: id, section: txt, text: txt, scopes, deadline: null,
    why: txt, done_when: txt, who: txt, reconstructed: false, provenance: { tag: 'checked', sources: [], note: null }, automatic: true,
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
    // Items as the checklist counts them: b is answered only with both its rows.
    expect([o.answeredItems, o.items]).toEqual([2, 3]);
    const oneRowOfB = overview(items, answers.slice(0, 2), '2026-11-23');
    expect([oneRowOfB.answeredItems, oneRowOfB.answered]).toEqual([1, 2]);
  });
  it('nothing answered: next is the first item', () => {
    expect(overview(items, [], '2026-11-23').nextItemId).toBe('a');
  });
});

describe('upsertStep', () => {
  it('replaces the entry of the same step in place and appends new steps', () => {
    const a = { step: 'os.patches', state: 'running' };
    const b = { step: 'firewall.host', state: 'running' };
    const list = upsertStep(upsertStep([], a), b);
    expect(list.map((s) => s.step)).toEqual(['os.patches', 'firewall.host']);
    const done = upsertStep(list, { step: 'os.patches', state: 'pass' });
    expect(done).toEqual([{ step: 'os.patches', state: 'pass' }, b]);
    expect(list[0]!.state).toBe('running');
  });
});
