import { randomInt } from 'node:crypto';

/** No 0/O or 1/I: people read these ids out and type them back. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export type IdGenerator = () => string;

/** The prefix and 7 characters: about 34 bits, plenty for one CSP, short enough to type. */
export function typeableId(prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 7; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** CR-7F3K2QX. */
export const randomRequestId: IdGenerator = () => typeableId('CR-');
