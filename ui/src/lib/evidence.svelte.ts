// The evidence kept with this fiscal year's assessment, shared by Home, Checklist and the
// automatic check: per-item evidence (with contradictions) and the grouped results.
import { api, errorText } from './api';
import type { ItemEvidenceDto } from './bindings/ItemEvidenceDto';
import type { ScanResultsDto } from './bindings/ScanResultsDto';

class EvidenceStore {
  items = $state<ItemEvidenceDto[]>([]);
  results = $state<ScanResultsDto | null>(null);
  error = $state<string | null>(null);

  /** Reloads both views of the kept results for `checklistId`. */
  async load(checklistId: string): Promise<void> {
    try {
      const [items, results] = await Promise.all([
        api.itemEvidence(checklistId),
        api.scanResults(checklistId),
      ]);
      this.items = items;
      this.results = results;
      this.error = null;
    } catch (e) {
      this.error = errorText(e);
    }
  }

  /** Reloads only the per-item evidence (after an answer changed: contradictions move). */
  async reloadItems(checklistId: string): Promise<void> {
    try {
      this.items = await api.itemEvidence(checklistId);
    } catch (e) {
      this.error = errorText(e);
    }
  }
}

export const evidence = new EvidenceStore();
