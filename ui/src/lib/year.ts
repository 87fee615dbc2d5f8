// The year at a glance (issue 15 item 1): the steps a clinic goes through each fiscal year, each
// with its state and the screen that does it; the first step not done is the next one. Pure (the
// home screen gathers the inputs; tested with Vitest).
import type { Screen } from './store.svelte';

export type StepState = 'done' | 'partly' | 'todo' | 'optional';

export interface YearStep {
  /** Message key suffix and test id. */
  id: 'profile' | 'answers' | 'scan' | 'network' | 'vendors' | 'devices' | 'report';
  screen: Screen;
  state: StepState;
  /** Numbers for the step's line (e.g. answered rows of all). */
  n?: number;
  of?: number;
}

export interface YearInput {
  profileComplete: boolean;
  answeredRows: number;
  rows: number;
  checkedHosts: number;
  networkChecked: boolean;
  /** Vendors in the profile, and how many returned their sheet (answered / needs review). */
  vendors: number;
  vendorsReturned: number;
  /** Reports made for this fiscal year. */
  reportsThisYear: number;
}

/** The steps in order. The network check is offered, never required (it needs consent). */
export function yearSteps(i: YearInput): YearStep[] {
  const part = (n: number, of: number): StepState => (of > 0 && n >= of ? 'done' : n > 0 ? 'partly' : 'todo');
  return [
    { id: 'profile', screen: 'profile', state: i.profileComplete ? 'done' : 'todo' },
    { id: 'answers', screen: 'checklist', state: part(i.answeredRows, i.rows), n: i.answeredRows, of: i.rows },
    { id: 'scan', screen: 'scan', state: i.checkedHosts > 0 ? 'done' : 'todo', n: i.checkedHosts },
    { id: 'network', screen: 'network', state: i.networkChecked ? 'done' : 'optional' },
    {
      id: 'vendors', screen: 'vendor',
      state: i.vendors === 0 ? 'optional' : part(i.vendorsReturned, i.vendors), n: i.vendorsReturned, of: i.vendors,
    },
    { id: 'devices', screen: 'devices', state: i.checkedHosts > 0 ? 'done' : 'todo', n: i.checkedHosts },
    { id: 'report', screen: 'report', state: i.reportsThisYear > 0 ? 'done' : 'todo', n: i.reportsThisYear },
  ];
}

/** The next step: the first required one not done (optional steps are offered, not next). */
export function nextStep(steps: YearStep[]): YearStep | null {
  return steps.find((s) => s.state === 'todo' || s.state === 'partly') ?? null;
}
