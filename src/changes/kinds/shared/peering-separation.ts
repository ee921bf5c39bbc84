import { peeringLabel } from '../../../network/health';
import type { Circuit } from '../../../network/types';
import type { KindCustomer, Refusal } from '../../change-kind';
import { peeringOf } from './peering-view';

/**
 * "Depending on the customer's security posture, public and private traffic may not be allowed on the same circuit"
 * (the CSP guidance). With `separatePublicAndPrivate` in the customer's directory entry, a circuit that carries
 * private peering gets no Microsoft (or Azure public) peering, and the other way round. Only adding the second kind
 * is refused: a circuit that already carries both is a gap for `security` to show, and changing either peering
 * there does not make it worse.
 */
export function separationRefusal(
  circuit: Circuit,
  adding: 'private' | 'microsoft',
  customer: KindCustomer | undefined,
): Refusal | undefined {
  if (!customer?.security.separatePublicAndPrivate || peeringOf(circuit, adding)) return undefined;
  const present = (adding === 'private' ? (['microsoft', 'public'] as const) : (['private'] as const)).find((k) => peeringOf(circuit, k));
  if (!present) return undefined;
  const wanted = peeringLabel(adding);
  return {
    reason:
      `${customer.name}'s security posture keeps public and private traffic on separate circuits (separatePublicAndPrivate in the directory), ` +
      `and ${circuit.name} already carries ${peeringLabel(present)}, so ${wanted} cannot be added to it.`,
    alternative: [
      `Use a separate circuit for ${wanted}, one without ${adding === 'private' ? 'Microsoft or public' : 'private'} peering; `,
      { say: 'circuits', args: [customer.id] },
      ' lists them.',
    ],
  };
}
