import { DEMO_CUSTOMERS } from '../../src/demo/customers';
import type { User } from './harness';

/** The demo directory's people (src/directory/demo-directory.ts). */
export const ENGINEER: User = { aadObjectId: 'demo-engineer', name: 'Dana' };
export const APPROVER: User = { aadObjectId: 'demo-approver', name: 'Avery' };
export const ONCALL: User = { aadObjectId: 'demo-oncall', name: 'Omar' };
/** View rights on Contoso only. */
export const CONTOSO_VIEWER: User = { aadObjectId: 'demo-contoso-viewer', name: 'Casey' };

const NW = 'providers/Microsoft.Network';
const [contoso0 = '', contoso1 = ''] = DEMO_CUSTOMERS.contoso.subscriptions;
const [fabrikam0 = ''] = DEMO_CUSTOMERS.fabrikam.subscriptions;
const [northwind0 = ''] = DEMO_CUSTOMERS.northwind.subscriptions;

export const SUBSCRIPTIONS = { contoso0, contoso1, fabrikam0, northwind0 };

/** Full ARM ids of demo circuits (src/simulator/demo-fleet.ts). */
export const CIRCUIT_IDS = {
  contosoAms: `/subscriptions/${contoso0}/resourceGroups/rg-contoso-network/${NW}/expressRouteCircuits/contoso-ams-er1`,
  contosoShared: `/subscriptions/${contoso1}/resourceGroups/rg-contoso-dr/${NW}/expressRouteCircuits/er-shared`,
  fabrikamSea: `/subscriptions/${fabrikam0}/resourceGroups/rg-fabrikam-er/${NW}/expressRouteCircuits/fabrikam-sea-er3`,
  fabrikamDal: `/subscriptions/${fabrikam0}/resourceGroups/rg-fabrikam-er/${NW}/expressRouteCircuits/fabrikam-dal-er1`,
  northwindShared: `/subscriptions/${northwind0}/resourceGroups/rg-northwind/${NW}/expressRouteCircuits/er-shared`,
};

/**
 * Everything about Fabrikam and Northwind that a Contoso-only viewer must never be shown: names, ids,
 * tenants, subscriptions, resource groups, route tables. (er-shared exists in Contoso too, so the
 * qualified `northwind/er-shared` is listed instead.)
 */
export const NOT_CONTOSO = [
  'fabrikam',
  'northwind',
  DEMO_CUSTOMERS.fabrikam.name,
  DEMO_CUSTOMERS.northwind.name,
  DEMO_CUSTOMERS.fabrikam.tenantId,
  DEMO_CUSTOMERS.northwind.tenantId,
  fabrikam0,
  northwind0,
  'rg-fabrikam-er',
  'rg-northwind',
  'rt-northwind-fw',
  'erport-fabrikam-chi',
  'AT&T',
  'Seattle',
  'Dallas',
  'Chicago',
  '172.16.',
  '192.168.4',
];
