/**
 * A value as a person gives it in a form or a typed line: lists as the comma-separated text the form and commands
 * use (as ChangeKinds.rerequest gives them back), so that an undo's input goes through `parseInput` like any other.
 */
export function typedValue(v: string | number | boolean | readonly string[]): string | number | boolean {
  return typeof v === 'object' ? v.join(',') : v;
}
