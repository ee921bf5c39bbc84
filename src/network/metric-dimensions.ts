import type { DevicePath, PeeringKind } from './types';

/*
 * The dimension values of Azure Monitor's ExpressRoute circuit metrics, in domain words. They are matched loosely
 * (PeeringType "PrivatePeering"/"Private", Peer "Primary-IPv4"/"Primary") because Azure's own spelling has varied
 * between API versions and portals; an unrecognised value is undefined, never guessed into a link. Both the metric
 * reads (src/azure) and the alerts Azure Monitor sends (src/azure-monitor) go through these.
 */

export function peeringKindOfDimension(value: string): PeeringKind | undefined {
  const v = value.toLowerCase();
  if (v.includes('private')) return 'private';
  if (v.includes('microsoft')) return 'microsoft';
  if (v.includes('public')) return 'public';
  return undefined;
}

export function pathOfDimension(value: string): DevicePath | undefined {
  const v = value.toLowerCase();
  if (v.startsWith('primary')) return 'primary';
  if (v.startsWith('secondary')) return 'secondary';
  return undefined;
}
