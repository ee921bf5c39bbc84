import { z } from 'zod';

/**
 * A customer's change freezes (DESIGN Contract 2, `customers[].freezes`): no change is requested or executed from
 * `from` until `to`. Times carry their offset, so a freeze means the same instant on every instance.
 */

const withSeconds = z.iso.datetime({ offset: true });
const withMinutes = z.iso.datetime({ offset: true, precision: -1 });

export const IsoInstant = z
  .string({ error: (issue) => `must be an ISO time with its offset, not ${JSON.stringify(issue.input)}` })
  .refine((s) => withSeconds.safeParse(s).success || withMinutes.safeParse(s).success, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not an ISO time with its offset, such as 2025-12-20T18:00+01:00 or 2025-12-20T17:00:00Z`,
  });

export const Freeze = z
  .looseObject({
    from: IsoInstant,
    to: IsoInstant,
    /** Shown when a change is refused or held: "year-end freeze". */
    reason: z.string().trim().min(1, 'must say why (it is shown when a change is refused)').max(300),
  })
  .superRefine((f, ctx) => {
    if (Date.parse(f.to) <= Date.parse(f.from)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `${f.to} must be after from (${f.from})` });
    }
  });
export type Freeze = z.infer<typeof Freeze>;

/** A freeze in force: `from` (inclusive) to `to` (exclusive), epoch milliseconds. */
export interface ActiveFreeze {
  freeze: Freeze;
  from: number;
  to: number;
}

/** The freeze in force at `instant` (of overlapping ones, the one that ends last), or undefined. */
export function activeFreeze(freezes: readonly Freeze[], instant: number): ActiveFreeze | undefined {
  let best: ActiveFreeze | undefined;
  for (const freeze of freezes) {
    const from = Date.parse(freeze.from);
    const to = Date.parse(freeze.to);
    if (from <= instant && instant < to && (!best || to > best.to)) best = { freeze, from, to };
  }
  return best;
}
