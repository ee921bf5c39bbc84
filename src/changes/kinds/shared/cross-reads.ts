import type { Circuit } from '../../../network/types';
import type { KindContext, VnetLink } from '../../change-kind';

/**
 * The reads that cross the customer's subscriptions (Resource Graph), kept as facts: what was found, or why it
 * could not be read, so that a rule built on them refuses rather than passing unread.
 */

/** Why a read failed, to quote inside a sentence: the (coded) error's message without its full stop. */
export function failureText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/[.\s]+$/, '');
}

/** The VNet links of a circuit, or why they could not be read. */
export type LinksRead = { ok: true; links: VnetLink[] } | { ok: false; why: string };

/** The circuit's VNet links across the customer's subscriptions. */
export async function readLinks(ctx: KindContext, circuit: Circuit): Promise<LinksRead> {
  if (!ctx.links) return { ok: false, why: 'the bot has no reader for VNet links' };
  try {
    return { ok: true, links: await ctx.links.listVnetLinks(ctx.scope, ctx.subscriptions, circuit) };
  } catch (e) {
    return { ok: false, why: failureText(e) };
  }
}
