import type { NsgFact, SecurityRuleFact } from './posture-facts';

/**
 * Reading NSG rules the way Azure evaluates them: lowest priority number first, the first rule that matches a
 * flow decides, Azure's default rules last (65000 and up).
 */

/** Sources that mean "anyone on the internet". */
const ANYONE = new Set(['*', 'internet', 'any', '0.0.0.0/0', '::/0']);
/** Ports an attacker tries first: remote shells and desktops, never to be open to the internet. */
const MANAGEMENT_PORTS: readonly { port: number; name: string }[] = [
  { port: 22, name: 'SSH' },
  { port: 3389, name: 'RDP' },
];

const anyone = (prefixes: readonly string[]) => prefixes.some((p) => ANYONE.has(p.trim().toLowerCase()));

/** A port spec (`*`, `443`, `1024-65535`) as a range; undefined when it isn't one. */
function portRange(spec: string): { from: number; to: number } | undefined {
  const s = spec.trim();
  if (s === '*') return { from: 0, to: 65535 };
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(s);
  if (!m) return undefined;
  const from = Number(m[1]);
  return { from, to: m[2] === undefined ? from : Number(m[2]) };
}

const anyPort = (ports: readonly string[]) =>
  ports.some((p) => {
    const r = portRange(p);
    return r !== undefined && r.from <= 1 && r.to >= 65535;
  });

/**
 * What an inbound Allow from the internet (`Internet` or `*`) opens: 'any port' for every port, else the management
 * ports it covers ('SSH (22)', or 'ports 1-1024, SSH (22) among them,'); undefined for a rule that opens neither
 * (443 alone, say, to a web front end: a choice, not a gap).
 */
export function openToInternet(rule: SecurityRuleFact): string | undefined {
  if (rule.direction !== 'Inbound' || rule.access !== 'Allow' || rule.isDefault || !anyone(rule.sources)) return undefined;
  if (anyPort(rule.destinationPorts)) return 'any port';
  const ranges = rule.destinationPorts.flatMap((p) => portRange(p) ?? []);
  const covered = MANAGEMENT_PORTS.filter((m) => ranges.some((r) => r.from <= m.port && m.port <= r.to));
  if (covered.length === 0) return undefined;
  const ports = covered.map((m) => `${m.name} (${m.port})`).join(' and ');
  const exact = covered.every((m) => rule.destinationPorts.some((p) => p.trim() === String(m.port)));
  return exact ? ports : `ports ${rule.destinationPorts.join(', ')}, ${ports} among them,`;
}

export function byPriority(rules: readonly SecurityRuleFact[]): SecurityRuleFact[] {
  return [...rules].sort((a, b) => a.priority - b.priority);
}

/**
 * What happens to traffic leaving for the internet, rule by rule in priority order: an Allow to the internet on
 * every port lets it out; a Deny on every port and protocol stops it, with the Allows to the internet before it
 * on some ports or protocols as its exceptions. A Deny for one protocol or some ports only leaves the rest to later
 * rules; Azure's AllowInternetOutBound (65001) allows whatever nothing before it denied.
 */
export function internetOutbound(nsg: NsgFact): { denied: boolean; rule?: SecurityRuleFact; exceptions: SecurityRuleFact[] } {
  const exceptions: SecurityRuleFact[] = [];
  for (const rule of byPriority(nsg.rules)) {
    if (rule.direction !== 'Outbound' || !anyone(rule.destinations)) continue;
    const everyPort = anyPort(rule.destinationPorts);
    if (rule.access === 'Allow') {
      if (everyPort) return { denied: false, rule, exceptions };
      exceptions.push(rule);
    } else if (everyPort && rule.protocol === '*') return { denied: true, rule, exceptions };
  }
  return { denied: false, exceptions };
}

export function describeRule(rule: SecurityRuleFact): string {
  return `${rule.name} (priority ${rule.priority})`;
}
