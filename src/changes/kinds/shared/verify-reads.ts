import { asCodedError } from '../../../errors';
import type { VerifyLook } from '../../change-kind';

/**
 * A post-change look never throws: a read it depends on that fails makes the look "not healthy (yet)", naming
 * what could not be read, and the executor looks again until the kind's time is up.
 */
class Unread extends Error {
  constructor(
    readonly what: string,
    readonly failure: unknown,
  ) {
    super(`could not read ${what}`);
  }
}

/** A read inside a look: its failure is reported as "could not read <what>: <why>". */
export async function readFor<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw new Unread(what, e);
  }
}

/** The card and the audit keep a verdict's words to this length (see Verification in change-request.ts). */
export const VERDICT_MAX_CHARS = 1000;

const clip = (text: string) => (text.length <= VERDICT_MAX_CHARS ? text : `${text.slice(0, VERDICT_MAX_CHARS - 1)}…`);

/**
 * Runs a look; a read that fails inside it becomes its verdict. `what` names any read not wrapped in readFor. The
 * words are clipped to what a request keeps.
 */
export async function guardedLook(what: string, look: () => Promise<VerifyLook>): Promise<VerifyLook> {
  try {
    const found = await look();
    return found.healthy ? { healthy: true, evidence: clip(found.evidence) } : { healthy: false, why: clip(found.why) };
  } catch (e) {
    const [named, cause] = e instanceof Unread ? [e.what, e.failure] : [what, e];
    return { healthy: false, why: clip(`could not read ${named}: ${asCodedError(cause).message.slice(0, 300)}`) };
  }
}
