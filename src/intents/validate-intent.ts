import { CodedError, ErrorCode } from '../errors';
import { parseAddress, parsePrefix } from '../network/ip-prefix';
import { findCommand } from './catalog';
import { Intent } from './intent';
import {
  changeTargetProblem,
  circuitRefProblem,
  customerOrCircuitProblem,
  customerOrRouteTableProblem,
  customerRefProblem,
  nicOrVmRefProblem,
  requestIdProblem,
  routeTableRefProblem,
  alertIdProblem,
  silenceIdProblem,
} from './references';
import { silenceDurationProblem } from '../alerts/silence-duration';

/** Shape only ("2 Gbps", "2000", "500Mbps"); the bandwidth kind decides whether it is a valid step. */
function bandwidthProblem(s: string): string | undefined {
  return /^\d{1,7}(?:\.\d{1,3})?\s?(?:[gm](?:b|bps|bit|bits|bit\/s|b\/s)?)?$/i.test(s)
    ? undefined
    : `'${s.slice(0, 40)}' isn't a bandwidth (e.g. 2 Gbps or 2000)`;
}

/**
 * The zod schema checks types and lengths; this also checks that every reference is well formed, so that an
 * Intent from a card button or a planner gets exactly the scrutiny of a typed one. Returns the parsed Intent
 * or the first problem.
 */
export function intentProblem(value: unknown): { intent: Intent } | { problem: string } {
  const parsed = Intent.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { problem: `${where}${issue?.message ?? 'not a valid request'}` };
  }
  const intent = parsed.data;
  const problem = referenceProblem(intent);
  return problem === undefined ? { intent } : { problem };
}

function referenceProblem(intent: Intent): string | undefined {
  switch (intent.kind) {
    case 'help':
      return intent.command === undefined || findCommand(intent.command) ? undefined : `unknown command '${intent.command}'`;
    case 'customers':
      return undefined;
    case 'circuits':
    case 'filters':
      return intent.customer === undefined ? undefined : customerRefProblem(intent.customer);
    case 'status':
      return intent.target === undefined ? undefined : customerOrCircuitProblem(intent.target);
    case 'udr':
      return intent.target === undefined ? undefined : customerOrRouteTableProblem(intent.target);
    case 'security':
      return customerOrCircuitProblem(intent.target);
    case 'effective-routes':
      return (
        nicOrVmRefProblem(intent.target) ??
        (intent.destination === undefined || parseAddress(intent.destination) ? undefined : `'${intent.destination}' isn't an IP address`)
      );
    case 'routes':
      return (
        circuitRefProblem(intent.circuit) ??
        (intent.prefix === undefined || parsePrefix(intent.prefix, { bareAddress: 'host' }).ok
          ? undefined
          : `'${intent.prefix}' isn't an IP prefix`)
      );
    case 'circuit':
    case 'bandwidth':
    case 'bgp':
    case 'arp':
    case 'peerings':
      return circuitRefProblem(intent.circuit);
    case 'change':
    case 'submit-change':
      return changeTargetProblem(intent.circuit);
    case 'peering':
    case 'authorization':
      return circuitRefProblem(intent.target);
    case 'route':
      return routeTableRefProblem(intent.target);
    case 'filter':
      return changeTargetProblem(intent.target);
    case 'key':
      return requestIdProblem(intent.id);
    case 'upgrade':
      return circuitRefProblem(intent.circuit) ?? bandwidthProblem(intent.bandwidth);
    case 'requests':
      return undefined;
    case 'request':
    case 'approve':
    case 'reject':
    case 'cancel':
    case 'rollback':
      return requestIdProblem(intent.id);
    case 'emergency':
      // The wrapped change gets the scrutiny it would get typed alone.
      return referenceProblem(intent.change);
    case 'audit':
    case 'approvals-channel':
    case 'link-here':
    case 'unlink-here':
      return intent.customer === undefined ? undefined : customerRefProblem(intent.customer);
    case 'alerts':
      if (intent.customer === undefined) return intent.here ? 'name the customer whose alerts this channel gets' : undefined;
      return customerRefProblem(intent.customer);
    case 'ack':
      return alertIdProblem(intent.id);
    case 'silence':
      return circuitRefProblem(intent.target) ?? silenceDurationProblem(intent.duration);
    case 'silences':
      return undefined;
    case 'unsilence':
      return silenceIdProblem(intent.id);
    default: {
      // A new Intent kind fails to compile here until it has its check above (test/intents/validate-intent.test.ts).
      const unchecked: never = intent;
      return `unknown request kind '${String((unchecked as { kind?: unknown }).kind)}'`;
    }
  }
}

export function assertValidIntent(value: unknown): Intent {
  const result = intentProblem(value);
  if ('intent' in result) return result.intent;
  throw new CodedError(ErrorCode.BadInput, `That request isn't valid: ${result.problem}.`, {
    hint: ['Type ', { say: 'help' }, ' to see the commands and their options.'],
  });
}
