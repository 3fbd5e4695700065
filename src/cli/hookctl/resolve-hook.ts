// A hook named on the command line by id or by name. Names are unique per
// tenant, so a name is looked up among the hooks the caller lists (every
// tenant's with --all-tenants, where it must be unambiguous).
import type { AdminClient, HookInfo } from '../../client/admin-client.js';
import { NotFoundError, UsageError } from './exit-codes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveHook(admin: AdminClient, idOrName: string, allTenants = false): Promise<HookInfo> {
  if (UUID.test(idOrName)) return admin.get(idOrName);
  const named = (await admin.list({ allTenants })).filter((h) => h.name === idOrName);
  if (named.length === 1) return named[0];
  if (!named.length) throw new NotFoundError(`no hook named "${idOrName}"${allTenants ? ' in any tenant' : ''}`);
  throw new UsageError(`"${idOrName}" names hooks of several tenants (${named.map((h) => `${h.tenant}: ${h.id}`).join(', ')}): give the id`);
}
