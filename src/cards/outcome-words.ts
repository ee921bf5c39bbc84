import type { AttemptFailure, ChangeRequest, Outcome } from '../changes/change-request';
import { type CodedError, ErrorCode, OutcomeCode } from '../errors';
import type { CommandRef, Hint } from '../command-names';
import { tryParseArmId } from '../network/arm-id';
import { hintWords } from './hint-words';

/**
 * The words for every code: errors (ErrorCode) and how executions ended (OutcomeCode). The tables are
 * exhaustive, so a new code does not compile until it has words here. Code owners record facts; the error,
 * refusal and request cards say them with these.
 */

export interface ErrorWords {
  /** The card's heading. */
  title: string;
  /** The bot or its setup is at fault, not the question: shown as an alert. */
  severe?: true;
}

export const ERROR_WORDS: Record<ErrorCode, ErrorWords> = {
  [ErrorCode.BadInput]: { title: "I couldn't read that" },
  [ErrorCode.UnknownCommand]: { title: "I don't know that command" },
  [ErrorCode.UnknownPerson]: { title: "I don't know you yet" },
  [ErrorCode.Forbidden]: { title: "You can't do that" },
  [ErrorCode.NotFound]: { title: 'Not found' },
  [ErrorCode.Ambiguous]: { title: 'Which one?' },
  [ErrorCode.Refused]: { title: 'Not possible as asked' },
  [ErrorCode.Conflict]: { title: 'Not possible any more' },
  [ErrorCode.ArmForbidden]: { title: 'Azure refused access' },
  [ErrorCode.ArmNotFound]: { title: 'Azure has no such resource' },
  [ErrorCode.ArmThrottled]: { title: 'Azure is throttling us' },
  [ErrorCode.ArmUnavailable]: { title: "Azure didn't answer" },
  [ErrorCode.ArmRejected]: { title: 'Azure rejected the change' },
  [ErrorCode.NoData]: { title: 'Something went wrong' },
  [ErrorCode.Config]: { title: 'The bot is misconfigured', severe: true },
  [ErrorCode.Internal]: { title: 'Something went wrong', severe: true },
};

/** The refusal card's own words around the reason and the alternative. */
export const REFUSAL_WORDS = {
  icon: '🚫',
  instead: 'Instead',
  footnote: 'Nothing was requested and nobody was asked to approve.',
} as const;

/** An error's hint in words, command references rendered with the catalog's syntax. */
export function errorHint(error: CodedError): string | undefined {
  if (error.hintParts !== undefined) return hintWords(error.hintParts);
  return error.hint;
}

/** The words for one way an execution ends. */
export interface OutcomeWords {
  /** "In short: …" on the failed card, unless ARM's own code says it (see outcomeShort). */
  short: string;
  /** The sentence for the request card, from the outcome's facts. */
  message(outcome: Outcome, circuitName: string): string;
}

/** ARM's code and message, or ReadFailed and what the read said: how the executor used to quote a failure. */
function quoted(f: AttemptFailure | undefined): string {
  if (!f) return 'unknown: no answer was recorded';
  return f.source === 'arm' ? `${f.code}: ${f.message}` : `${OutcomeCode.ReadFailed}: ${f.message}`;
}

function armAnswer(f: AttemptFailure | undefined): { code: string; message: string } {
  if (f?.source === 'arm') return f;
  return { code: f ? OutcomeCode.ReadFailed : 'unknown', message: f?.message ?? 'no answer was recorded' };
}

const CHECK_FIRST = 'Check the circuit before asking again.';
const ASK_AGAIN = 'Ask again to plan it on the current circuit.';

export const OUTCOME_WORDS: Record<OutcomeCode, OutcomeWords> = {
  [OutcomeCode.Applied]: { short: 'Azure applied the change', message: () => 'Azure applied the change.' },
  [OutcomeCode.FoundApplied]: { short: 'the change is in place', message: () => 'The change is in place.' },
  [OutcomeCode.ArmRejected]: {
    short: 'Azure refused the change',
    message: (o) => {
      const arm = armAnswer(o.failure);
      return `Azure refused the change (${arm.code}): ${arm.message}`;
    },
  },
  [OutcomeCode.OperationFailed]: {
    short: "Azure's operation failed",
    message: (o) => {
      const arm = armAnswer(o.failure);
      return `Azure accepted the change but the operation failed (${arm.code}): ${arm.message}`;
    },
  },
  [OutcomeCode.GaveUp]: {
    short: 'Azure kept failing',
    message: (o) =>
      `Azure kept failing (${quoted(o.failure)}); the bot gave up after ${o.attempts ?? 'several'} attempts.${o.submitted ? ' The operation may still complete in Azure.' : ' Nothing was changed.'}`,
  },
  [OutcomeCode.Timeout]: {
    short: 'the change took longer than the bot waits',
    message: (o) => {
      const within = o.deadlineMs === undefined ? 'in time' : `within ${Math.round(o.deadlineMs / 60_000)} minutes`;
      const last = o.failure ? ` The last answer was ${quoted(o.failure)}` : '';
      return `Azure did not finish the change ${within}, so the bot stopped following it.${last} ${CHECK_FIRST}`;
    },
  },
  [OutcomeCode.ReadFailed]: {
    short: 'the bot could not read the circuit from Azure',
    message: () => `The bot could not read the circuit from Azure. ${CHECK_FIRST}`,
  },
  [OutcomeCode.NotApplied]: {
    short: 'Azure did not apply the change',
    message: (o) => `Azure did not apply the change (${quoted(o.failure)}).`,
  },
  [OutcomeCode.ChangedElsewhere]: {
    short: 'the circuit was changed by someone else meanwhile',
    message: () => 'The circuit changed in Azure, but not the way this request asked; nothing more was sent.',
  },
  [OutcomeCode.Internal]: {
    short: 'the bot itself failed',
    message: () => 'The bot hit an internal error while running the change; check the circuit before asking again.',
  },
  [OutcomeCode.Stale]: {
    short: 'the circuit changed after the request was made',
    message: (o, circuitName) =>
      o.staleBecause === 'rules'
        ? `Checked again just before the write, the change is no longer allowed: ${o.refusal ?? 'a rule refuses it now'} Nothing was sent to Azure.`
        : o.staleBecause === 'body'
          ? `The change the bot would send now differs from the one approved. Nothing was sent to Azure. ${ASK_AGAIN}`
          : `${circuitName} changed after this request was made, so the approval no longer covers it. Nothing was sent to Azure. ${ASK_AGAIN}`,
  },
};

/** ARM's own codes that read badly split into words; any other ARM code is split (see armCodeWords). */
const ARM_CODE_WORDS: Record<string, string> = {
  RetryableErrorDueToAnotherOperation: 'another operation was running on the circuit',
  ServiceUnavailable: "Azure's network service was unavailable",
  InternalServerError: "Azure's network service had an internal error",
  GatewayTimeout: 'Azure took too long to answer',
};

const OUTCOME_CODES = new Set<string>(Object.values(OutcomeCode));

/** The OutcomeCode a stored code is; undefined for ARM's codes (rows written before the enum) and garbage. */
export function outcomeCodeOf(code: string | undefined): OutcomeCode | undefined {
  return code !== undefined && OUTCOME_CODES.has(code) ? (code as OutcomeCode) : undefined;
}

/** ARM's code in plain words: CamelCase split (ServiceProviderCapacityExceeded → service provider capacity exceeded). */
export function armCodeWords(code: string): string | undefined {
  const known = ARM_CODE_WORDS[code];
  if (known) return known;
  const words = code.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return /^[a-z0-9 ]{1,120}$/.test(words) ? words : undefined;
}

/** "In short": the failure's own words when one decided (ARM's code, or a failed read), else the outcome's. */
export function outcomeShort(outcome: Outcome | undefined): string | undefined {
  if (!outcome) return undefined;
  const code = outcomeCodeOf(outcome.code);
  if (outcome.message === undefined && outcome.failure) {
    return outcome.failure.source === 'arm' ? armCodeWords(outcome.failure.code) : OUTCOME_WORDS[OutcomeCode.ReadFailed].short;
  }
  if (code === OutcomeCode.Stale && outcome.staleBecause === 'rules') return 'a rule refuses it now';
  if (code) return OUTCOME_WORDS[code].short;
  return outcome.code ? armCodeWords(outcome.code) : undefined;
}

/** ARM's own code for the outcome, for the small print; never one of the bot's codes. */
export function armCodeOf(outcome: Outcome | undefined): string | undefined {
  if (outcome?.failure?.source === 'arm') return outcome.failure.code;
  return outcome?.code !== undefined && !outcomeCodeOf(outcome.code) ? outcome.code : undefined;
}

const NO_OUTCOME: Partial<Record<ChangeRequest['state'], (circuitName: string) => string>> = {
  succeeded: () => 'Azure applied the change.',
  failed: () => 'The change failed.',
  stale: (circuitName) => `${circuitName} changed after this request was made. Nothing was sent to Azure.`,
};

/** The sentence for how a request's execution ended. */
export function outcomeMessage(request: Pick<ChangeRequest, 'state' | 'circuitName' | 'outcome'>): string {
  const outcome = request.outcome;
  // Rows written before outcomes were facts carry their sentence.
  if (outcome?.message !== undefined) return outcome.message;
  const code = outcomeCodeOf(outcome?.code);
  if (outcome && code) return OUTCOME_WORDS[code].message(outcome, request.circuitName);
  return NO_OUTCOME[request.state]?.(request.circuitName) ?? 'The change ended without a recorded outcome.';
}

/** The read command that shows a change's target. */
export function lookRef(request: Pick<ChangeRequest, 'circuitName' | 'plan'>, name = request.circuitName): CommandRef {
  const type = tryParseArmId(request.plan.targetId)?.type.toLowerCase();
  if (type === 'routetables') return { say: 'udr', args: [name] };
  if (type === 'routefilters') return { say: 'filters', args: [name] };
  return { say: 'circuit', args: [name] };
}

/** Under a failed change: look before asking again. */
export function failedFootnote(request: Pick<ChangeRequest, 'circuitName' | 'plan'>, name = request.circuitName): Hint {
  return ['Check it before asking again; ', lookRef(request, name), ' shows it.'];
}
