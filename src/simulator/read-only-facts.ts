import type { Json } from './resource-store';
import { list, obj, props, str } from './write-rule';

/**
 * Facts only ARM writes, kept when a PUT leaves them out: the SDKs never send read-only properties, so a caller
 * that reads a resource, changes it and puts it back sends less than it read. ExpressRoute port links (router,
 * interface, patch panel, rack, connector) are the physical port's and stay as they were.
 */
export function keepReadOnlyFacts(type: string, existing: Json | undefined, proposed: Json): void {
  if (type !== 'microsoft.network/expressrouteports' || !existing) return;
  const before = new Map(list(props(existing).links).map((l) => [str(l.name)?.toLowerCase(), l]));
  const links = list(props(proposed).links).map((link) => {
    const old = before.get(str(link.name)?.toLowerCase());
    return old ? { ...old, ...link, properties: { ...props(old), ...obj(link.properties) } } : link;
  });
  if (Array.isArray(props(proposed).links)) proposed.properties = { ...props(proposed), links };
}
