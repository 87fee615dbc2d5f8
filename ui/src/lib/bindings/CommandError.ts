export type CommandError = { code: string, ja: string, en: string, };
