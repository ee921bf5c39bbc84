/**
 * What Teams adds to a message's text, removed before the text means anything: leading @mentions of the bot
 * (`<at>Bot</at>`), HTML tags and HTML entities. What is left is the channel-neutral text the parser reads;
 * spacing, invisible characters and length are the parser's to judge.
 */

/** As long as the parser's raw limit: past it the text is refused unread, so cleaning it would be wasted work. */
const MAX_CLEANED_LENGTH = 20_000;

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, body: string) => {
    const lower = body.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[lower] ?? whole;
  });
}

/** Removes leading Teams mentions (`<at>Bot</at>`), one after another. */
function stripLeadingMentions(s: string): string {
  let rest = s;
  for (;;) {
    const trimmed = rest.trimStart();
    if (!/^<at[\s>]/i.test(trimmed)) return trimmed;
    const end = trimmed.toLowerCase().indexOf('</at>');
    if (end < 0) return trimmed;
    rest = trimmed.slice(end + '</at>'.length);
  }
}

/** A Teams message's text without its mentions, markup and entities. */
export function channelText(raw: string): string {
  // Activity JSON is untrusted: anything but a string goes on as it came, for the parser to refuse.
  if (typeof raw !== 'string' || raw.length > MAX_CLEANED_LENGTH) return raw;
  // Teams separates mentions with &nbsp;, so that one entity goes before the mentions are found.
  const s = stripLeadingMentions(raw.replace(/&nbsp;/gi, ' '));
  return decodeEntities(s.replace(/<\/?[a-z][^<>]{0,500}>/gi, ' '));
}
