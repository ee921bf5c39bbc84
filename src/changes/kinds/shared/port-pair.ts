import { armIdName } from '../../../network/arm-id';
import type { Circuit } from '../../../network/types';
import type { KindContext, PortCircuit, Refusal } from '../../change-kind';

/** The circuits on a Direct circuit's port pair, or why they could not be read. */
export type PortPairRead = { ok: true; circuits: PortCircuit[] } | { ok: false; why: string };

/** Why a read failed, to quote inside a sentence: the (coded) error's message without its full stop. */
export function failureText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');
}

/** Every circuit on the port pair of a Direct circuit, across the customer's subscriptions (Resource Graph). */
export async function readPortPair(ctx: KindContext, portId: string): Promise<PortPairRead> {
  if (!ctx.ports) return { ok: false, why: 'the bot has no reader for ExpressRoute Direct ports' };
  try {
    return { ok: true, circuits: await ctx.ports.listPortCircuits(ctx.scope, ctx.subscriptions, portId) };
  } catch (e) {
    return { ok: false, why: failureText(e) };
  }
}

/**
 * Fail closed: a rule of the port pair that cannot be checked is a refusal, because what it guards against (a
 * duplicate C-Tag, an oversubscribed pair) hits every circuit on the pair, not only this one.
 */
export function portUnreadRefusal(circuit: Circuit, why: string, risk: string): Refusal {
  const port = circuit.direct ? armIdName(circuit.direct.portId) : 'its port';
  return {
    reason: `The circuits on ${circuit.name}'s ExpressRoute Direct port pair ${port} could not be read (${why}). ${risk}`,
    alternative:
      'Try again in a few minutes. If it keeps failing, check that the bot can read every subscription of the customer: circuits on a port pair can sit in any of them.',
  };
}
