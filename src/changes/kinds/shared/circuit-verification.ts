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

/** The reasons that keep a circuit from green (red or amber), in the words `status` shows. */
const notGreen = (verdict: HealthVerdict) => verdict.reasons.filter((r) => r.level === 'red' || r.level === 'amber').map((r) => r.text);

/**
 * A reason's identity across two reads: its words without their figures and units ("averaged 85%" and "averaged
 * 87%", "1.2 Gbps" and "800 Mbps" match).
 */
const reasonKey = (text: string) => text.replace(/\d+(?:[.,]\d+)*(?:\s*[kMGT]?bps)?/g, '#');

/** The baseline keeps the keys of the reasons that kept the circuit from green just before the change, one a line. */
const NOT_GREEN = 'notGreen';

/**
 * "Healthy after" for a change of the circuit itself (bandwidth, SKU): the new value reads back, and the circuit
 * is green by the same verdict `status` gives. A circuit that was already amber or red just before the change is
 * judged on what is new: a red or amber reason (an HA session lost, ARP failing…) it did not have before.
 */
export function circuitVerification<I>(setting: CircuitSetting<I>): KindVerification<I, Circuit> {
  return {
    baseline: async (ctx, before): Promise<VerifyBaseline> => ({
      [NOT_GREEN]: notGreen((await reportOf(ctx.reader, ctx.scope, before)).verdict)
        .map(reasonKey)
        .join('\n'),
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
        const reasons = notGreen(verdict);
        const was = new Set(typeof baseline?.[NOT_GREEN] === 'string' ? baseline[NOT_GREEN].split('\n') : []);
        const fresh = reasons.filter((r) => !was.has(reasonKey(r)));
        if (fresh.length > 0) return { healthy: false, why: `${circuit.name} is ${verdict.level}: ${fresh.join(' ')}` };
        const health = reasons.length > 0 ? `${verdict.level} only as it was just before the change (${reasons.join(' ')})` : verdict.level;
        return { healthy: true, evidence: `${setting.what} of ${circuit.name} reads ${now}; the circuit is ${health}` };
      }),
  };
}
