import { AuditEntry, ChangeState, type ChangeRequest } from '../changes/change-request';

export type TransitionPatch = Partial<
  Pick<ChangeRequest, 'approvals' | 'operation' | 'outcome' | 'rejection' | 'schedule' | 'verification'>
>;

const PATCHABLE = ['approvals', 'operation', 'outcome', 'rejection', 'schedule', 'verification'] as const;
export type PatchKey = (typeof PATCHABLE)[number];

export interface ParsedTransition {
  target: ChangeState;
  entry: AuditEntry;
  /** Only the fields the patch sets: a field it leaves undefined keeps its stored value. */
  changes: TransitionPatch;
  keys: PatchKey[];
}

/**
 * Checks a transition's arguments the same way in every store, before it touches a row. Undefined when `from`
 * is empty: such a condition matches no request.
 */
export function parseTransition(
  condition: { from: readonly ChangeState[] },
  to: ChangeState,
  patch: TransitionPatch,
  audit: AuditEntry,
): ParsedTransition | undefined {
  const target = ChangeState.parse(to);
  const entry = AuditEntry.parse(audit);
  if (condition.from.length === 0) return undefined;
  const keys = PATCHABLE.filter((k) => patch[k] !== undefined);
  const changes: TransitionPatch = {};
  for (const k of keys) Object.assign(changes, { [k]: patch[k] });
  return { target, entry, changes, keys };
}
