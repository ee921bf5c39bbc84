import { z } from 'zod';
import { hintText } from '../../../command-names';
import { armIdName } from '../../../network/arm-id';
import { MICROSOFT_PEERING_LIMIT } from '../../../network/prefix-limits';
import { type Circuit, PEERING_ARM_NAME } from '../../../network/types';
import type { ChangeKind, KindDeclaration, PeeringFields, Refusal } from '../../change-kind';
import { isPrivateAsn } from '../../validators/asn';
import { isAligned, parsePrefix } from '../../../network/ip-prefix';
import { nonPublicReason } from '../../validators/special-ranges';
import { oneOf, Prefix, WholeNumber } from '../shared/input-parts';
import { peeringOf, peeringSummary } from '../shared/peering-view';
import { declareFields, labelsOf } from '../../kind-fields';
import {
  checkPeeringFields,
  describePeeringChange,
  KEY_FIELDS,
  keyDiff,
  LINK_FIELDS,
  peeringApplied,
  peeringChange,
  peeringFormPlan,
  peeringPatch,
  peeringSchemas,
  settingsDiff,
} from '../shared/peering-fields';
import { gatherPeeringFacts, type PeeringFacts, peeringFactsRefusal } from '../shared/peering-reality';
import { peeringUndo } from '../shared/peering-undo';
import { peeringVerification } from '../shared/peering-verification';
import { separationRefusal } from '../shared/peering-separation';
import { PEERING_WORDS } from '../shared/peering-words';
import type { SecretVault } from '../shared/secret-vault';

/** The routing registries ExpressRoute accepts for Microsoft peering prefix validation. */
export const ROUTING_REGISTRIES = ['ARIN', 'APNIC', 'AFRINIC', 'LACNIC', 'RIPENCC', 'RADB', 'ALTDB', 'LEVEL3'] as const;

/** Microsoft peering: the link, the public prefixes it advertises, whose they are, and the MD5 key. */
export const MICROSOFT_PEERING_FIELDS = declareFields([
  ...LINK_FIELDS,
  {
    key: 'advertisedPublicPrefixes',
    label: 'Advertised prefixes',
    noun: 'the advertised public prefixes',
    help: 'comma-separated; no private ranges',
    shape: 'prefixes',
    example: '145.14.8.0/24,145.14.9.0/24',
    words: ['prefixes', 'prefix', 'advertise'],
    maxLength: 2000,
    schema: z.array(Prefix).min(1).max(MICROSOFT_PEERING_LIMIT).optional(),
  },
  {
    key: 'customerAsn',
    label: 'Customer ASN',
    noun: 'a customer ASN',
    help: 'optional: when the prefixes are your customer’s',
    shape: 'asn',
    example: '64500',
    words: ['customer-asn', 'customerasn'],
    optional: true,
    maxLength: 10,
    schema: WholeNumber.pipe(z.number().min(1).max(4_294_967_295)).optional(),
  },
  {
    key: 'routingRegistryName',
    label: 'Routing registry',
    noun: 'a routing registry',
    help: 'the one the prefixes are registered in',
    shape: 'choice',
    choices: ROUTING_REGISTRIES,
    example: 'RIPENCC',
    words: ['registry', 'rir'],
    schema: oneOf(ROUTING_REGISTRIES).optional(),
  },
  ...KEY_FIELDS,
]);
const LABELS = labelsOf(MICROSOFT_PEERING_FIELDS);

/** Azure public peering can be named only to be told it is gone. */
const peeringType = z.enum(['MicrosoftPeering', 'AzurePublicPeering']).optional();
const schemas = peeringSchemas(MICROSOFT_PEERING_FIELDS, { peeringType });
export const microsoftPeeringInput = schemas.stored;
export type MicrosoftPeeringInput = z.output<ReturnType<typeof microsoftPeeringInput>>;

/** What the parser and help need without a vault: name, title, fields and typed syntax. */
export const MICROSOFT_PEERING = {
  name: 'microsoft-peering',
  title: 'Microsoft peering',
  fields: MICROSOFT_PEERING_FIELDS,
  syntax: [{ command: 'peering', target: 'circuit', select: PEERING_WORDS.microsoft, style: 'keywords' }],
} as const satisfies KindDeclaration;

/** The first prefix that is not a public prefix a customer can own and advertise, with why. */
function publicPrefixRefusal(label: string, prefixes: readonly string[]): Refusal | undefined {
  for (const text of prefixes) {
    const r = parsePrefix(text);
    if (!r.ok) return { reason: `${label}: ${r.reason}.`, alternative: 'Write prefixes as address/length.' };
    if (!isAligned(r.prefix)) {
      return { reason: `${label} ${text} is not network-aligned.`, alternative: `Use ${r.prefix.text}.` };
    }
    const why = nonPublicReason(r.prefix);
    if (why) {
      return {
        reason: `${label} ${text} is not a public prefix (${why}); Microsoft peering only carries public addresses you own.`,
        alternative:
          'Use public prefixes registered to you (or your customer) in a routing registry; reach private ranges over private peering.',
      };
    }
  }
  return undefined;
}

/**
 * Azure allows a private ASN on Microsoft peering, with manual validation ("ExpressRoute routing requirements":
 * private AS numbers are allowed, but need manual validation): accepted, and the request says what follows.
 */
function privateAsnNotes(now: PeeringFields, to: PeeringFields): string[] {
  const notes: string[] = [];
  for (const [what, asn, was] of [
    ['Peer ASN', to.peerAsn, now.peerAsn],
    ['Customer ASN', to.customerAsn, now.customerAsn],
  ] as const) {
    // An ASN already in place was validated (or is being); only a new one starts validation.
    if (typeof asn !== 'number' || asn === was || !isPrivateAsn(asn)) continue;
    notes.push(
      `Warning: ${what} ${asn} is private: Azure allows it on Microsoft peering only after manual validation, and until then the peering stays in ValidationNeeded, advertising nothing. Open an Azure support request, or use a public ASN.`,
    );
  }
  return notes;
}

export function microsoftPeeringKind(vault: SecretVault): ChangeKind<MicrosoftPeeringInput, PeeringFacts> {
  const armName = PEERING_ARM_NAME.microsoft;
  const fields = MICROSOFT_PEERING_FIELDS;
  const change = (circuit: Circuit, input: MicrosoftPeeringInput) => peeringChange(fields, circuit, 'microsoft', input);
  return {
    ...MICROSOFT_PEERING,
    right: 'request',
    scope: 'circuit',
    form: (on) => {
      if (!('circuit' in on)) return [];
      const p = peeringOf(on.circuit, 'microsoft');
      const filter = p?.routeFilterId
        ? `Route filter ${armIdName(p.routeFilterId)} is attached.`
        : 'Nothing is advertised to you until a route filter is attached.';
      return [
        peeringFormPlan(fields, on.circuit, p, 'Microsoft peering', `${filter} Azure public peering is deprecated and cannot be created.`),
      ];
    },
    input: microsoftPeeringInput(),
    requestInput: (owner) => schemas.typed(vault, owner),
    needsProvisioned: true,
    // The VLAN against the other circuits of a Direct port pair; Microsoft peering's public subnets never sit in a VNet.
    gather: (ctx, circuit, input) => gatherPeeringFacts(ctx, circuit, change(circuit, input), { links: false }),
    check(circuit, input, facts) {
      if (input.peeringType === 'AzurePublicPeering') {
        return {
          reason: 'Azure public peering is deprecated: it cannot be created on a circuit, and Microsoft no longer changes it.',
          alternative: [
            'Use Microsoft peering with a route filter for Azure PaaS and Microsoft 365 public endpoints (a microsoft-peering change: the form of ',
            { say: 'change', args: [circuit.name] },
            ').',
          ],
        };
      }
      const c = change(circuit, input);
      const to = c.to;
      const refusal =
        separationRefusal(circuit, 'microsoft', facts?.customer) ??
        checkPeeringFields(circuit, armName, c, fields) ??
        peeringFactsRefusal(circuit, c, facts);
      if (refusal) return refusal;
      const subnets = [to.primaryPeerAddressPrefix, to.secondaryPeerAddressPrefix].filter((s): s is string => s !== undefined);
      const subnetRefusal = publicPrefixRefusal(
        'Microsoft peering needs public link subnets; the subnet',
        input.primaryPeerAddressPrefix || input.secondaryPeerAddressPrefix ? subnets : [],
      );
      if (subnetRefusal) return subnetRefusal;
      const prefixRefusal = publicPrefixRefusal('The advertised prefix', input.advertisedPublicPrefixes ?? []);
      if (prefixRefusal) return prefixRefusal;
      if (c.peering && Object.keys(this.describe(circuit, input).diff).length === 0) {
        return { reason: `${armName} on ${circuit.name} already has these settings.`, alternative: 'Change at least one value.' };
      }
      return undefined;
    },
    describe(circuit, input) {
      const { peering: existing, now, to, family } = change(circuit, input);
      const diff = settingsDiff(fields, now, to, family);
      const key = keyDiff(existing?.hasSharedKey ?? false, input);
      if (key) diff[LABELS.sharedKey] = key;
      const notes = [
        existing?.routeFilterId
          ? "Microsoft advertises only the services of the attached route filter's communities."
          : hintText([
              'Nothing is advertised to you over Microsoft peering until a route filter is attached (',
              { say: 'filter', args: [circuit.name, 'attach', '<filter>'] },
              ').',
            ]),
        'Microsoft validates that the advertised prefixes and ASN are registered to you in the routing registry; until then the peering stays in validation.',
        ...privateAsnNotes(now, to),
        ...(key ? ['The MD5 key is never shown or stored in the request; set the same key on your routers.'] : []),
      ];
      return describePeeringChange(circuit, armName, existing !== undefined, diff, notes);
    },
    patch: (circuit, input) => peeringPatch(vault, armName, fields, circuit, change(circuit, input).to, input),
    isApplied: (circuit, input) => peeringApplied(change(circuit, input), fields, input),
    summary: (circuit) => peeringSummary(circuit, 'microsoft'),
    verify: peeringVerification(fields, 'microsoft'),
    undo: (before, input) => peeringUndo(MICROSOFT_PEERING.name, fields, before, 'microsoft', input),
  };
}
