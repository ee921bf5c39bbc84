import { z } from 'zod';

const Bucket = z.object({
  capacity: z.number().int().positive(),
  refillPerSecond: z.number().positive(),
});

export const Fault = z.object({
  /** A substring of "METHOD path", or a /regex/ (with optional flags) matched against it. */
  match: z.string().min(1),
  status: z.number().int().min(100).max(599),
  code: z.string().optional(),
  message: z.string().optional(),
  /** How many requests it answers; default 1, -1 = forever. */
  count: z.number().int().min(-1).optional(),
  retryAfterSeconds: z.number().min(0).optional(),
  /** Destroy the socket instead of answering. */
  resetConnection: z.boolean().optional(),
});
export type Fault = z.infer<typeof Fault>;

/** Makes matching writes be accepted (201/202) and their long-running operation end `Failed`, as ARM reports it. */
export const OperationFailure = z.object({
  /** A substring of "METHOD path", or a /regex/ (with optional flags) matched against it. */
  match: z.string().min(1),
  code: z.string().min(1),
  message: z.string().min(1),
  /** How many writes it fails; default 1, -1 = forever. */
  count: z.number().int().min(-1).optional(),
});
export type OperationFailure = z.infer<typeof OperationFailure>;

export const SimulatorSettings = z
  .object({
    latencyMs: z.number().min(0).optional(),
    pageSize: z.number().int().positive().optional(),
    lroDurationMs: z.number().min(0).optional(),
    lroRetryAfterSeconds: z.number().min(0).optional(),
    throttle: z
      .union([z.literal(false), z.object({ reads: Bucket.optional(), writes: Bucket.optional() })])
      .optional(),
    faults: z.array(Fault).optional(),
    operationFailures: z.array(OperationFailure).optional(),
  })
  .strict();
export type SimulatorSettings = z.infer<typeof SimulatorSettings>;

/** ARM's documented per-subscription buckets. */
export const ARM_THROTTLE_DEFAULTS = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
} as const;

export const DEFAULT_PAGE_SIZE = 100;
