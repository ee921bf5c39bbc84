import type { NsgFact, SecurityRuleFact } from './posture-facts';

/**
 * Reading NSG rules the way Azure evaluates them: lowest priority number first, the first rule that matches a
 * flow decides, Azure's default rules last (65000 and up).
 */

/** Sources that mean "anyone on the internet". */
const ANYONE = new Set(['*', 'internet', 'any', '0.0.0.0/0', '::/0']);
const ANY_PORT = new Set(['*', '0-65535', '1-65535']);

const anyone = (prefixes: readonly string[]) => prefixes.some((p) => ANYONE.has(p.trim().toLowerCase()));
const anyPort = (ports: readonly string[]) => ports.some((p) => ANY_PORT.has(p.trim()));

/** An inbound Allow from the internet (`Internet` or `*`) to every port: the whole VNet's surface exposed. */
export function allowsAnyPortFromInternet(rule: SecurityRuleFact): boolean {
  return (
    rule.direction === 'Inbound' && rule.access === 'Allow' && !rule.isDefault && anyone(rule.sources) && anyPort(rule.destinationPorts)
  );
}

export function byPriority(rules: readonly SecurityRuleFact[]): SecurityRuleFact[] {
  return [...rules].sort((a, b) => a.priority - b.priority);
}

/**
 * What happens to traffic leaving for the internet on any port: the first outbound rule, by priority, that
 * covers it. A Deny for one protocol only leaves the others to later rules; Azure's AllowInternetOutBound
 * (65001) allows whatever nothing before it denied.
 */
export function internetOutbound(nsg: NsgFact): { denied: boolean; rule?: SecurityRuleFact } {
  for (const rule of byPriority(nsg.rules)) {
    if (rule.direction !== 'Outbound' || !anyone(rule.destinations) || !anyPort(rule.destinationPorts)) continue;
    if (rule.access === 'Allow') return { denied: false, rule };
    if (rule.protocol === '*') return { denied: true, rule };
  }
  return { denied: false };
}

export function describeRule(rule: SecurityRuleFact): string {
  return `${rule.name} (priority ${rule.priority})`;
}
