import type { TextDto } from "./TextDto";
export type ProgressEvent = { task: string, step: string, state: string, done: number, total: number, message: TextDto, };
