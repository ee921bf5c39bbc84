import { type HealthVerdict, peeringLabel } from '../../../network/health';
import { checkCircuitHealth, type CircuitHealthReport } from '../../../network/health-check';
import type { Circuit, NetworkReader, SubscriptionScope } from '../../../network/types';
import type { KindVerification, VerifyBaseline } from '../../change-kind';
import { guardedLook, readFor } from './verify-reads';

/** The circuit setting a change sets, in words: "bandwidth" reads "2 Gbps"; the change asked for `asked`. */
export interface CircuitSetting<I> {
  what: string;
  now(circuit: Circuit): string;
  asked(circuit: Circuit, input: I): string;
}

/** The query side's report (what `status` shows), from the routers. */
function reportOf(reader: NetworkReader, scope: SubscriptionScope, circuit: Circuit): Promise<CircuitHealthReport> {
  // An established session proves ARP on its link: only links whose BGP is down are asked for their ARP table.
  return checkCircuitHealth(reader, scope, circuit, { fresh: true, arpReads: 'when-bgp-down' });
}

/** A BGP session the report could not read: the verdict can't be trusted to say "not red" then. */
function unreadSession(report: CircuitHealthReport): string | undefined {
  for (const p of report.peerings) {
    if (p.bgp.state === 'unknown') return `could not read the ${p.path} BGP session of ${peeringLabel(p.kind)}: ${p.bgp.error.message}`;
  }
  return undefined;
}

const redOf = (verdict: HealthVerdict) => verdict.reasons.filter((r) => r.level === 'red').map((r) => r.text);

/** The baseline keeps the red reasons just before the change, one a line. */
const RED = 'red';

/**
 * "Healthy after" for a change of the circuit itself (bandwidth, SKU): the new value reads back, and the circuit
 * is not red by the same verdict `status` gives. A circuit that was already red just before the change is judged
 * on what is new: a red reason it did not have before.
 */
export function circuitVerification<I>(setting: CircuitSetting<I>): KindVerification<I, Circuit> {
  return {
    baseline: async (ctx, before): Promise<VerifyBaseline> => ({
      [RED]: redOf((await reportOf(ctx.reader, ctx.scope, before)).verdict).join('\n'),
    }),
    look: (ctx, input, baseline) =>
      guardedLook('the circuit', async () => {
        const circuit = await readFor('the circuit', () => ctx.target());
        const [now, asked] = [setting.now(circuit), setting.asked(circuit, input)];
        if (now.toLowerCase() !== asked.toLowerCase())
          return { healthy: false, why: `${setting.what} of ${circuit.name} reads ${now}, not ${asked}` };
        const report = await reportOf(ctx.reader, ctx.scope, circuit);
        const unread = unreadSession(report);
        if (unread !== undefined) return { healthy: false, why: unread };
        const verdict = report.verdict;
        const red = redOf(verdict);
        const was = new Set(typeof baseline?.[RED] === 'string' ? baseline[RED].split('\n') : []);
        const fresh = red.filter((r) => !was.has(r));
        if (fresh.length > 0) return { healthy: false, why: `${circuit.name} is red: ${fresh.join(' ')}` };
        const health = red.length > 0 ? `still red only as it was just before the change (${red.join(' ')})` : `${verdict.level}, not red`;
        return { healthy: true, evidence: `${setting.what} of ${circuit.name} reads ${now}; the circuit is ${health}` };
      }),
  };
}
