/**
 * Card forms and typed commands carry flat scalars (Input.Text gives strings); a few change kinds take lists
 * or flags. This turns one into the other, and nothing else: the kind's zod schema still decides what is
 * valid, so a form and a typed command get the same answers.
 */
const LISTS: Readonly<Record<string, readonly string[]>> = {
  'microsoft-peering': ['advertisedPublicPrefixes'],
  'route-filter': ['communities'],
  'route-filter-rule': ['communities'],
};
const FLAGS: Readonly<Record<string, readonly string[]>> = {
  'private-peering': ['removeSharedKey'],
  'microsoft-peering': ['removeSharedKey'],
};

export function kindInput(kind: string, raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const key of LISTS[kind] ?? []) {
    const v = out[key];
    if (typeof v === 'string') out[key] = v.split(/[\s,;]+/).filter((s) => s.length > 0);
  }
  for (const key of FLAGS[kind] ?? []) {
    const v = out[key];
    // An Input.Toggle sends "true"/"false"; an unticked one means "leave it".
    if (v === 'true') out[key] = true;
    else if (v === 'false' || v === false) delete out[key];
  }
  return out;
}

/** Whether the raw input carries a secret typed by the person (an MD5 key). */
export function holdsTypedSecret(raw: Readonly<Record<string, unknown>>): boolean {
  return typeof raw.sharedKey === 'string' && raw.sharedKey.length > 0;
}
