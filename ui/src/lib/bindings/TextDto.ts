export type TextDto = { ja: string, en: string, };
