import type { AnswerValueDto } from "./AnswerValueDto";
import type { AttachmentDto } from "./AttachmentDto";
import type { ScopeDto } from "./ScopeDto";
export type AnswerDto = { item_id: string, scope: ScopeDto, value: AnswerValueDto, checked_on: string | null, target_date: string | null, note: string, responsible: string, attachments: Array<AttachmentDto>, updated_at: string | null, };
