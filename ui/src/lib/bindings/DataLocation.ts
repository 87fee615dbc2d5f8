export type DataLocation = { dir: string, state_file: string, };
