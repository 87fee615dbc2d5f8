import type { ScopeDto } from "./ScopeDto";
import type { TextDto } from "./TextDto";
export type ItemView = { id: string, number: string, section: TextDto, text: TextDto, scopes: Array<ScopeDto>, deadline: TextDto | null, why: TextDto, done_when: TextDto, who: TextDto, reconstructed: boolean, };
