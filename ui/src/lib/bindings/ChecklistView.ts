import type { ChecklistSummary } from "./ChecklistSummary";
import type { ItemView } from "./ItemView";
export type ChecklistView = { summary: ChecklistSummary, items: Array<ItemView>, };
