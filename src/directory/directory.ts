import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CodedError, ErrorCode } from '../errors';
import { ChangeWindow } from './change-windows';
import { Freeze } from './freezes';
import { RIGHTS } from './rights';

/**
 * The directory file (DESIGN Contract 2): customers, people and who may do what for whom. Objects are loose
 * so that fields added later (approvals channel, change windows…) survive a round trip and older bots still
 * read newer files.
 */

const Guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID like 00000000-0000-0000-0000-000000000000');

export const CustomerId = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62})$/, 'must be 1–63 lower-case letters, digits or hyphens, starting with a letter or digit');

const MODELS = ['connect-through', 'connect-to'] as const;

/**
 * Who owns the circuit and runs the routing (the CSP guidance's two models). In Connect-Through the CSP owns the
 * circuit and runs the BGP routes; in Connect-To the customer's own network connects, and circuit changes also
 * need the customer's side (see `people[].side`).
 */
export const OwnershipModel = z.enum(MODELS, {
  error: (issue) => `unknown model ${JSON.stringify(issue.input)}: use ${MODELS.join(' or ')}`,
});
export type OwnershipModel = z.infer<typeof OwnershipModel>;

const SIDES = ['csp', 'customer'] as const;

/** Whom a person speaks for: the CSP (the default) or the customer they hold rights on. */
export const Side = z.enum(SIDES, {
  error: (issue) => `unknown side ${JSON.stringify(issue.input)}: use ${SIDES.map((s) => JSON.stringify(s)).join(' or ')} (default "csp")`,
});
export type Side = z.infer<typeof Side>;

const Flag = z.boolean({ error: (issue) => `must be true or false, not ${JSON.stringify(issue.input)}` });
const SECURITY_FLAGS = ['separatePublicAndPrivate', 'forcedTunnelling', 'requireEncryption'] as const;

/**
 * The customer's security posture requirements. Strict, unlike the rest of the file: a misspelt requirement
 * silently ignored would be a security gap nobody sees.
 */
export const SecurityPosture = z.strictObject(
  {
    /** Public (Microsoft peering) and private traffic never share a circuit. */
    separatePublicAndPrivate: Flag.optional(),
    /** Internet-bound traffic goes back over ExpressRoute (0.0.0.0/0 learned over private peering or set by UDR). */
    forcedTunnelling: Flag.optional(),
    /** Traffic over the circuit is encrypted: MACsec, IPsec over private peering, or firewalls at both ends. */
    requireEncryption: Flag.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown security flag${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (known: ${SECURITY_FLAGS.join(', ')})`
        : undefined,
  },
);
export type SecurityPosture = z.infer<typeof SecurityPosture>;

export const ApprovalPolicy = z.looseObject({
  /** Distinct approvers needed, the requester never counting. */
  required: z.number().int().min(1).max(20),
  /** A pending request expires after this. */
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 90),
  /**
   * Approvals a rollback needs (default: `required`). May be lower; 0 lets an approver roll back their own change
   * at once, but a rollback asked for by someone who may not approve still needs one approval.
   */
  rollbackRequired: z.number().int().min(0).max(20).optional(),
});
export type ApprovalPolicy = z.infer<typeof ApprovalPolicy>;

export const Customer = z.looseObject({
  id: CustomerId,
  name: z.string().trim().min(1).max(100),
  tenantId: Guid,
  model: OwnershipModel,
  subscriptions: z.array(Guid).min(1, 'must list at least one subscription'),
  approval: ApprovalPolicy,
  security: SecurityPosture.optional(),
  /** Unacknowledged critical alerts are posted again, mentioning the customer's on-call people, after this. */
  escalateAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24)
    .optional(),
  /** Changes execute only inside one of these; alerts inside one are planned work (change-windows.ts). */
  changeWindows: z.array(ChangeWindow).optional(),
  /** No change is requested or executed during one of these (freezes.ts). */
  freezes: z.array(Freeze).optional(),
});
export type Customer = z.infer<typeof Customer>;

/** When a customer's entry does not say `escalateAfterMinutes`. */
export const DEFAULT_ESCALATE_AFTER_MINUTES = 15;

const GrantedRight = z.enum(RIGHTS as ['view', 'request', 'approve', 'oncall', 'admin'], {
  error: (issue) => `unknown right ${JSON.stringify(issue.input)} (rights are ${RIGHTS.join(', ')})`,
});

/** Customer id (or `'*'`, every customer) → rights. */
export const AccessMap = z.record(z.string().min(1), z.array(GrantedRight));

export const Person = z.looseObject({
  /** Teams `from.aadObjectId`. Not necessarily a GUID: the Playground's users are plain strings. */
  aadObjectId: z.string().trim().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  access: AccessMap,
  /** Absent: "csp". A "customer" person's rights name exactly one customer: the one whose side they are on. */
  side: Side.optional(),
});
export type Person = z.infer<typeof Person>;

const DirectoryShape = z.looseObject({
  customers: z.array(Customer),
  people: z.array(Person),
});

export const EVERY_CUSTOMER = '*';

/**
 * The one customer a person's rights name: whose side a `side: "customer"` person is on. Undefined when the rights
 * name '*', no customer or several (the directory refuses that for a customer-side person).
 */
export function namedCustomerOf(person: Pick<Person, 'access'>): string | undefined {
  const named = Object.keys(person.access);
  return named.length === 1 && named[0] !== EVERY_CUSTOMER ? named[0] : undefined;
}

/** Cross-checks that a per-field schema cannot express. */
export const Directory = DirectoryShape.superRefine((d, ctx) => {
  const customerAt = new Map<string, number>();
  const subscriptionAt = new Map<string, number>();
  d.customers.forEach((c, i) => {
    const first = customerAt.get(c.id);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['customers', i, 'id'], message: `duplicate customer id '${c.id}' (also customers[${first}])` });
    } else customerAt.set(c.id, i);
    c.subscriptions.forEach((s, j) => {
      const key = s.toLowerCase();
      const owner = subscriptionAt.get(key);
      if (owner !== undefined && owner !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['customers', i, 'subscriptions', j],
          message: `subscription ${s} is also listed under customers[${owner}]; a subscription belongs to one customer`,
        });
      } else subscriptionAt.set(key, i);
    });
  });
  const personAt = new Map<string, number>();
  d.people.forEach((p, i) => {
    const key = p.aadObjectId.toLowerCase();
    const first = personAt.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['people', i, 'aadObjectId'],
        message: `duplicate person '${p.aadObjectId}' (also people[${first}])`,
      });
    } else personAt.set(key, i);
    if (p.side === 'customer' && p.access[EVERY_CUSTOMER] !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['people', i, 'access', EVERY_CUSTOMER],
        message: `${p.name} is on a customer's side, so their rights must name that customer, not '*'`,
      });
    } else if (p.side === 'customer' && namedCustomerOf(p) === undefined) {
      // One customer's side approves for that customer only: rights on two would let it stand in for the other's.
      const named = Object.keys(p.access);
      ctx.addIssue({
        code: 'custom',
        path: ['people', i, 'access'],
        message: `${p.name} is on a customer's side, so their rights must name exactly one customer, their own, not ${
          named.length === 0 ? 'none' : named.map((c) => `'${c}'`).join(' and ')
        }`,
      });
    }
    for (const customerId of Object.keys(p.access)) {
      if (customerId !== EVERY_CUSTOMER && !customerAt.has(customerId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['people', i, 'access', customerId],
          message: `names unknown customer '${customerId}' (known: ${[...customerAt.keys()].join(', ') || 'none'}, or '*' for all)`,
        });
      }
    }
  });
});

export type Directory = z.infer<typeof Directory>;

/** `$.people[0].access.contoso[1]`: a path a person can follow in their editor. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function configError(source: string, problems: string[]): CodedError {
  const shown = problems.slice(0, 10);
  const more = problems.length > shown.length ? `\n  …and ${problems.length - shown.length} more` : '';
  return new CodedError(ErrorCode.Config, `The ${source} is not valid:\n  ${shown.join('\n  ')}${more}`, {
    hint: 'Fix the file (see DESIGN.md, "the directory file") and start the bot again.',
    details: { source, problems },
  });
}

/** " (customer contoso)" for a problem inside a customer's entry, so that a long file's error names whose it is. */
function whoseField(json: unknown, path: readonly PropertyKey[]): string {
  const [list, index, key] = path;
  if (list !== 'customers' || typeof index !== 'number' || key === undefined || key === 'id') return '';
  const customers = (json as { customers?: unknown } | null)?.customers;
  const id = Array.isArray(customers) ? (customers[index] as { id?: unknown } | null)?.id : undefined;
  return typeof id === 'string' ? ` (customer ${JSON.stringify(id.slice(0, 63))})` : '';
}

/** Validates an already-parsed JSON value. `source` ("directory file x.json") names it in errors. */
export function parseDirectory(json: unknown, source: string): Directory {
  const result = Directory.safeParse(json);
  if (!result.success) {
    throw configError(
      source,
      result.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}${whoseField(json, issue.path)}`),
    );
  }
  return result.data;
}

export function loadDirectoryFile(path: string): Directory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new CodedError(ErrorCode.Config, `The directory file ${path} ${reason}.`, {
      hint: 'Set DIRECTORY_FILE to the path of a readable JSON directory file, or unset it in demo mode.',
      cause: e,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw configError(`directory file ${path}`, [`not valid JSON: ${(e as Error).message}`]);
  }
  return parseDirectory(json, `directory file ${path}`);
}
