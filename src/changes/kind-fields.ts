/**
 * The fields of a change kind, declared once in the kind's own file. What a person sees of a field is derived
 * from this declaration: the form's input (src/app/answers/form-sections.ts renders a field by its shape, with
 * its label, help and example), the typed syntax and its usage in `help` and errors (src/intents/parse-change.ts
 * and change-usage.ts read a field by its words, shape and choices), validation messages and missing-field
 * lists (the label, also for the key the value is stored as), the request card's before/after rows (the label)
 * and whether the value is a secret that must never be shown, stored or carried in card data.
 *
 * A field's zod schema is the kind's input schema's member of the same key; the kind builds its schema with
 * `schemaOf(fields)`, and a choice field's schema with `oneOf(choices, aliases)` (kinds/shared/input-parts.ts),
 * so chat and card data accept the same words and adding a field to a kind is one entry in one file.
 */
import type { z } from 'zod';

/** What a value looks like: decides the form's input type and hint, and how typed words are read. */
export type FieldShape =
  /** A whole number (a VLAN id). */
  | 'number'
  /** An AS number; "AS65010" is read as 65010. */
  | 'asn'
  /** A peering's link subnet (address/length). */
  | 'subnet'
  /** One IP prefix (address/length). */
  | 'prefix'
  /** One IP prefix, or an Azure service tag's name (Storage.WestEurope): a route's destination. */
  | 'prefixOrServiceTag'
  /** Comma-separated IP prefixes; stored as a list. */
  | 'prefixes'
  /** Comma-separated BGP communities; stored as a list. */
  | 'communities'
  /** An IPv4 or IPv6 address. */
  | 'ip'
  /** An ARM resource name. */
  | 'name'
  /** An ARM resource by name or full id. */
  | 'resource'
  /** One of `choices` (typed: any case, or an alias). */
  | 'choice'
  /** A bandwidth such as "2 Gbps" or 2000 (Mbps). */
  | 'bandwidth'
  /** A secret typed once (an MD5 key): masked in forms, never repeated, stored only as a vault reference. */
  | 'secret'
  /** A yes/no switch (a toggle in forms, a bare word in chat). */
  | 'flag';

export interface KindField<K extends string = string, T extends z.ZodType = z.ZodType> {
  /** The key in the kind's input. */
  key: K;
  /** The field's name wherever it is shown: forms, diffs, validation messages, "needs …" lists. */
  label: string;
  /** What the value is, with its article, for sentences: "give the route's name", "`vlan` needs a VLAN id". */
  noun: string;
  /** One line of help, shown after the field's label on the form. */
  help?: string;
  shape: FieldShape;
  /** An example value, as typed. */
  example: string;
  /** Typed keywords for the field (first is the one help shows); absent for positional or form-only fields. */
  words?: readonly string[];
  /** For `choice`: the values, and extra words that mean one of them (typed or in card data: the schema is `oneOf(choices, aliases)`). */
  choices?: readonly string[];
  aliases?: Readonly<Record<string, string>>;
  /** The input `action`s the field belongs to (create / attach…); absent: all of them. */
  actions?: readonly string[];
  /** Not needed to create the resource (the form does not mark it required). */
  optional?: boolean;
  /** Longest accepted text, for the form. */
  maxLength?: number;
  /** The field's zod schema, as stored (optional-ness included). */
  schema: T;
  /**
   * The input key the value is stored under when it differs from `key` ("2 Gbps" is stored as `bandwidthMbps`):
   * a re-request sends that key, and a complaint about it names the field by its label too.
   */
  storedAs?: string;
}

/** Declares a kind's fields keeping each key and schema type, so the kind's input type follows from them. */
export function declareFields<const Fs extends readonly KindField<string, z.ZodType>[]>(fields: Fs): Fs {
  return fields;
}

/** The zod shape of declared fields: key → schema. */
export type ShapeOf<Fs extends readonly KindField<string, z.ZodType>[]> = { [F in Fs[number] as F['key']]: F['schema'] };

/** A secret: never in a card, a log, card data or the stored input (the stored key holds a vault reference). */
export function isSecret(field: Pick<KindField, 'shape'>): boolean {
  return field.shape === 'secret';
}

/** Shapes stored as lists: the form and chat send comma-separated text. */
export function isList(field: Pick<KindField, 'shape'>): boolean {
  return field.shape === 'prefixes' || field.shape === 'communities';
}

/** The fields an input with this `action` uses (all of them when the kind has no actions). */
export function fieldsFor(fields: readonly KindField[], action: string | undefined): KindField[] {
  return fields.filter((f) => action === undefined || f.actions === undefined || f.actions.includes(action));
}

/** key (and the key it is stored as) → label, for diffs and messages; every declared key has one. */
export function labelsOf<const Fs extends readonly KindField[]>(
  fields: Fs,
): Record<Fs[number]['key'], string> & Partial<Record<string, string>> {
  return Object.fromEntries(
    fields.flatMap((f) => [[f.key, f.label] as const, ...(f.storedAs ? [[f.storedAs, f.label] as const] : [])]),
  ) as Record<Fs[number]['key'], string>;
}

/** The zod shape of the fields, for `z.strictObject`. */
export function schemaOf<const Fs extends readonly KindField<string, z.ZodType>[]>(fields: Fs): ShapeOf<Fs> {
  return Object.fromEntries(fields.map((f) => [f.key, f.schema])) as ShapeOf<Fs>;
}

/** What a person typed in chat to ask for a kind: which command, which word picks it, and how fields follow. */
export interface TypedSyntax {
  /** The catalog command, e.g. `peering`, `route`. */
  command: 'peering' | 'filter' | 'route' | 'authorization';
  /** What the command is pointed at first. */
  target: 'circuit' | 'routeTable' | 'changeTarget';
  /** The words after the target that pick this kind (first is the one help shows). */
  select: readonly string[];
  /** Input the selection implies, e.g. { action: 'add' } or { peering: 'private' }. */
  preset?: Readonly<Record<string, string>>;
  /**
   * `keywords`: the fields' words in any order, each followed by its value;
   * `positional`: these field keys in this order (a field's own word before its value is allowed).
   */
  style: 'keywords' | 'positional';
  order?: readonly string[];
  /** Input the parser adds once the fields are read, e.g. `action: create`. */
  action?: string;
}

/** What a kind's form is drawn on: a circuit, or a route table or route filter named on its own. */
export type FormSubject<C, T, F> = { circuit: C } | { routeTable: T } | { routeFilter: F };

/**
 * One section of a kind's form, as the kind plans it against the resource as it is now. Its inputs are the
 * kind's fields for `action` (minus `omit`); the rest says what the fields start with.
 */
export interface FormPlan {
  /** When a kind has several sections (create / attach): their own id. */
  id?: string;
  /** The input `action` the section asks for; sent with the fields. */
  action?: string;
  /** The resource the change applies to when it isn't the form's subject (a circuit's route filter). */
  targetId?: string;
  /** Default: the kind's title. */
  title?: string;
  /** One line: what it is now and what the change does. */
  summary: string;
  /** Why the section can't be used here (no inputs then). */
  unavailable?: string;
  /** Current values, as the form shows them. */
  values?: Readonly<Record<string, string | undefined>>;
  /** Choices that depend on the resource (steps, names), by field key. */
  choices?: Readonly<Record<string, readonly { title: string; value: string }[]>>;
  placeholders?: Readonly<Record<string, string>>;
  /** Creating: the fields that are not optional must be given. */
  creating?: boolean;
  /** Fields not offered here (e.g. "remove the key" when there is none). */
  omit?: readonly string[];
}

/** Card inputs and chat send flat text: lists as comma-separated text, flags as "true"/"false". */
export function fromFlatInput(fields: readonly KindField[], raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const field of fields) {
    const v = out[field.key];
    if (isList(field) && typeof v === 'string') out[field.key] = v.split(/[\s,;]+/).filter((s) => s.length > 0);
    if (field.shape === 'flag') {
      // An Input.Toggle sends "true"/"false"; an unticked one means "leave it".
      if (v === 'true') out[field.key] = true;
      else if (v === 'false' || v === false) delete out[field.key];
    }
  }
  return out;
}
