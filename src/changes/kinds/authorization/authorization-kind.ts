import { z } from 'zod';
import { armIdName, childArmId } from '../../../network/arm-id';
import { formatBandwidth } from '../../../network/bandwidth';
import type { Circuit, CircuitAuthorization } from '../../../network/types';
import type { ChangeKind, Refusal } from '../../change-kind';
import { declareFields, schemaOf } from '../../kind-fields';
import { ResourceName } from '../shared/input-parts';
import { guardedLook, readFor } from '../shared/verify-reads';
import { MAX_AUTHORIZATIONS_PER_CIRCUIT, STANDARD_VNET_LINKS, vnetLinkLimit } from './circuit-limits';

/**
 * Circuit authorizations for the Connect-To model: a customer redeems the key to link a VNet in its own
 * subscription. The key is a secret. It is never part of the plan, the diff, the outcome or the audit: the
 * kind only names where it lives (`secretForRequester`), and the bot reads it from ARM when it sends it to the
 * requester's 1:1 chat. It can be sent again later the same way, without ever being stored.
 */
export const AUTHORIZATION_FIELDS = declareFields([
  {
    key: 'name',
    label: 'Authorization name',
    noun: "the authorization's name",
    shape: 'name',
    example: 'auth-contoso-hub',
    maxLength: 80,
    schema: ResourceName,
  },
]);
const s = schemaOf(AUTHORIZATION_FIELDS);

export const AuthorizationInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('create'), name: s.name }),
  z.strictObject({ action: z.literal('revoke'), name: s.name }),
]);
export type AuthorizationInput = z.output<typeof AuthorizationInput>;

/**
 * The outcome fact that records which authorization a create produced (its etag at success). The request
 * card does not show it; `key` compares it with the live authorization before reading the key.
 */
export const AUTHORIZATION_VERSION_FACT = 'Authorization version';

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Why a revoked authorization cannot come back. */
const REVOKED_FOR_GOOD = 'A revoked key can never be used again; linking again needs a new authorization.';

function connectionOf(a: CircuitAuthorization): string | undefined {
  if (a.connectionId) return armIdName(a.connectionId);
  return undefined;
}

const isInUse = (a: CircuitAuthorization) => (a.useStatus ?? '').toLowerCase() === 'inuse';

function atLimit(circuit: Circuit): string | undefined {
  const n = circuit.authorizations.length;
  if (n < MAX_AUTHORIZATIONS_PER_CIRCUIT) return undefined;
  return `${circuit.name} has ${n} authorizations; Azure allows at most ${MAX_AUTHORIZATIONS_PER_CIRCUIT} per circuit.`;
}

/** Azure's limit: an 11th authorization is refused; the way forward is to revoke one nobody redeemed. */
function limitRefusal(circuit: Circuit): Refusal | undefined {
  const reason = atLimit(circuit);
  if (reason === undefined) return undefined;
  const unused = circuit.authorizations.filter((a) => !isInUse(a));
  const [first] = unused;
  if (!first) {
    return {
      reason,
      alternative: [
        `All ${circuit.authorizations.length} are in use: revoking one cuts the VNet connection that redeemed it. `,
        { say: 'circuit', args: [circuit.name] },
        ' lists them with their connections.',
      ],
    };
  }
  return {
    reason,
    alternative: [
      `Revoke an unused one first (not redeemed by any VNet): ${unused.map((a) => a.name).join(', ')}. For example `,
      { say: 'authorization', args: [circuit.name, 'revoke', first.name] },
      '.',
    ],
  };
}

export const authorizationKind: ChangeKind<AuthorizationInput> = {
  name: 'authorization',
  title: 'Circuit authorization',
  right: 'request',
  // Authorizations let a VNet link; the circuit itself does not change.
  scope: 'vnet',
  fields: AUTHORIZATION_FIELDS,
  syntax: [
    {
      command: 'authorization',
      target: 'circuit',
      select: ['create', 'add', 'new'],
      preset: { action: 'create' },
      style: 'positional',
      order: ['name'],
    },
    {
      command: 'authorization',
      target: 'circuit',
      select: ['revoke', 'delete', 'remove'],
      preset: { action: 'revoke' },
      style: 'positional',
      order: ['name'],
    },
  ],
  form(on) {
    if (!('circuit' in on)) return [];
    const auths = on.circuit.authorizations;
    return [
      {
        id: 'authorization-create',
        action: 'create',
        title: 'Create an authorization',
        summary:
          'For Connect-To: the customer redeems its key to link a VNet from its own subscription. The key goes only to you, in a 1:1 chat with the bot.',
        creating: true,
        placeholders: { name: 'e.g. auth-contoso-hub' },
        ...(atLimit(on.circuit) ? { unavailable: `${atLimit(on.circuit)} Revoke an unused one first.` } : {}),
      },
      {
        id: 'authorization-revoke',
        action: 'revoke',
        title: 'Revoke an authorization',
        summary: 'Revoking cuts the VNet connection that redeemed it; the request card names it.',
        choices: {
          name: auths.map((a) => ({
            title: `${a.name} (${a.useStatus ?? 'unknown'}${a.connectionId ? `, used by ${armIdName(a.connectionId)}` : ''})`,
            value: a.name,
          })),
        },
        values: { name: auths[0]?.name },
        ...(auths.length === 0 ? { unavailable: `${on.circuit.name} has no authorizations.` } : {}),
      },
    ];
  },
  input: AuthorizationInput,
  needsProvisioned: false,
  check(circuit, input) {
    const existing = circuit.authorizations.find((a) => same(a.name, input.name));
    if (input.action === 'create' && existing) {
      return {
        reason: `${circuit.name} already has an authorization called ${existing.name} (${existing.useStatus ?? 'unknown use'}).`,
        alternative: 'Pick another name.',
      };
    }
    if (input.action === 'create') return limitRefusal(circuit);
    if (!existing) {
      return {
        reason: `${circuit.name} has no authorization called ${input.name}.`,
        alternative: [{ say: 'circuit', args: [circuit.name] }, ' lists its authorizations.'],
      };
    }
    return undefined;
  },
  describe(circuit, input) {
    if (input.action === 'create') {
      const after = circuit.authorizations.length + 1;
      const tier = circuit.sku.tier;
      return {
        diff: { [`Authorization ${input.name}`]: ['(none)', 'created (key sent to you privately)'] },
        impact: {
          downtime: 'none',
          oneWay: false,
          billing: 'No change.',
          disruptive: false,
          notes: [
            `Authorizations: ${after} of the ${MAX_AUTHORIZATIONS_PER_CIRCUIT} Azure allows per circuit, whatever the SKU.`,
            `Redeeming the key adds a VNet link. VNet links have their own limit, Global Reach connections included: ` +
              `${vnetLinkLimit(circuit)} on this ${tier} ${formatBandwidth(circuit.bandwidthMbps)} circuit ` +
              `(${STANDARD_VNET_LINKS} on Local and Standard; 20 to 100 on Premium, by bandwidth).`,
            'The authorization key goes only to you, in a 1:1 chat with the bot, once Azure has created it. It never appears in a channel, a card, a log or the audit trail.',
            'Give it to the customer over a secure channel; they redeem it with the circuit id to link their VNet.',
          ],
        },
      };
    }
    const a = circuit.authorizations.find((x) => same(x.name, input.name));
    const inUse = a !== undefined && isInUse(a);
    const connection = a ? connectionOf(a) : undefined;
    const cut = connection ? `the connection ${connection}` : 'the VNet connection that redeemed it';
    return {
      diff: {
        [`Authorization ${input.name}`]: [`${a?.useStatus ?? 'unknown'}${connection ? `, used by ${connection}` : ''}`, '(revoked)'],
      },
      impact: {
        downtime: inUse ? `expected: ${cut} is cut and its VNet loses its path over this circuit` : 'none: the authorization is not in use',
        oneWay: true,
        billing: 'No change.',
        disruptive: inUse,
        notes: [...(inUse ? [`Will be cut: ${cut}.`] : []), REVOKED_FOR_GOOD],
      },
    };
  },
  patch(_circuit, input) {
    return { resource: 'circuitAuthorization', name: input.name, action: input.action === 'create' ? 'create' : 'delete' };
  },
  isApplied(circuit, input) {
    const a = circuit.authorizations.find((x) => same(x.name, input.name));
    return input.action === 'create' ? a !== undefined && a.provisioningState !== 'Failed' : a === undefined;
  },
  summary(circuit, input) {
    const a = circuit.authorizations.find((x) => same(x.name, input.name));
    return {
      [`Authorization ${input.name}`]: a ? `${a.useStatus ?? 'unknown use'} (${a.provisioningState ?? 'unknown'})` : '(none)',
      Authorizations: String(circuit.authorizations.length),
      ...(input.action === 'create' && a?.etag ? { [AUTHORIZATION_VERSION_FACT]: a.etag } : {}),
    };
  },
  verify: {
    // Only a read-back: an authorization changes nothing on the routers until a VNet redeems it.
    maxMs: 120_000,
    look: (ctx, input) =>
      guardedLook('the circuit', async () => {
        const circuit = await readFor('the circuit', () => ctx.target());
        const a = circuit.authorizations.find((x) => same(x.name, input.name));
        if (input.action === 'revoke') {
          return a
            ? { healthy: false, why: `authorization ${a.name} is still on ${circuit.name} (${a.provisioningState ?? 'unknown state'})` }
            : { healthy: true, evidence: `authorization ${input.name} is gone from ${circuit.name}` };
        }
        if (!a) return { healthy: false, why: `authorization ${input.name} is not on ${circuit.name}` };
        if (a.provisioningState !== 'Succeeded') {
          return { healthy: false, why: `authorization ${a.name} is ${a.provisioningState ?? 'in an unknown state'}, not Succeeded` };
        }
        return {
          healthy: true,
          evidence: `authorization ${a.name} exists on ${circuit.name} (Succeeded, ${a.useStatus ?? 'unknown use'})`,
        };
      }),
  },
  undo(_before, input) {
    if (input.action === 'create') return { kind: 'authorization', input: { action: 'revoke', name: input.name } };
    return { oneWay: `${REVOKED_FOR_GOOD} A new one would be a new key, for the customer to redeem again.` };
  },
  secretForRequester(request, input) {
    if (input.action !== 'create' || request.state !== 'succeeded') return undefined;
    return {
      kind: 'authorizationKey',
      resourceId: childArmId(request.circuitId, 'authorizations', input.name),
      label: `the authorization key of ${input.name}`,
      ...(request.outcome?.after?.[AUTHORIZATION_VERSION_FACT] ? { etag: request.outcome.after[AUTHORIZATION_VERSION_FACT] } : {}),
    };
  },
};
