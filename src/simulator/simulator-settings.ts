import { z } from 'zod';

const Bucket = z.object({
  capacity: z.number().int().positive(),
  refillPerSecond: z.number().positive(),
});

export const Fault = z.object({
  /** A substring of "METHOD path", or a /regex/ (with optional flags) matched against it. */
  match: z.string().min(1),
  /** Also a substring of the query string, decoded (e.g. `metricnames=QosDropBits`), any letter case. */
  query: z.string().min(1).optional(),
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

const ArmPathKey = z
  .string()
  .refine((p) => p.toLowerCase().startsWith('/subscriptions/'), {
    message: 'path must be an ARM path as used for fleet keys, starting with /subscriptions/',
  })
  .refine((p) => !p.includes('?'), { message: 'path must not contain a query string (drop ?api-version=…)' });

/** A change to the fleet at a set time: an RFC 7396 JSON merge patch applied to the body stored at `path`. */
export const TimelineEntry = z
  .object({
    /** Milliseconds after the simulator starts, or after the first successful write matching `afterWriteTo`. */
    afterMs: z.number({ message: 'afterMs must be a number of milliseconds (0 or more)' }).min(0, { message: 'afterMs must be 0 or more' }),
    /** A substring of an ARM path (case-insensitive); the clock starts at the first successful write to a match. */
    afterWriteTo: z.string().min(1, { message: 'afterWriteTo must be a non-empty substring of an ARM path' }).optional(),
    path: ArmPathKey,
    merge: z.record(z.string(), z.unknown(), { message: 'merge must be a JSON object (an RFC 7396 merge patch)' }),
  })
  .strict();
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** A fixed window of `queries` per `windowMs` for each principal (bearer token). */
export const PrincipalQuotaSettings = z
  .object({
    queries: z.number().int().positive(),
    windowMs: z.number().positive(),
  })
  .strict();
export type PrincipalQuotaSettings = z.infer<typeof PrincipalQuotaSettings>;

const quotaSwitch = (name: string) =>
  z.union([z.literal(false), z.object({ quota: z.union([z.literal(false), PrincipalQuotaSettings]).optional() }).strict()], {
    message: `${name} must be false or { "quota": false | { "queries": <count>, "windowMs": <ms> } }`,
  });

export const SimulatorSettings = z
  .object({
    latencyMs: z.number().min(0).optional(),
    pageSize: z.number().int().positive().optional(),
    lroDurationMs: z.number().min(0).optional(),
    /** Device-side POST reads (route tables, summaries, ARP) run this long as LROs; default lroDurationMs. */
    deviceReadMs: z.number().min(0).optional(),
    lroRetryAfterSeconds: z.number().min(0).optional(),
    throttle: z.union([z.literal(false), z.object({ reads: Bucket.optional(), writes: Bucket.optional() })]).optional(),
    faults: z.array(Fault).optional(),
    operationFailures: z.array(OperationFailure).optional(),
    timeline: z.array(TimelineEntry).optional(),
    /** Azure Resource Graph; `false` (or `quota: false`) turns the per-principal quota off. */
    resourceGraph: quotaSwitch('resourceGraph').optional(),
    /**
     * Azure Monitor metrics:getBatch. Its docs give no quota number (they only say to back off when throttled),
     * so there is none unless one is set here.
     */
    metrics: quotaSwitch('metrics').optional(),
  })
  .strict();
export type SimulatorSettings = z.infer<typeof SimulatorSettings>;

/** ARM's documented per-subscription buckets. */
export const ARM_THROTTLE_DEFAULTS = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
} as const;

export const DEFAULT_PAGE_SIZE = 100;

/** ARG's documented default user quota: 15 queries per 5-second window (Guidance for throttled requests). */
export const RESOURCE_GRAPH_QUOTA_DEFAULT: PrincipalQuotaSettings = { queries: 15, windowMs: 5_000 };
