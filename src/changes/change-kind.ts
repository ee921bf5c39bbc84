import type { z } from 'zod';
import type { SecurityPosture } from '../directory/directory';
import type { Right } from '../directory/rights';
import type { Hint } from '../command-names';
import type { EffectiveRoutesReader } from '../network/effective-routes';
import type { Circuit, NetworkReader, RouteFilter, RouteFilterRule, SubscriptionScope, UdrRoute, UdrTable } from '../network/types';
import type { FormPlan, FormSubject, KindField, TypedSyntax } from './kind-fields';
import type { ChangeRequest, Impact } from './change-request';
import type { SecretOwner } from './kinds/shared/secret-vault';

/**
 * The resource a change is bound to: its etag is what an approval covers, and it is what is read back after
 * the write. Most kinds bind to the circuit even when they write a child (a peering, an authorization): ARM
 * gives the circuit a new etag whenever a child changes. UDR routes bind to their route table.
 */
export type ChangeTargetType = 'expressRouteCircuit' | 'routeTable' | 'routeFilter';

/** A route table as a change sees it (the query side's UdrTable plus what binding a write needs). */
export interface RouteTableSubject {
  kind: 'routeTable';
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  etag?: string;
  /** Succeeded | Updating | … */
  provisioningState: string;
  disableBgpRoutePropagation: boolean;
  routes: UdrRoute[];
  subnetIds: string[];
}

/** A route filter as a change sees it. */
export interface RouteFilterSubject {
  kind: 'routeFilter';
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  etag?: string;
  provisioningState: string;
  rules: RouteFilterRule[];
  peeringIds: string[];
}

export type ChangeSubject = Circuit | RouteTableSubject | RouteFilterSubject;

export function isRouteTable(subject: ChangeSubject): subject is RouteTableSubject {
  return (subject as { kind?: unknown }).kind === 'routeTable';
}

export function isRouteFilter(subject: ChangeSubject): subject is RouteFilterSubject {
  return (subject as { kind?: unknown }).kind === 'routeFilter';
}

export function targetTypeOf(subject: ChangeSubject): ChangeTargetType {
  return isRouteTable(subject) ? 'routeTable' : isRouteFilter(subject) ? 'routeFilter' : 'expressRouteCircuit';
}

/** A peering's writable fields in domain words (ARM names them differently; src/azure maps them). */
export interface PeeringFields {
  vlanId?: number;
  peerAsn?: number;
  primaryPeerAddressPrefix?: string;
  secondaryPeerAddressPrefix?: string;
  /** Enabled | Disabled */
  state?: 'Enabled' | 'Disabled';
  advertisedPublicPrefixes?: string[];
  customerAsn?: number;
  routingRegistryName?: string;
  /** ARM id of the route filter to attach. */
  routeFilterId?: string;
}

/**
 * What a change does to the resource, in domain words. src/azure turns it into the exact ARM request body
 * (see ArmBodyBuilder); the domain never sees ARM models. New kinds add a variant here.
 */
export type DomainPatch =
  | {
      resource: 'expressRouteCircuit';
      /** Provider circuits: serviceProviderProperties.bandwidthInMbps; Direct circuits: bandwidthInGbps. */
      bandwidthMbps?: number;
      sku?: { tier: string; family: string };
    }
  | {
      /** Create or update (PUT) one peering of the circuit; fields not given keep their current value. */
      resource: 'circuitPeering';
      /** ARM name: AzurePrivatePeering | MicrosoftPeering. */
      peeringName: string;
      set: PeeringFields;
      /**
       * The MD5 key to send: a string sets it, null removes it, undefined keeps ARM's current one. Held only
       * in memory while the body is built; the stored body has it redacted.
       */
      sharedKey?: string | null;
    }
  | { resource: 'circuitAuthorization'; name: string; action: 'create' | 'delete' }
  | {
      /** Create (PUT) a route filter with its single Allow rule, in the circuit's resource group and region. */
      resource: 'routeFilter';
      name: string;
      location: string;
      ruleName: string;
      communities: string[];
    }
  | { resource: 'routeFilterRule'; routeFilterId: string; ruleName: string; communities: string[] }
  | {
      resource: 'routeTableRoute';
      name: string;
      action: 'put' | 'delete';
      /** The route's properties, named as ARM names them (addressPrefix, nextHopType, nextHopIpAddress…). */
      route?: Readonly<Record<string, string>>;
    };

/**
 * A secret a change produced that only its requester may receive (in a 1:1 chat), e.g. an authorization
 * key. Only this reference is ever kept or passed around; the value is read from ARM when it is delivered,
 * so it never sits in a request row, an audit entry, an event or a log.
 */
export interface SecretRef {
  kind: 'authorizationKey';
  /** ARM id of the resource that holds it. */
  resourceId: string;
  /** What the requester is told it is for. */
  label: string;
  /**
   * The etag the resource had when the change succeeded. A reader refuses a resource that no longer has it
   * (revoked and re-created under the same name): that key is not the one this request produced.
   */
  etag?: string;
}

/** Port (src/azure): reads a secret a SecretRef points at, fresh from ARM. Never cached, never logged. */
export interface RequesterSecretReader {
  readSecret(scope: SubscriptionScope, ref: SecretRef): Promise<string>;
}

/** A change a kind refuses, with what to do instead. Shown before anyone is asked to approve. */
export interface Refusal {
  reason: string;
  /** What to do instead; a command is named with a reference (`{ say, args }`), never spelt out. */
  alternative: Hint;
}

export interface KindDescription {
  /** Label → [before, after], e.g. { Bandwidth: ['1 Gbps', '2 Gbps'] }. */
  diff: Record<string, [string, string]>;
  impact: Impact;
}

/**
 * A VNet connection that uses a circuit: a `microsoft.network/connections` whose peer is the circuit, or an
 * ExpressRoute connection of a Virtual WAN hub's ExpressRoute gateway to the circuit's peering (`hub`).
 */
export interface VnetLink {
  /** The connection's name. */
  name: string;
  /** Azure region of the connection, which is its gateway's and so the VNet's, e.g. westeurope. */
  region: string;
  /** The connection's ARM id; undefined only in hand-made test facts. */
  connectionId?: string;
  /** The subscription the connection lives in. */
  subscriptionId?: string;
  /** The VNet behind the connection's gateway, when Resource Graph can see it (never for a hub connection). */
  vnet?: { id: string; name: string; addressPrefixes: string[] };
  /** Set for a Virtual WAN hub connection: the hub's ExpressRoute gateway, whose VNets are the hub's. */
  hub?: { gatewayId: string; gatewayName: string };
}

/**
 * Port: the VNet connections that use a circuit. ARM has no single call for it (links can sit in other
 * subscriptions through authorizations), so it is found with Resource Graph across the customer's subscriptions.
 */
export interface CircuitLinksReader {
  listVnetLinks(scope: SubscriptionScope, subscriptions: readonly string[], circuit: Circuit): Promise<VnetLink[]>;
}

/** One circuit on an ExpressRoute Direct port pair, with the VLANs its peerings use. */
export interface PortCircuit {
  id: string;
  name: string;
  bandwidthInGbps: number;
  /** Every VLAN (C-Tag) the circuit's peerings use, with the peering's ARM name. */
  vlans: { peering: string; vlanId: number }[];
}

/** Port: every circuit on an ExpressRoute Direct port pair, across the customer's subscriptions. */
export interface PortCircuitsReader {
  listPortCircuits(scope: SubscriptionScope, subscriptions: readonly string[], portId: string): Promise<PortCircuit[]>;
}

/** What is known of a kind without building it: enough for the parser, help and the manifest. */
export type KindDeclaration = Pick<ChangeKind<never, never, never>, 'name' | 'title' | 'fields' | 'syntax'>;

/** What a form is drawn on. */
export type KindFormSubject = FormSubject<Circuit, UdrTable, RouteFilter>;

/** What a circuit's form may show beyond the circuit: the route filters of its subscription. */
export interface FormFacts {
  filters?: readonly RouteFilter[];
}

/**
 * What a change touches, as the connection models see it. 'circuit': the circuit itself, its peerings and route
 * filters, which in Connect-To the customer's side must also approve (they configure the routers on the other end).
 * 'vnet': what sits on the VNet side (UDRs, the authorizations a VNet redeems), which the CSP approves alone.
 */
export type ChangeScope = 'circuit' | 'vnet';

/** The customer a change is for, as the directory describes it: what posture rules need. */
export interface KindCustomer {
  id: string;
  name: string;
  security: SecurityPosture;
}

/** What a kind may read before deciding, beyond the circuit itself. */
export interface KindContext {
  /** The customer the change is for; absent (hand-made contexts in tests): no posture requirements. */
  customer?: KindCustomer;
  scope: SubscriptionScope;
  /** Every subscription of the customer, for reads that cross subscriptions (links, port pairs). */
  subscriptions: readonly string[];
  reader: NetworkReader;
  links?: CircuitLinksReader;
  ports?: PortCircuitsReader;
}

/** What a kind's post-change check may read: the target again, the device side, effective routes. */
export interface VerifyContext<S extends ChangeSubject = ChangeSubject> {
  scope: SubscriptionScope;
  /** Every subscription of the customer (effective routes, links). */
  subscriptions: readonly string[];
  reader: NetworkReader;
  /** The target as ARM has it now (read fresh at every call). */
  target(): Promise<S>;
  /** Absent when the bot runs without it: a kind then checks what it can and says what it could not. */
  effectiveRoutes?: EffectiveRoutesReader;
}

/**
 * What a kind's baseline (read just before the write) keeps for its check, e.g. the prefixes each BGP session
 * received. Stored in the request, so only JSON numbers and strings.
 */
export type VerifyBaseline = Record<string, number | string>;

/**
 * One look after the change: healthy (with the evidence, in words, for the card and the audit), or not yet (why,
 * in words: "both BGP sessions of private peering are down"). The executor looks again until the kind's time
 * is up; the last `why` is the verdict then.
 */
export type VerifyLook = { healthy: true; evidence: string } | { healthy: false; why: string };

/** What "healthy after" means for a kind (issue 13): read once before the write, looked at after ARM succeeds. */
export interface KindVerification<I, S extends ChangeSubject> {
  /** At most this long (ms), when shorter than VERIFY_WINDOW_SECONDS. */
  maxMs?: number;
  /** What the change is judged against, read just before the write; a failed read leaves it undefined. */
  baseline?(ctx: VerifyContext<S>, before: S, input: I): Promise<VerifyBaseline>;
  look(ctx: VerifyContext<S>, input: I, baseline: VerifyBaseline | undefined): Promise<VerifyLook>;
}

/**
 * How a change is undone, worked out from the target as it was when the change was requested: the kind and
 * input of the change that puts it back (asked for, planned and approved like any other), or why it cannot be.
 */
export type Undo =
  | {
      kind: string;
      /** Flat input as a person would give it (never a secret). */
      input: Record<string, string | number | boolean>;
      /** What the way back depends on, checked when the rollback is asked for (e.g. "within the Standard limits"). */
      precondition?: string;
    }
  | { oneWay: string };

/**
 * One change kind. The workflow (approval, execution, audit) is the same for every kind; a kind only knows
 * its input, its rules, how to describe itself and what it changes.
 */
export interface ChangeKind<I = unknown, F = unknown, S extends ChangeSubject = Circuit> {
  name: string;
  /** What the change binds to; default expressRouteCircuit. */
  target?: ChangeTargetType;
  /** Whether it is a circuit-level change (see ChangeScope). */
  scope: ChangeScope;
  /** Human title, e.g. "Bandwidth upgrade". */
  title: string;
  /** The fields a person gives, declared once: forms, typed syntax, labels and messages derive from them. */
  fields: readonly KindField[];
  /** How the kind is asked for in chat; absent: through the form only. */
  syntax?: readonly TypedSyntax[];
  /** The form's sections for the resource as it is now; absent or empty: not offered on that form. */
  form?(on: KindFormSubject, facts: FormFacts): FormPlan[];
  /** The right needed to ask for it. */
  right: Extract<Right, 'request'>;
  /** zod for the input as stored in a request; every method re-parses with it. */
  input: z.ZodType<I>;
  /**
   * zod at the boundary, for what a person typed (chat or card data), when it differs from the stored form:
   * e.g. a typed MD5 key becomes a vault reference bound to `owner`, and a reference is never accepted from a
   * person. Default: `input`.
   */
  requestInput?(owner: SecretOwner | undefined): z.ZodType<I>;
  /** Reads what the rules need beyond the circuit (route counts, VNet links). Optional. */
  gather?(ctx: KindContext, circuit: S, input: I): Promise<F>;
  /** A refusal, or undefined when the change may be requested. */
  check(circuit: S, input: I, facts: F | undefined): Refusal | undefined;
  /** `facts` is what `gather` found when the change is requested (undefined when planned again later). */
  describe(circuit: S, input: I, facts?: F): KindDescription;
  patch(circuit: S, input: I): DomainPatch;
  /** Whether the circuit already shows the change; decides, after a crash, whether a write reached ARM. */
  isApplied(circuit: S, input: I): boolean;
  /** What the card shows after the change, read back from ARM. Default: the circuit's summary. */
  summary?(subject: S, input: I): Record<string, string>;
  /** A secret the succeeded change produced for its requester only (see SecretRef). */
  secretForRequester?(request: Pick<ChangeRequest, 'circuitId' | 'state' | 'outcome'>, input: I): SecretRef | undefined;
  /** The states this kind needs the circuit in (Provisioned / Enabled), beyond "no write in progress". */
  needsProvisioned: boolean;
  /** What "healthy after" means; absent: the target read back after ARM's success is all there is to check. */
  verify?: KindVerification<I, S>;
  /** How to undo the change, from the target before it; absent: one-way ("the bot can't undo a … change"). */
  undo?(before: S, input: I): Undo;
}
