export type SettingsDto = { lang: string, text_scale: number, never_touch: Array<string>, };
