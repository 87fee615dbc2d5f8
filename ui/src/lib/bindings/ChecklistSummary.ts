import type { TextDto } from "./TextDto";
export type ChecklistSummary = { id: string, title: TextDto, fiscal_year: number, kind: string, item_count: number, source: string, };
