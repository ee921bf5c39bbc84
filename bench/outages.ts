/** A day of trouble to watch: the fleet, and what is down in it. */
export interface Outage {
  title: string;
  tenants: number;
  subscriptionsPerTenant: number;
  /** Every `every`-th circuit, from the first, down on both BGP links. */
  every: number;
}

/**
 * The on-call engineer's bad days in a fleet of 2,000 circuits, many of them down on both BGP links at once:
 * - a peering location down: in the fleet of `cycleCost` (20 customers, 200 subscriptions), every circuit at one
 *   location (the scale fleet puts every fifth circuit at Amsterdam): 400 circuits, 20 in each customer;
 * - one large customer's outage: 2,000 circuits of one customer (20 subscriptions, one tenant), all of them.
 * Each circuit has its outage alert and the link alerts it inhibits, so the cycles judge 1,200 and 6,000 open alerts.
 */
export const OUTAGES: readonly Outage[] = [
  {
    title: 'A peering location down: every circuit at Amsterdam, 400 of 2,000, 20 in each of the 20 customers',
    tenants: 20,
    subscriptionsPerTenant: 10,
    every: 5,
  },
  {
    title: "One customer's outage: all 2,000 of its circuits (20 subscriptions, one tenant)",
    tenants: 1,
    subscriptionsPerTenant: 20,
    every: 1,
  },
];

/** The scale fleet's failures on such a day: every `every`-th circuit down on both BGP links, and nothing else. */
export const outageFailures = (outage: Outage) => ({ every: outage.every, modes: ['bgp-both-down'] as const });
