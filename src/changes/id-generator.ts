import { randomInt } from 'node:crypto';

/** No 0/O or 1/I: people read these ids out and type them back. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export type IdGenerator = () => string;

/** CR- and 7 characters: about 34 bits, plenty for one CSP's requests, short enough to type. */
export const randomRequestId: IdGenerator = () => {
  let id = 'CR-';
  for (let i = 0; i < 7; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
};
