import { type Circuit, PEERING_ARM_NAME } from '../../../network/types';
import type { PeeringFields, Undo } from '../../change-kind';
import type { KindField } from '../../kind-fields';
import { familyLabel, peeringChange, settingsOf, type StoredKey } from './peering-fields';
import { show } from './peering-view';
import { typedValue } from './typed-value';

/** Why a peering whose MD5 key was replaced or removed cannot be put back. */
export const MD5_KEY_ONE_WAY =
  "The MD5 key can't be put back: the bot never knew the old one (it is never shown or stored). Set the key again on the peering and on your routers together.";

/**
 * The way back from a change of a peering's settings (private or Microsoft), worked out from the circuit before
 * it: the same kind, with each setting the change gave set back to what it was. A key that was set where there
 * was none is removed again; a key that replaced or removed another cannot be put back.
 */
export function peeringUndo(
  kindName: string,
  fields: readonly KindField[],
  before: Circuit,
  kind: 'private' | 'microsoft',
  input: object,
): Undo {
  const armName = PEERING_ARM_NAME[kind];
  const change = peeringChange(fields, before, kind, input);
  const peering = change.peering;
  if (!peering) {
    return {
      oneWay: `${armName} did not exist before this change, and the bot has no change that deletes a peering: disable it (a peering-state change) or delete it in the Azure portal.`,
    };
  }
  const key = input as StoredKey;
  if (peering.hasSharedKey && (key.sharedKeyRef !== undefined || key.removeSharedKey)) return { oneWay: MD5_KEY_ONE_WAY };
  const back: Record<string, string | number | boolean> = {};
  for (const f of settingsOf(fields)) {
    const asked = (input as Record<string, unknown>)[f.key];
    const was = change.now[f.key as keyof PeeringFields];
    if (asked === undefined || show(asked) === show(was)) continue;
    if (was === undefined) {
      return {
        oneWay: `${familyLabel(f, change.family)} had no value on ${armName} before this change; the bot can set a peering's settings back, but not clear one.`,
      };
    }
    back[f.key] = typedValue(was);
  }
  if (key.sharedKeyRef !== undefined) back.removeSharedKey = true;
  if (Object.keys(back).length === 0)
    return { oneWay: `This change left ${armName}'s settings as they were: there is nothing to put back.` };
  return { kind: kindName, input: back };
}
