/**
 * What a person wrote, made plain: one cleaning for every path text comes in by (a typed command, a card's
 * input field), so that what is stored and shown does not depend on which one was used.
 */

/** Longest rejection reason kept (the card's Input.Text says the same, the Intent schema checks it). */
export const MAX_REASON_LENGTH = 500;
/** Raw text past this is cut before any work: a forged card field costs no more than a typed message. */
const MAX_RAW_REASON_LENGTH = 20_000;

/** What stands where a link was: the reader sees that there was one, and gets nothing to click. */
export const LINK_REMOVED = '(link removed)';

/**
 * Text → plain, single-spaced text: NFKC, no control or invisible characters (bidi overrides, zero-width
 * characters…). The channel's own markup (Teams mentions, HTML) is already gone: src/teams/channel-text.ts
 * removes it. Unicode letters are kept; the argument checks decide whether they are acceptable where they appear.
 */
export function plainText(text: string): string {
  let s = text.normalize('NFKC');
  s = s.replace(/\s+/gu, ' ');
  s = s.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, '');
  return s.trim();
}

/** `[text](url)` and `![alt](url)`: the words stay, the target goes. */
const MARKDOWN_LINK = /!?\[([^[\]]*)\]\([^()]*(?:\([^()]*\)[^()]*)*\)/g;
/** A URL with a scheme (`https://…`), `mailto:`/`tel:`, or what clients link without one (`www.…`), to the next space. */
const BARE_URL = /<?(?:\b[a-z][a-z0-9+.-]*:\/\/|\b(?:mailto|tel):|\bwww\.)[^\s>]*>?/gi;
/** A host name with a path (`evil.com/login`): clients link those too. */
const DOMAIN_PATH = /\b(?:[a-z0-9-]+\.)+[a-z]{2,}\/\S*/gi;
/** Punctuation that ends a sentence after a URL rather than the URL itself. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]'"]+$/;

function withoutMarkdownLinks(text: string): string {
  let s = text;
  // `[[a](x)](y)` is a link again once its inner one is gone: repeat until none is left (nesting is shallow).
  for (let i = 0; i < 10; i++) {
    const next = s.replace(MARKDOWN_LINK, (_, words: string) => words);
    if (next === s) break;
    s = next;
  }
  return s;
}

/**
 * A rejection's reason, typed (`reject <id> <reason>`) or entered on the card: plain text (above), without
 * links, at most MAX_REASON_LENGTH characters. The requester and the approvals channel read it, so it holds
 * no link to click and nothing that reorders or hides what is shown. Empty if nothing readable is left.
 */
export function reasonText(text: string): string {
  let s = withoutMarkdownLinks(plainText(text.slice(0, MAX_RAW_REASON_LENGTH)));
  s = s.replace(BARE_URL, (url) => `${LINK_REMOVED}${TRAILING_PUNCTUATION.exec(url.replace(/>$/, ''))?.[0] ?? ''}`);
  s = s.replace(DOMAIN_PATH, (url) => `${LINK_REMOVED}${TRAILING_PUNCTUATION.exec(url)?.[0] ?? ''}`);
  s = s.replace(/ {2,}/g, ' ').trim();
  if (s.length <= MAX_REASON_LENGTH) return s;
  let cut = s.slice(0, MAX_REASON_LENGTH);
  // Never half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut.trim();
}
