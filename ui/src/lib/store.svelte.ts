// App-wide reactive state shared by the screens.
import type { AnswerDto } from './bindings/AnswerDto';
import type { ChecklistSummary } from './bindings/ChecklistSummary';
import type { ChecklistView } from './bindings/ChecklistView';
import type { ProfileDto } from './bindings/ProfileDto';
import type { SettingsDto } from './bindings/SettingsDto';
import { rowKey } from './logic';
import { api } from './api';

export type Screen =
  | 'home' | 'checklist' | 'scan' | 'network' | 'devices'
  | 'vendor' | 'report' | 'history' | 'settings' | 'profile';

class AppStore {
  screen = $state<Screen>('home');
  profile = $state<ProfileDto | null>(null);
  checklists = $state<ChecklistSummary[]>([]);
  checklist = $state<ChecklistView | null>(null);
  answers = $state<AnswerDto[]>([]);
  settings = $state<SettingsDto>({ lang: 'ja', text_scale: 100, never_touch: [] });
  focusItem = $state<string | null>(null);

  answerFor(itemId: string, scope: AnswerDto['scope']): AnswerDto | undefined {
    const k = rowKey(itemId, scope);
    return this.answers.find((a) => rowKey(a.item_id, a.scope) === k);
  }

  /** Shows checklist item `itemId` (or the checklist at its current item). */
  openItem(itemId: string | null): void {
    this.focusItem = itemId;
    this.screen = 'checklist';
  }

  /** Loads the checklist versions and opens the first: the one this year's assessment uses. */
  async loadCurrent(): Promise<void> {
    this.checklists = await api.listChecklists();
    const first = this.checklists[0];
    if (first) {
      this.checklist = await api.getChecklist(first.id);
      this.answers = await api.getAnswers(first.id);
    }
  }

  putAnswer(a: AnswerDto): void {
    const k = rowKey(a.item_id, a.scope);
    this.answers = [...this.answers.filter((x) => rowKey(x.item_id, x.scope) !== k), a];
  }
}

export const app = new AppStore();
