import { z } from 'zod';

/**
 * Everything a user can ask for, whether typed, clicked on a card or (one day) planned by an LLM, becomes one
 * of these. Card buttons carry an Intent in their data (`{ intent: … }`), so a click and a typed command take
 * the same path through the bot and the same server-side checks.
 */

/** A circuit as the user names it: a name, `customer/name`, or a full ARM id. */
export const CircuitQuery = z.string().trim().min(1, 'name a circuit').max(400, 'that circuit reference is too long');

/** A NIC or VM as the user names it: a name, `customer/name`, or a full ARM id. */
export const NicQuery = z.string().trim().min(1, 'name a NIC or a VM').max(400, 'that NIC or VM reference is too long');

export const CustomerQuery = z.string().trim().min(1).max(100);
export const PeeringChoice = z.enum(['private', 'microsoft']);
export type PeeringChoice = z.infer<typeof PeeringChoice>;
export const PathChoice = z.enum(['primary', 'secondary']);
export type PathChoice = z.infer<typeof PathChoice>;

/** A change request id as typed; the exact format is checked by validate-intent and again by the workflow. */
export const RequestIdQuery = z.string().trim().min(1).max(40);
export const RequestsFilter = z.enum(['pending', 'mine', 'all']);
export type RequestsFilter = z.infer<typeof RequestsFilter>;
/** Alert and silence ids as typed (AL-…, SI-…); the exact format is checked by validate-intent. */
export const AlertIdQuery = z.string().trim().min(1).max(40);
export const AlertsFilter = z.enum(['open', 'all']);
export type AlertsFilter = z.infer<typeof AlertsFilter>;
/** A change kind's registry name (bandwidth, sku…); unknown names are refused by the kind registry. */
export const ChangeKindName = z.string().trim().min(1).max(40);
/**
 * A change kind's raw input, from the form's fields or a stored request: small, flat and scalar. The kind's
 * own zod schema decides what it means.
 */
export const ChangeInput = z
  // Lists (advertised prefixes, communities) travel as one comma-separated string; src/bot splits them.
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/), z.union([z.string().max(2000), z.number(), z.boolean()]))
  .refine((r) => Object.keys(r).length <= 12, 'too many fields');

/** A form section's id (the prefix of its input ids) when a kind has more than one section, e.g. route-filter-attach. */
export const FormId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);

/** What the typed change commands ask for: one change kind of the ones the command covers, and its raw input. */
const typedChange = <K extends string, C extends readonly [string, ...string[]]>(kind: K, changes: C) =>
  z.object({
    kind: z.literal(kind),
    /** The circuit, route table or route filter, as typed. */
    target: CircuitQuery,
    change: z.enum(changes),
    input: ChangeInput,
  });

/** Skip the read cache for this answer. */
const fresh = z.boolean().optional();

const UpgradeIntent = z.object({ kind: z.literal('upgrade'), circuit: CircuitQuery, bandwidth: z.string().trim().min(1).max(40) });
const TYPED_CHANGES = [
  typedChange('peering', ['private-peering', 'microsoft-peering', 'peering-state']),
  typedChange('filter', ['route-filter', 'route-filter-rule']),
  typedChange('route', ['udr-route']),
  typedChange('authorization', ['authorization']),
] as const;
/** A new request that undoes a succeeded, reversible one (typed, or the card's Rollback button). */
const RollbackIntent = z.object({ kind: z.literal('rollback'), id: RequestIdQuery });

/** The reason an emergency override gives; shown on the card and in the audit. */
const EmergencyReason = z.string().trim().min(1).max(500);

/**
 * What `emergency … because <reason>` may wrap: the typed commands that ask for a change. Not the form (`change`,
 * whose submit is a click, and an override is never a click), and never another `emergency`.
 */
export const EmergencyChange = z.discriminatedUnion('kind', [UpgradeIntent, ...TYPED_CHANGES, RollbackIntent]);
export type EmergencyChange = z.infer<typeof EmergencyChange>;
export const EMERGENCY_CHANGE_KINDS: readonly EmergencyChange['kind'][] = EmergencyChange.options.map((o) => o.shape.kind.value);

export const Intent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('help'), command: z.string().trim().max(40).optional() }),
  z.object({ kind: z.literal('customers') }),
  z.object({ kind: z.literal('circuits'), customer: CustomerQuery.optional(), fresh }),
  z.object({ kind: z.literal('status'), target: CircuitQuery.optional(), fresh }),
  z.object({ kind: z.literal('circuit'), circuit: CircuitQuery, fresh }),
  z.object({ kind: z.literal('bandwidth'), circuit: CircuitQuery, fresh }),
  z.object({
    kind: z.literal('routes'),
    circuit: CircuitQuery,
    peering: PeeringChoice.optional(),
    path: PathChoice.optional(),
    /** An IPv4/IPv6 prefix or address; routes overlapping it are shown. */
    prefix: z.string().trim().min(1).max(64).optional(),
    /** 1-based page of the (filtered) table. */
    page: z.number().int().min(1).max(100_000).optional(),
    fresh,
  }),
  z.object({ kind: z.literal('bgp'), circuit: CircuitQuery, peering: PeeringChoice.optional(), fresh }),
  z.object({
    kind: z.literal('arp'),
    circuit: CircuitQuery,
    peering: PeeringChoice.optional(),
    path: PathChoice.optional(),
    fresh,
  }),
  z.object({ kind: z.literal('peerings'), circuit: CircuitQuery, fresh }),
  z.object({ kind: z.literal('filters'), customer: CustomerQuery.optional(), fresh }),
  z.object({ kind: z.literal('udr'), target: CircuitQuery.optional(), fresh }),
  /** The security posture of a customer or one circuit; `page` comes from the card's buttons. */
  z.object({ kind: z.literal('security'), target: CircuitQuery, page: z.number().int().min(1).max(1000).optional(), fresh }),
  z.object({
    kind: z.literal('effective-routes'),
    /** A NIC or a VM: its name, customer/name, or its ARM id. */
    target: NicQuery,
    /** An IP address: which route carries traffic to it, and why. */
    destination: z.string().trim().min(1).max(64).optional(),
    page: z.number().int().min(1).max(100_000).optional(),
    fresh,
  }),
  // ---- change requests (DESIGN Contract 4) ----
  UpgradeIntent,
  z.object({ kind: z.literal('change'), circuit: CircuitQuery }),
  /** The change form's submit (and a stale card's Re-request): one change kind and its raw input. */
  z.object({
    kind: z.literal('submit-change'),
    circuit: CircuitQuery,
    change: ChangeKindName,
    input: ChangeInput,
    form: FormId.optional(),
  }),
  // ---- typed change commands: the same request as the form's, written on one line ----
  ...TYPED_CHANGES,
  /** In the requester's 1:1 chat: the key of an authorization their request created, read from Azure. */
  z.object({ kind: z.literal('key'), id: RequestIdQuery }),
  z.object({ kind: z.literal('requests'), filter: RequestsFilter.optional() }),
  z.object({ kind: z.literal('request'), id: RequestIdQuery }),
  z.object({ kind: z.literal('approve'), id: RequestIdQuery }),
  /** The card's Reject sends the reason from its input field; typed `reject <id>` without one is refused. */
  z.object({ kind: z.literal('reject'), id: RequestIdQuery, reason: z.string().trim().min(1).max(500).optional() }),
  z.object({ kind: z.literal('cancel'), id: RequestIdQuery }),
  RollbackIntent,
  /**
   * Typed only, by an admin of the customer: the wrapped change is asked for despite a freeze or outside the change
   * windows, with the reason; it needs one approval more than usual. Card data never carries one (card-data.ts).
   */
  z.object({ kind: z.literal('emergency'), change: EmergencyChange, reason: EmergencyReason }),
  z.object({ kind: z.literal('audit'), customer: CustomerQuery.optional(), count: z.number().int().min(1).max(200).optional() }),
  /** Run in a channel by a customer's admin: that channel gets the customer's approval cards. */
  z.object({ kind: z.literal('approvals-channel'), customer: CustomerQuery }),
  /** In a channel or group chat, by a customer's admin: it may show that customer's data. No customer: what it shows. */
  z.object({ kind: z.literal('link-here'), customer: CustomerQuery.optional() }),
  z.object({ kind: z.literal('unlink-here'), customer: CustomerQuery }),
  // ---- alerts ----
  /** Alerts worst and newest first. `here`, in a channel, by a customer's admin: the channel gets its alert cards. */
  z.object({
    kind: z.literal('alerts'),
    customer: CustomerQuery.optional(),
    filter: AlertsFilter.optional(),
    here: z.literal(true).optional(),
  }),
  z.object({ kind: z.literal('ack'), id: AlertIdQuery }),
  /** A circuit or a customer's alerts recorded but not posted for `duration` (2h, 30m, 1d). */
  z.object({
    kind: z.literal('silence'),
    target: CircuitQuery,
    duration: z.string().trim().min(1).max(40),
    reason: z.string().trim().min(1).max(500),
  }),
  z.object({ kind: z.literal('silences') }),
  z.object({ kind: z.literal('unsilence'), id: AlertIdQuery }),
]);
export type Intent = z.infer<typeof Intent>;
export type IntentKind = Intent['kind'];
export type IntentOf<K extends IntentKind> = Extract<Intent, { kind: K }>;

/** The verb every card button that re-runs a query uses; its data is `{ intent: Intent }`. */
export const INTENT_VERB = 'intent';
