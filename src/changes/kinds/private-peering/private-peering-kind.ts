import type { z } from 'zod';
import { type Circuit, PEERING_ARM_NAME } from '../../../network/types';
import type { ChangeKind, KindDeclaration } from '../../change-kind';
import { labelsOf } from '../../kind-fields';
import { peeringOf, peeringSummary } from '../shared/peering-view';
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

/** Private peering: the link (VLAN, ASN, two /30s, or two /126s for its IPv6 side) and its MD5 key. */
export const PRIVATE_PEERING_FIELDS = [...LINK_FIELDS, ...KEY_FIELDS] as const;
const LABELS = labelsOf(PRIVATE_PEERING_FIELDS);

const schemas = peeringSchemas(PRIVATE_PEERING_FIELDS, {});
export const privatePeeringInput = schemas.stored;
export type PrivatePeeringInput = z.output<ReturnType<typeof privatePeeringInput>>;

/** What the parser and help need without a vault: name, title, fields and typed syntax. */
export const PRIVATE_PEERING = {
  name: 'private-peering',
  title: 'Private peering',
  fields: PRIVATE_PEERING_FIELDS,
  syntax: [{ command: 'peering', target: 'circuit', select: PEERING_WORDS.private, style: 'keywords' }],
} as const satisfies KindDeclaration;

export function privatePeeringKind(vault: SecretVault): ChangeKind<PrivatePeeringInput, PeeringFacts> {
  const armName = PEERING_ARM_NAME.private;
  const fields = PRIVATE_PEERING_FIELDS;
  const change = (circuit: Circuit, input: PrivatePeeringInput) => peeringChange(fields, circuit, 'private', input);
  return {
    ...PRIVATE_PEERING,
    right: 'request',
    scope: 'circuit',
    form: (on) => ('circuit' in on ? [peeringFormPlan(fields, on.circuit, peeringOf(on.circuit, 'private'), 'private peering')] : []),
    input: privatePeeringInput(),
    requestInput: (owner) => schemas.typed(vault, owner),
    needsProvisioned: true,
    gather: (ctx, circuit, input) => gatherPeeringFacts(ctx, circuit, change(circuit, input), { links: true }),
    check(circuit, input, facts) {
      const c = change(circuit, input);
      const refusal =
        separationRefusal(circuit, 'private', facts?.customer) ??
        checkPeeringFields(circuit, armName, c, fields) ??
        peeringFactsRefusal(circuit, c, facts);
      if (refusal) return refusal;
      if (c.peering && Object.keys(this.describe(circuit, input).diff).length === 0) {
        return { reason: `${armName} on ${circuit.name} already has these settings.`, alternative: 'Change at least one value.' };
      }
      return undefined;
    },
    describe(circuit, input) {
      const c = change(circuit, input);
      const diff = settingsDiff(fields, c.now, c.to, c.family);
      const key = keyDiff(c.peering?.hasSharedKey ?? false, input);
      if (key) diff[LABELS.sharedKey] = key;
      const notes = key ? ['The MD5 key is never shown or stored in the request; set the same key on your routers.'] : [];
      return describePeeringChange(circuit, armName, c.peering !== undefined, diff, notes);
    },
    patch: (circuit, input) => peeringPatch(vault, armName, fields, circuit, change(circuit, input).to, input),
    isApplied: (circuit, input) => peeringApplied(change(circuit, input), fields, input),
    summary: (circuit) => peeringSummary(circuit, 'private'),
    verify: peeringVerification(fields, 'private'),
    undo: (before, input) => peeringUndo(PRIVATE_PEERING.name, fields, before, 'private', input),
  };
}
