import { isPeeringEnabled } from '../../../network/health';
import { type Circuit, DEVICE_PATHS, PEERING_ARM_NAME } from '../../../network/types';
import type { KindVerification } from '../../change-kind';
import type { KindField } from '../../kind-fields';
import { lookAtSessions, sessionBaseline } from './bgp-sessions';
import { peeringChange, peeringMismatch, type StoredKey } from './peering-fields';
import { peeringOf } from './peering-view';
import { guardedLook, readFor } from './verify-reads';

/**
 * "Healthy after" for a change of a peering's settings (private or Microsoft): the peering reads back as asked,
 * both of its BGP sessions are established again, and each receives about as many prefixes as just before the
 * change (within PREFIX_TOLERANCE); a session without a count from before is only checked for being up.
 */
export function peeringVerification<I extends StoredKey & object>(
  fields: readonly KindField[],
  kind: 'private' | 'microsoft',
): KindVerification<I, Circuit> {
  const armName = PEERING_ARM_NAME[kind];
  return {
    baseline: (ctx, before) => {
      const peering = peeringOf(before, kind);
      // A peering being created received nothing before: its sessions only have to come up.
      if (!peering) return Promise.resolve(Object.fromEntries(DEVICE_PATHS.map((path) => [path, 0])));
      return sessionBaseline(ctx.reader, { scope: ctx.scope, circuitId: before.id, peering: peering.name });
    },
    look: (ctx, input, baseline) =>
      guardedLook('the circuit', async () => {
        const circuit = await readFor('the circuit', () => ctx.target());
        const change = peeringChange(fields, circuit, kind, input);
        const mismatch = peeringMismatch(change, fields, input);
        if (mismatch !== undefined || !change.peering) {
          return { healthy: false, why: `${armName} does not read back as requested: ${mismatch ?? 'the peering is not there'}` };
        }
        const peering = change.peering;
        if (!isPeeringEnabled(peering.state)) {
          return {
            healthy: true,
            evidence: `${peering.name} reads back as requested; it is Disabled, so its BGP sessions were not checked`,
          };
        }
        const sessions = await lookAtSessions(ctx.reader, { scope: ctx.scope, circuitId: circuit.id, peering }, { like: baseline });
        return sessions.healthy ? { healthy: true, evidence: `${peering.name} reads back as requested; ${sessions.evidence}` } : sessions;
      }),
  };
}
