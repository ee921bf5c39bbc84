import { parseArmPath } from './arm-path';
import { armError, type SimResponse } from './sim-http';
import type { SimState } from './sim-state';

/** ARM's 404s: the resource group first, then the resource, in ARM's wording. */
export function notFound(state: SimState, path: string): SimResponse {
  const p = parseArmPath(path);
  if (p.subscriptionId && p.resourceGroup && !state.store.knowsResourceGroup(p.subscriptionId, p.resourceGroup)) {
    return armError(404, 'ResourceGroupNotFound', `Resource group '${p.resourceGroup}' could not be found.`);
  }
  const typeAndName = p.namespace ? `${p.namespace}/${p.segments.join('/')}` : p.path;
  const where = p.resourceGroup ? ` under resource group '${p.resourceGroup}'` : '';
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${typeAndName}'${where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}
