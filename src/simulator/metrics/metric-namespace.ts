import { parseArmPath, resourceType } from '../arm-path';
import type { Json } from '../resource-store';
import { CIRCUIT_NAMESPACE, CIRCUIT_TYPE } from './metric-definitions';

/** The metric namespace of a resource: its resource type, as Azure Monitor spells it for circuits. */
export function namespaceOf(resourceId: string, fixture?: Json): string {
  const type = resourceType(parseArmPath(resourceId));
  if (type === CIRCUIT_TYPE) return CIRCUIT_NAMESPACE;
  if (typeof fixture?.namespace === 'string') return fixture.namespace;
  const p = parseArmPath(resourceId);
  return [p.namespace ?? '', ...p.segments.filter((_, i) => i % 2 === 0)].join('/');
}
