import type { CircuitSpec, PeeringSpec } from './circuit-fixture';

/** Each thing an on-call engineer must spot, as a generated circuit can show it. */
export const FAILURE_MODES = [
  'bgp-one-down',
  'bgp-both-down',
  'arp-missing',
  'prefixes-near-limit',
  'utilisation-high',
  'rate-limit-drops',
  'provider-not-provisioned',
] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

/** 85% of Standard's 4,000-route private-peering limit: past the 80% warning, short of the session drop. */
export const NEAR_LIMIT_ROUTES = 3400;

/** The circuit spec changed so that it shows `mode` (and nothing else wrong). */
export function withFailure(spec: CircuitSpec, mode: FailureMode): CircuitSpec {
  const [first, ...rest] = spec.peerings;
  const firstPeering = (change: (p: PeeringSpec) => PeeringSpec): PeeringSpec[] => (first ? [change(first), ...rest] : []);
  switch (mode) {
    case 'bgp-one-down':
      return {
        ...spec,
        peerings: firstPeering((p) => ({ ...p, secondary: { ...p.secondary, bgpUp: false } })),
        ...(spec.utilisation ? { utilisation: { ...spec.utilisation, inSecondary: 0, outSecondary: 0 } } : {}),
      };
    case 'bgp-both-down':
      return {
        ...withoutTraffic(spec),
        peerings: firstPeering((p) => ({ ...p, primary: { ...p.primary, bgpUp: false }, secondary: { ...p.secondary, bgpUp: false } })),
      };
    case 'arp-missing':
      // BGP up on the primary but no ARP entries: the table the MSEE shows is empty.
      return { ...spec, peerings: firstPeering((p) => ({ ...p, primary: { ...p.primary, arp: false } })) };
    case 'prefixes-near-limit':
      return { ...spec, tier: 'Standard', peerings: firstPeering((p) => ({ ...p, routes: { ...p.routes, received: NEAR_LIMIT_ROUTES } })) };
    case 'utilisation-high':
      return { ...spec, utilisation: { inPrimary: 0.92, inSecondary: 0.88, outPrimary: 0.45, outSecondary: 0.4 } };
    case 'rate-limit-drops': {
      const bps = bandwidthBps(spec);
      return {
        ...spec,
        utilisation: spec.utilisation ?? { inPrimary: 0.6, inSecondary: 0.5, outPrimary: 0.3, outSecondary: 0.25 },
        qosDrops: { inBps: Math.round(bps * 0.02), outBps: Math.round(bps * 0.01) },
      };
    }
    case 'provider-not-provisioned':
      return { ...withoutTraffic(spec), serviceProviderProvisioningState: 'NotProvisioned', peerings: [] };
  }
}

/** No metrics fixture: traffic is then derived from the state (none without BGP). */
function withoutTraffic(spec: CircuitSpec): CircuitSpec {
  const copy = { ...spec };
  delete copy.utilisation;
  return copy;
}

function bandwidthBps(spec: CircuitSpec): number {
  return spec.provider ? spec.provider.bandwidthInMbps * 1e6 : (spec.direct?.bandwidthInGbps ?? 1) * 1e9;
}
