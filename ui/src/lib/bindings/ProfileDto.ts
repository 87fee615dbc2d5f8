import type { VendorDto } from "./VendorDto";
export type ProfileDto = { name: string, address: string, administrator: string, security_officer: string, systems: Array<string>, vendors: Array<VendorDto>, };
