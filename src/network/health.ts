import { hintText } from '../command-names';
import { pathBgpState, neighbourState } from './bgp';
import type { Part } from './part';
import { assessPrefixCount, familyOf, prefixLimit } from './prefix-limits';
import type { ArpEntry, BgpNeighbour, Circuit, DevicePath, Peering, PeeringKind } from './types';

/** What is known of one link's BGP, whichever source told: the router's summary or Azure Monitor. */
export interface BgpEvidence {
  up: boolean;
  /** Why it is down, e.g. "10.0.0.1 Idle" or "BgpAvailability 0% at 03:12". */
  problem?: string;
  /** Prefixes received per established neighbour; absent when the source has no counts (metrics). */
  prefixes?: { count: number; family: 'ipv4' | 'ipv6' }[];
}

/** Whether the customer's router answers ARP on a link. */
export interface ArpEvidence {
  /** An entry from the customer side with a resolved MAC (router read), or ArpAvailability 100% (metrics). */
  ok: boolean;
  /** Entries in the router's table, when it was read. */
  entries?: number;
  resolved?: number;
}

/** The router's BGP summary of one link, as evidence. */
export function bgpFromNeighbours(neighbours: readonly BgpNeighbour[]): BgpEvidence {
  const state = pathBgpState(neighbours);
  const evidence: BgpEvidence = { up: state.up, prefixes: [] };
  if (state.problem !== undefined) evidence.problem = state.problem;
  for (const n of neighbours) {
    const s = neighbourState(n);
    if (s.established && s.prefixes !== undefined) evidence.prefixes!.push({ count: s.prefixes, family: familyOf(n.neighbor) });
  }
  return evidence;
}

/** The router's ARP table of one link, as evidence. */
export function arpFromEntries(entries: readonly ArpEntry[]): ArpEvidence {
  const resolved = customerArpEntries(entries).length;
  return { ok: resolved > 0, entries: entries.length, resolved };
}
import { formatBps, type Utilisation } from './utilisation';

export type HealthLevel = 'red' | 'amber' | 'unknown' | 'green';

/** Worst first. Unknown ranks above green: "we couldn't tell" must never read as "fine". */
export const LEVEL_ORDER: readonly HealthLevel[] = ['red', 'amber', 'unknown', 'green'];

export function levelRank(level: HealthLevel): number {
  return LEVEL_ORDER.indexOf(level);
}

export interface HealthReason {
  level: HealthLevel;
  text: string;
}

export interface HealthVerdict {
  level: HealthLevel;
  /** Worst first; never empty. */
  reasons: HealthReason[];
  /** Set while ARM is changing the circuit (Updating, Creating, Deleting): writes are blocked. */
  writeInProgress?: string;
}

/** What was read on one link of one peering. */
export interface PathObservation {
  /** ARM peering name, e.g. AzurePrivatePeering. */
  peering: string;
  kind: PeeringKind;
  path: DevicePath;
  bgp: Part<BgpEvidence>;
  /**
   * Undefined when ARP was not read because the link's BGP session is established: BGP runs over that link, so
   * an established session proves both ends resolved each other. Fleet-wide checks skip those reads.
   */
  arp?: Part<ArpEvidence>;
}

export interface HealthInput {
  circuit: Circuit;
  /** Omit to judge only the circuit's own states (e.g. a quick list); give it to judge BGP and ARP too. */
  paths?: readonly PathObservation[];
  /** Omit to skip the utilisation check. */
  utilisation?: Part<Utilisation>;
}

const WRITE_STATES = ['updating', 'creating', 'deleting'];

const PEERING_LABEL: Record<PeeringKind, string> = {
  private: 'private peering',
  microsoft: 'Microsoft peering',
  public: 'public peering',
};

export function peeringLabel(kind: PeeringKind): string {
  return PEERING_LABEL[kind];
}

export function isWriteInProgress(circuit: Circuit): boolean {
  return WRITE_STATES.includes(circuit.provisioningState.toLowerCase());
}

export function isUsable(circuit: Circuit): boolean {
  return (
    circuit.serviceProviderProvisioningState.toLowerCase() === 'provisioned' && circuit.circuitProvisioningState.toLowerCase() === 'enabled'
  );
}

/** A peering's admin state; ARM leaves it unset on some older peerings, which are enabled. */
export function isPeeringEnabled(state: string | undefined): boolean {
  return state === undefined || state.toLowerCase() !== 'disabled';
}

/** A MAC the router resolved; "Incomplete" or empty means the customer side never answered ARP. */
function isResolvedMac(mac: string): boolean {
  return /^[0-9a-f]{2}([:.-]?[0-9a-f]{2}){5}$/i.test(mac.trim()) || /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(mac.trim());
}

/** Entries for the customer's side of the link: the Microsoft interface always lists itself. */
export function customerArpEntries(entries: readonly ArpEntry[]): ArpEntry[] {
  return entries.filter((e) => !/microsoft/i.test(e.interface ?? '') && isResolvedMac(e.macAddress));
}

/**
 * What an ARP table says about a link, after Azure's guide ("Getting ARP tables in the Resource Manager
 * deployment model", How to use this information): no table at all points at the Microsoft side; an
 * Incomplete MAC for the on-premises side, or only Microsoft's own entry, points at the on-premises or
 * connectivity provider side.
 */
export type ArpFinding = 'ok' | 'empty' | 'peer-missing';

export function arpFinding(entries: readonly ArpEntry[]): ArpFinding {
  if (entries.length === 0) return 'empty';
  return customerArpEntries(entries).length > 0 ? 'ok' : 'peer-missing';
}

/** What a finding means and what to do, in sentences of their own. */
export const ARP_ADVICE: Record<Exclude<ArpFinding, 'ok'>, string> = {
  empty:
    "The ARP table is empty: Azure's ARP troubleshooting guide puts that on the Microsoft side. Open a Microsoft support ticket for a layer 2 connectivity issue.",
  'peer-missing':
    "The on-premises MAC is not resolved (Incomplete, or only Microsoft's own entry): that points at the on-premises or connectivity provider side. Check that the C-Tag and S-Tag VLANs match and that the on-premises side holds the first address of the /30 (Azure always takes the second); otherwise open a request with the provider.",
};

const ARP_SIDES = 'An empty table points at the Microsoft side; an unresolved on-premises MAC at the on-premises or provider side.';

export function assessHealth(input: HealthInput): HealthVerdict {
  const { circuit } = input;
  const reasons: HealthReason[] = [];
  const add = (level: HealthLevel, text: string) => reasons.push({ level, text });

  judgeProviderState(circuit, add);
  judgeRetiredPeerings(circuit, add);
  judgeMicrosoftPeering(circuit, add);
  if (circuit.circuitProvisioningState.toLowerCase() !== 'enabled') {
    add('red', `Not usable: Microsoft's side is ${circuit.circuitProvisioningState || 'unknown'}, not Enabled.`);
  }

  let writeInProgress: string | undefined;
  if (isWriteInProgress(circuit)) {
    writeInProgress = circuit.provisioningState;
    add('amber', `A change is in progress (${circuit.provisioningState}); other changes wait until it finishes.`);
  } else if (circuit.provisioningState.toLowerCase() === 'failed') {
    add('amber', 'The last ARM operation on this circuit failed (provisioningState Failed).');
  }

  if (input.paths) judgePaths(circuit, input.paths, add);
  if (input.utilisation) judgeUtilisation(input.utilisation, add);

  reasons.sort((a, b) => levelRank(a.level) - levelRank(b.level));
  const level = reasons[0]?.level ?? 'green';
  if (reasons.length === 0) add('green', 'Provisioned, and every check passed.');
  const verdict: HealthVerdict = { level, reasons };
  if (writeInProgress !== undefined) verdict.writeInProgress = writeInProgress;
  return verdict;
}

type Add = (level: HealthLevel, text: string) => void;

/**
 * The provider's side. NotProvisioned and Provisioning are normal stages of a new circuit, not faults: it is not
 * in service yet, and the next step is the provider's. Deprovisioning is a warning: it is going out of service.
 */
function judgeProviderState(circuit: Circuit, add: Add): void {
  const state = circuit.serviceProviderProvisioningState;
  const provider = circuit.provider?.name ?? 'the provider';
  switch (state.toLowerCase()) {
    case 'provisioned':
      return;
    case 'notprovisioned':
      // A circuit with peerings was in service: the provider took it back, and its traffic has stopped.
      if (circuit.peerings.length > 0) {
        add(
          'red',
          `Out of service (NotProvisioned): ${provider} has deprovisioned this circuit, which has peerings. Next: contact ${provider} with the service key.`,
        );
        return;
      }
      add(
        'amber',
        `Not in service yet (NotProvisioned): a new circuit waiting for ${provider}. Next: ${provider} provisions it with its service key; then peerings can be set up.`,
      );
      return;
    case 'provisioning':
      add(
        'amber',
        `Not in service yet (Provisioning): ${provider} is provisioning the circuit. Next: ${provider} finishes; then peerings can be set up.`,
      );
      return;
    case 'deprovisioning':
      add(
        'amber',
        `Going out of service (Deprovisioning): ${provider} is deprovisioning the circuit. If that is not intended, contact ${provider} now.`,
      );
      return;
    default:
      add('red', `Not usable: the provider state is ${state || 'unknown'}, not Provisioned.`);
  }
}

/**
 * Azure public peering is retired (deprecated for new circuits, retired on 31 March 2024); a circuit that still
 * has one is flagged, whatever its state, with the migration as the next step.
 */
function judgeRetiredPeerings(circuit: Circuit, add: Add): void {
  for (const p of circuit.peerings.filter((x) => x.kind === 'public')) {
    add(
      'amber',
      `Azure public peering (${p.name}) is retired (since 31 March 2024). ` +
        'Next: move its traffic to Microsoft peering with a route filter, then delete the public peering.',
    );
  }
}

/** ARM's advertisedPublicPrefixesState while Microsoft has not validated the advertised prefixes. */
export function awaitsPrefixValidation(peering: Peering | undefined): boolean {
  return peering?.kind === 'microsoft' && peering.advertisedPublicPrefixesState?.toLowerCase() === 'validationneeded';
}

/**
 * Microsoft peering advertises nothing until Microsoft has validated the advertised prefixes
 * (advertisedPublicPrefixesState ValidationNeeded: the BGP sessions stay down meanwhile) and until a route filter
 * is attached (Azure: "Configure a route filter for Microsoft peering"; peerings configured since 1 August 2017
 * get no prefixes without one). Each is its own verdict with the next step, not a bare "BGP down".
 */
function judgeMicrosoftPeering(circuit: Circuit, add: Add): void {
  for (const p of circuit.peerings.filter((x) => x.kind === 'microsoft' && isPeeringEnabled(x.state))) {
    if (awaitsPrefixValidation(p)) {
      const asn = p.customerAsn || p.peerAsn;
      const registry = p.routingRegistryName ? ` in ${p.routingRegistryName}` : ' in the routing registry';
      add(
        'amber',
        `Microsoft peering: Microsoft is validating the advertised prefixes (ValidationNeeded); until then nothing is advertised and its BGP sessions stay down. ` +
          `Next: check that the prefixes are registered${asn ? ` to AS ${asn}` : ''}${registry}, and complete the validation Microsoft asks for; ` +
          'a private ASN, or prefixes the registry does not match, are validated by hand through an Azure support request.',
      );
    }
    if (!p.routeFilterId) {
      add(
        'amber',
        hintText([
          'Microsoft peering has no route filter: nothing is advertised to you until one is attached. Next: ',
          { say: 'filter', args: [circuit.name, 'attach', '<filter>'] },
          ' (create one first with ',
          { say: 'filter', args: [circuit.name, 'create', '<name>', 'communities', '<communities>'] },
          ' if there is none).',
        ]),
      );
    }
  }
}

function judgePaths(circuit: Circuit, paths: readonly PathObservation[], add: Add): void {
  const byPeering = new Map<string, PathObservation[]>();
  for (const p of paths) {
    const peering = circuit.peerings.find((x) => x.name === p.peering);
    // Disabled peerings are down on purpose; judging their BGP would cry wolf.
    if (peering && !isPeeringEnabled(peering.state)) continue;
    byPeering.set(p.peering, [...(byPeering.get(p.peering) ?? []), p]);
  }
  for (const observations of byPeering.values()) {
    const first = observations[0];
    if (!first) continue;
    const label = peeringLabel(first.kind);
    const down: { path: DevicePath; why: string }[] = [];
    for (const o of observations) {
      if (!o.bgp.ok) {
        add('unknown', `BGP on the ${o.path} link of ${label} is unknown: ${o.bgp.error.message}`);
        continue;
      }
      const state = o.bgp.value;
      if (!state.up) down.push({ path: o.path, why: state.problem ?? 'down' });
      judgePrefixes(circuit, o, state, label, add);
    }
    const [onlyDown] = down;
    // Down while Microsoft validates the prefixes is expected: judgeMicrosoftPeering says why and what to do.
    if (awaitsPrefixValidation(circuit.peerings.find((x) => x.name === first.peering))) {
      judgeArp(observations, label, add);
      continue;
    }
    if (down.length >= 2) {
      add('red', `Both BGP sessions of ${label} are down (${down.map((d) => `${d.path}: ${d.why}`).join('; ')}).`);
    } else if (onlyDown) {
      add('amber', `High availability lost on ${label}: the ${onlyDown.path} BGP session is down (${onlyDown.why}).`);
    }
    judgeArp(observations, label, add);
  }
}

function judgePrefixes(circuit: Circuit, o: PathObservation, bgp: BgpEvidence, label: string, add: Add) {
  for (const { count, family } of bgp.prefixes ?? []) {
    const usage = assessPrefixCount(count, prefixLimit(o.kind, circuit.sku, family));
    if (usage.level === 'ok') continue;
    const pct = Math.round(usage.ratio * 100);
    const tail = usage.level === 'over' ? 'at the limit: the session drops if it grows' : 'past the 80% warning line';
    add(
      'amber',
      `${label} ${o.path} receives ${usage.count} ${family === 'ipv6' ? 'IPv6 ' : ''}prefixes of ${usage.limit} allowed (${pct}%), ${tail}.`,
    );
  }
}

function judgeArp(observations: readonly PathObservation[], label: string, add: Add): void {
  for (const o of observations) {
    if (o.arp === undefined) continue;
    if (!o.arp.ok) {
      add('unknown', `ARP on the ${o.path} link of ${label} is unknown: ${o.arp.error.message}`);
      continue;
    }
    const arp = o.arp.value;
    if (arp.ok) continue;
    const finding = arp.entries === undefined ? undefined : arp.entries === 0 ? 'empty' : 'peer-missing';
    // Both sources start alike, so the routers and Azure Monitor give the same verdict; only a table tells the side.
    const failing = `ARP on the ${o.path} link of ${label} fails`;
    add(
      'amber',
      finding
        ? `${failing}. ${ARP_ADVICE[finding]}`
        : `${failing} (ArpAvailability): read its ARP table to tell which side is at fault. ${ARP_SIDES}`,
    );
  }
}

function judgeUtilisation(part: Part<Utilisation>, add: Add): void {
  if (!part.ok) {
    add('unknown', `Utilisation is unknown: ${part.error.message}`);
    return;
  }
  if (part.value.dropsUnread) add('unknown', 'Rate-limit drops are unknown: Azure Monitor did not give them this time.');
  const drops = part.value.drops;
  if (drops && (drops.inBps > 0 || drops.outBps > 0)) {
    add(
      'amber',
      `Rate limiting is dropping traffic (${formatBps(drops.inBps)} in, ${formatBps(drops.outBps)} out): more is sent than the provisioned bandwidth; upgrade the circuit or shape the traffic.`,
    );
  }
  const busiest = part.value.busiest;
  if (part.value.hot && busiest) {
    add(
      'amber',
      `Busy: the ${busiest.path} link averaged ${Math.round(busiest.averagePct)}% of provisioned ${busiest.direction === 'in' ? 'inbound' : 'outbound'} over the last hour.`,
    );
  }
}
