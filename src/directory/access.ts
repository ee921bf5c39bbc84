import { CodedError, ErrorCode } from '../errors';
import { EVERY_CUSTOMER, namedCustomerOf, type Customer, type Directory, type Person, type Side } from './directory';
import { expandRights, type Right } from './rights';

const RIGHT_WORDS: Record<Right, string> = {
  view: 'view',
  request: 'request changes for',
  approve: 'approve changes for',
  oncall: 'acknowledge or silence the alerts of',
  admin: 'administer',
};

/**
 * Who may do what for which customer. Deny by default: a right exists only if the person's `*` entry or
 * their entry for that customer grants it (`admin` grants all). The bot asks here on every turn, from the
 * activity's identity; card buttons are never trusted to have checked.
 */
export class Access {
  private readonly people = new Map<string, Person>();
  private readonly customersById = new Map<string, Customer>();

  constructor(readonly directory: Directory) {
    for (const p of directory.people) this.people.set(p.aadObjectId.toLowerCase(), p);
    for (const c of directory.customers) this.customersById.set(c.id, c);
  }

  /** Ids are compared case-insensitively: AAD object ids arrive in either case. */
  person(aadObjectId: string | undefined): Person | undefined {
    if (!aadObjectId) return undefined;
    return this.people.get(aadObjectId.trim().toLowerCase());
  }

  /** Like `person` but refuses politely, showing the id so that an admin can add it. */
  requirePerson(aadObjectId: string | undefined): Person {
    const person = this.person(aadObjectId);
    if (person) return person;
    const id = aadObjectId?.trim() ? aadObjectId.trim() : '(none: Teams sent no AAD object id)';
    throw new CodedError(ErrorCode.UnknownPerson, `Sorry, I don't know you yet. Your id is ${id}.`, {
      hint: 'Ask a bot admin to add this id to the directory file with the rights you need.',
      details: { aadObjectId: aadObjectId ?? null },
    });
  }

  customer(customerId: string): Customer | undefined {
    return this.customersById.get(customerId);
  }

  /** Every customer in the directory. Not for showing to users: use `customersWith`. */
  allCustomers(): readonly Customer[] {
    return this.directory.customers;
  }

  rights(person: Person | undefined, customerId: string): ReadonlySet<Right> {
    if (!person || !this.customersById.has(customerId)) return new Set();
    return expandRights([...(person.access[EVERY_CUSTOMER] ?? []), ...(person.access[customerId] ?? [])]);
  }

  can(person: Person | undefined, right: Right, customerId: string): boolean {
    return this.rights(person, customerId).has(right);
  }

  /**
   * Whom the person speaks for on this customer's requests: the customer's side only when the directory puts them on
   * a customer's side and it is this customer, the one their rights name; the CSP otherwise.
   */
  sideOf(person: Person, customerId: string): Side {
    return person.side === 'customer' && namedCustomerOf(person) === customerId ? 'customer' : 'csp';
  }

  /** People on the customer's own side who may approve its changes (what Connect-To asks for), in directory order. */
  customerSideApprovers(customerId: string): Person[] {
    return this.directory.people.filter((p) => this.sideOf(p, customerId) === 'customer' && this.can(p, 'approve', customerId));
  }

  /** People who hold `right` on the customer (`admin` implies it), in directory order. */
  peopleWith(right: Right, customerId: string): Person[] {
    return this.directory.people.filter((p) => this.can(p, right, customerId));
  }

  /** Customers on which the person holds `right`, in directory order. */
  customersWith(person: Person | undefined, right: Right): Customer[] {
    return this.directory.customers.filter((c) => this.can(person, right, c.id));
  }

  /** Customers on which the person holds any right at all: the only ones whose names they may be shown. */
  visibleCustomers(person: Person | undefined): Customer[] {
    return this.directory.customers.filter((c) => this.rights(person, c.id).size > 0);
  }

  /** Every right the person holds on at least one customer; decides which commands `help` lists. */
  rightsAnywhere(person: Person | undefined): ReadonlySet<Right> {
    const all = new Set<Right>();
    for (const c of this.directory.customers) for (const r of this.rights(person, c.id)) all.add(r);
    return all;
  }

  /**
   * Throws Forbidden unless the person holds `right` on the customer. The message names the customer only if
   * the person can already see it, so a refusal never confirms that someone else's circuit exists.
   */
  requireRight(person: Person | undefined, right: Right, customerId: string, subject = 'that circuit'): void {
    if (this.can(person, right, customerId)) return;
    const customer = this.customersById.get(customerId);
    const visible = customer !== undefined && this.rights(person, customerId).size > 0;
    const target = visible ? customer.name : subject;
    throw new CodedError(ErrorCode.Forbidden, `You don't have the right to ${RIGHT_WORDS[right]} ${target}.`, {
      hint: `Ask a bot admin to grant you '${right}'${visible ? ` on ${customer.id}` : ''} in the directory file.`,
      details: { right, ...(visible ? { customerId } : {}) },
    });
  }
}
