import { randomUUID } from 'node:crypto';
import type { Json } from './resource-store';

const RETENTION_MS = 15 * 60_000;

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface Operation {
  id: string;
  subscriptionId: string;
  /** Lower-cased top-level resource id that a write locks; undefined for reads. */
  lockKey?: string;
  startedAt: number;
  doneAt: number;
  status: OperationStatus;
  /** The final body of a POST-style read, fixed when the read was submitted. */
  result?: Json;
  onComplete?: () => void;
  /** Set to end the operation Failed with this ARM error instead of Succeeded. */
  failure?: { code: string; message: string };
  onFail?: () => void;
}

/**
 * Long-running operations. They finish lazily: whoever looks (a poll, a GET of the resource, the next write)
 * first settles every operation whose time is up, so the injected clock alone decides when.
 */
export class LroOperations {
  private readonly ops = new Map<string, Operation>();

  start(input: Omit<Operation, 'id' | 'status'>): Operation {
    const op: Operation = { ...input, id: randomUUID(), status: 'InProgress' };
    this.ops.set(op.id, op);
    return op;
  }

  get(id: string): Operation | undefined {
    return this.ops.get(id.toLowerCase());
  }

  settle(now: number): void {
    for (const op of this.ops.values()) {
      if (op.status !== 'InProgress') {
        // Finished reads hold whole route tables; keep them only as long as a poller could still ask.
        if (now - op.doneAt > RETENTION_MS) this.ops.delete(op.id);
        continue;
      }
      if (op.doneAt > now) continue;
      if (op.failure) {
        op.status = 'Failed';
        op.onFail?.();
        continue;
      }
      op.status = 'Succeeded';
      op.onComplete?.();
    }
  }

  /** A write still running on the same top-level resource. */
  running(lockKey: string): Operation | undefined {
    for (const op of this.ops.values()) if (op.status === 'InProgress' && op.lockKey === lockKey) return op;
    return undefined;
  }
}

export function operationUrl(
  baseUrl: string,
  kind: 'operations' | 'operationResults',
  op: Operation,
  location: string,
  apiVersion: string,
): string {
  const loc = encodeURIComponent(location.toLowerCase().replace(/\s+/g, '') || 'westus');
  return `${baseUrl}/subscriptions/${op.subscriptionId}/providers/Microsoft.Network/locations/${loc}/${kind}/${op.id}?api-version=${encodeURIComponent(apiVersion)}`;
}
