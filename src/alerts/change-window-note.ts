import { windowAt, windowLabel } from '../directory/change-windows';
import type { Customer } from '../directory/directory';

type Windowed = Pick<Customer, 'name' | 'changeWindows'>;

const prefixOf = (customer: Windowed) => `inside ${customer.name}'s change window `;

/** While the customer is inside one of its change windows: "inside Contoso Ltd's change window Sat 22:00–04:00 Europe/Amsterdam". */
export function changeWindowNote(customer: Windowed, now: number): string | undefined {
  const open = windowAt(customer.changeWindows ?? [], now);
  return open ? `${prefixOf(customer)}${windowLabel(open.window, open.day)}`.slice(0, 300) : undefined;
}

/** Whether an alert's `expected` came from the customer's change window (judged afresh each time), not a change executing. */
export function isChangeWindowNote(customer: Windowed, expected: string): boolean {
  return expected.startsWith(prefixOf(customer));
}
