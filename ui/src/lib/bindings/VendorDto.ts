export type VendorDto = { name: string, contact: string, };
