import { describe, expect, it } from 'vitest';
import { nextStep, yearSteps, type YearInput } from '../src/lib/year';

const start: YearInput = {
  profileComplete: false, answeredRows: 0, rows: 22, checkedHosts: 0, networkChecked: false,
  vendors: 1, vendorsReturned: 0, reportsThisYear: 0,
};

describe('the year at a glance', () => {
  it('a first launch starts at the profile; the network check is offered, never next', () => {
    const s = yearSteps(start);
    expect(s.map((x) => x.id)).toEqual(['profile', 'answers', 'scan', 'network', 'vendors', 'devices', 'report']);
    expect(nextStep(s)?.id).toBe('profile');
    expect(s.find((x) => x.id === 'network')?.state).toBe('optional');
  });
  it('each step moves on when done; partly answered is next until every row is', () => {
    const a = yearSteps({ ...start, profileComplete: true, answeredRows: 5 });
    expect(nextStep(a)).toMatchObject({ id: 'answers', state: 'partly', n: 5, of: 22 });
    const b = yearSteps({ ...start, profileComplete: true, answeredRows: 22 });
    expect(nextStep(b)?.id).toBe('scan');
    const c = yearSteps({ ...start, profileComplete: true, answeredRows: 22, checkedHosts: 2 });
    expect(nextStep(c)?.id).toBe('vendors');
    const d = yearSteps({ ...start, profileComplete: true, answeredRows: 22, checkedHosts: 2, vendorsReturned: 1 });
    expect(nextStep(d)?.id).toBe('report');
    const e = yearSteps({ ...start, profileComplete: true, answeredRows: 22, checkedHosts: 2, vendorsReturned: 1, reportsThisYear: 1 });
    expect(nextStep(e)).toBeNull();
  });
  it('a clinic without vendors is not asked for vendor sheets', () => {
    const s = yearSteps({ ...start, profileComplete: true, answeredRows: 22, checkedHosts: 1, vendors: 0 });
    expect(s.find((x) => x.id === 'vendors')?.state).toBe('optional');
    expect(nextStep(s)?.id).toBe('report');
  });
});
