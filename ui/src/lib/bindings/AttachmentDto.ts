export type AttachmentDto = { name: string, size: number, sha256: string, };
