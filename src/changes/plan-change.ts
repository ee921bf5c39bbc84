import { CodedError, ErrorCode } from '../errors';
import type { SubscriptionScope } from '../network/types';
import { type ArmBodyBuilder, type BuiltWrite, subjectOf } from './arm-body-builder';
import type { ChangeSubject } from './change-kind';
import { bodyHash } from './canonical-json';
import type { ChangePlan } from './change-request';
import type { RegisteredKind } from './change-kinds';
import type { NetworkWriter } from './ports';

export interface PlanDeps {
  writer: NetworkWriter;
  builder: ArmBodyBuilder;
}

/**
 * Binds a change to the exact resource version it was asked against: the etag read for writing and the hash
 * of the ARM body that will be sent. `circuit` is the domain view the kind's rules were checked on; if it
 * is not the version just read, the circuit moved under us and the request must be asked again.
 */
export async function planChange(
  deps: PlanDeps,
  scope: SubscriptionScope,
  circuit: ChangeSubject,
  kind: RegisteredKind,
  input: unknown,
  /** What the kind gathered when the change was requested, for its impact. */
  facts?: unknown,
): Promise<ChangePlan> {
  const target = await deps.writer.readForWrite(scope, circuit.id);
  if (circuit.etag !== undefined && circuit.etag !== target.etag) {
    throw new CodedError(ErrorCode.Conflict, `${circuit.name} changed while the request was being prepared.`, {
      hint: 'Ask again: the request will be planned on its current state.',
    });
  }
  const built = deps.builder.buildBody(kind.patch(circuit, input), target.body);
  const { diff, impact } = kind.describe(circuit, input, facts);
  return {
    targetId: circuit.id,
    etag: target.etag,
    diff,
    method: built.method,
    body: built.stored,
    bodyHash: bodyHash(built.stored),
    impact,
  };
}

export type BoundWrite =
  | { ok: true; write: BuiltWrite; circuit: ChangeSubject; etag: string }
  | { ok: false; why: 'etag' | 'body'; circuit: ChangeSubject; etag: string };

/**
 * Just before a write: re-reads the target and rebuilds the body. The write may go ahead only if the etag is
 * the planned one and the rebuilt body hashes to the approved hash.
 */
export async function bindWrite(
  deps: PlanDeps,
  scope: SubscriptionScope,
  plan: ChangePlan,
  kind: RegisteredKind,
  input: unknown,
): Promise<BoundWrite> {
  const target = await deps.writer.readForWrite(scope, plan.targetId);
  const circuit = subjectOf(deps.builder, kind.target, target.body);
  if (target.etag !== plan.etag) return { ok: false, why: 'etag', circuit, etag: target.etag };
  const write = deps.builder.buildBody(kind.patch(circuit, input), target.body);
  if (write.method !== plan.method || bodyHash(write.stored) !== plan.bodyHash) {
    return { ok: false, why: 'body', circuit, etag: target.etag };
  }
  return { ok: true, write, circuit, etag: target.etag };
}
