import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildScaleFleet, type ScaleFleetOptions } from '../src/simulator';

/** Admin of every customer: says `alerts here` for each in a channel of its own, so that cards are posted as in production. */
export const WORLD_ADMIN = { aadObjectId: 'bench-admin', name: 'Admin' };

/** A scale fleet for the simulator and the directory that gives one customer per tenant the whole of it. */
export function world(circuits: number, tenants: number, subscriptionsPerTenant: number, failures: ScaleFleetOptions['failures'] = false) {
  const tenantIds = Array.from({ length: tenants }, (_, i) => `${String(i + 1).padStart(8, '0')}-0000-4000-8000-000000000000`);
  const scale = buildScaleFleet({ circuits, subscriptions: subscriptionsPerTenant, tenantIds, failures });
  const directory = {
    customers: scale.tenants.map((t, i) => ({
      id: `customer-${i + 1}`,
      name: `Customer ${i + 1}`,
      tenantId: t.tenantId,
      model: 'connect-through',
      subscriptions: t.subscriptions,
      approval: { required: 1, ttlMinutes: 60 },
    })),
    people: [
      { aadObjectId: 'demo-oncall', name: 'On-call', access: { '*': ['view'] } },
      { ...WORLD_ADMIN, access: { '*': ['admin'] } },
    ],
  };
  return { fleet: scale.fleet, directory, modes: scale.modes };
}

/** What `spawnWorld` asks of this file when it runs as a process of its own. */
export interface WorldSpec {
  circuits: number;
  tenants: number;
  subscriptionsPerTenant: number;
  /** Every failure mode sprinkled in (true), or only some, as often as asked (ScaleFleetOptions). */
  failures: ScaleFleetOptions['failures'];
  /** The fleet's `$simulator` settings. */
  simulator: Record<string, unknown>;
}

/** Run as a process: `world.ts <spec JSON> <dir>` writes fleet.json and directory.json into dir. */
if (require.main === module) {
  const [specJson, dir] = process.argv.slice(2);
  if (!specJson || !dir) throw new Error('usage: world.ts <spec JSON> <dir>');
  const spec = JSON.parse(specJson) as WorldSpec;
  const w = world(spec.circuits, spec.tenants, spec.subscriptionsPerTenant, spec.failures);
  writeFileSync(path.join(dir, 'fleet.json'), JSON.stringify({ ...w.fleet, $simulator: spec.simulator }));
  writeFileSync(path.join(dir, 'directory.json'), JSON.stringify(w.directory));
}
