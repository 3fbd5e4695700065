// Who is calling: the tenant and role a credential maps to (see auth.ts).
export interface Caller {
  tenant: string;
  /** Admin credentials see and change every tenant's hooks through the admin API. */
  admin: boolean;
}
