import type { Json } from './resource-store';
import { obj, props, reject, str, type WriteRule } from './write-rule';

/**
 * What Network RP enforces on circuit authorizations. Azure documents at most 10 authorizations per circuit
 * (Az.Network, New-AzExpressRouteCircuitAuthorization: "can create as many as 10 authorizations for each
 * circuit"); it documents no code of its own for the refusal, so the simulator answers with ARM's documented
 * quota code, ResourceQuotaExceeded ("Resolve errors for resource quotas"), as a 400 with ARM's error body.
 */

const CIRCUITS = 'microsoft.network/expressroutecircuits';
const AUTHORIZATIONS = 'microsoft.network/expressroutecircuits/authorizations';
export const CIRCUIT_AUTHORIZATION_LIMIT = 10;

const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);

function quotaExceeded(circuit: string, current: number) {
  return reject(
    'ResourceQuotaExceeded',
    `Creating the resource of type 'Microsoft.Network/expressRouteCircuits/authorizations' would exceed the quota of ` +
      `${CIRCUIT_AUTHORIZATION_LIMIT} authorizations per ExpressRoute circuit '${circuit}'. The current count is ${current}; ` +
      'delete an authorization that is not in use before creating a new one.',
  );
}

/** A new authorization (its own PUT, or inline in a circuit PUT) may not take the circuit past the limit. */
const authorizationLimit: WriteRule = (a) => {
  if (a.method === 'DELETE' || !a.proposed) return undefined;
  if (a.type === AUTHORIZATIONS) {
    if (a.existing) return undefined;
    const current = list(props(a.parent).authorizations).filter((x) => str(x.name)?.toLowerCase() !== a.name.toLowerCase()).length;
    return current + 1 > CIRCUIT_AUTHORIZATION_LIMIT ? quotaExceeded(str(a.parent?.name) ?? '', current) : undefined;
  }
  if (a.type !== CIRCUITS) return undefined;
  // A circuit PUT carries its authorizations inline: only one that adds some may not go past the limit.
  const proposed = list(props(a.proposed).authorizations).length;
  const existing = list(props(a.existing).authorizations).length;
  if (proposed <= CIRCUIT_AUTHORIZATION_LIMIT || proposed <= existing) return undefined;
  return quotaExceeded(a.name, existing);
};

export const AUTHORIZATION_WRITE_RULES: readonly WriteRule[] = [authorizationLimit];
