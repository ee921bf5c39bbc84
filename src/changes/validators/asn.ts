/** BGP ASN rules for ExpressRoute peerings (4-byte ASNs, RFC 6793). */

export const MAX_ASN = 4_294_967_295;
/** Azure uses these itself (65515 is the VNet gateway's ASN); a peer may not. */
export const AZURE_RESERVED_ASNS = { from: 65515, to: 65520 } as const;

export type AsnVerdict = { ok: true } | { ok: false; reason: string };

export function checkPeerAsn(asn: number): AsnVerdict {
  if (!Number.isInteger(asn) || asn < 1 || asn > MAX_ASN) {
    return { ok: false, reason: `ASN ${String(asn).slice(0, 20)} is out of range: use a whole number from 1 to ${MAX_ASN}.` };
  }
  if (asn >= AZURE_RESERVED_ASNS.from && asn <= AZURE_RESERVED_ASNS.to) {
    return { ok: false, reason: `ASN ${asn} is reserved by Azure (${AZURE_RESERVED_ASNS.from}–${AZURE_RESERVED_ASNS.to}).` };
  }
  return { ok: true };
}

/** Private-use ASNs (RFC 6996): 64512–65534 and 4200000000–4294967294. */
export function isPrivateAsn(asn: number): boolean {
  return (asn >= 64_512 && asn <= 65_534) || (asn >= 4_200_000_000 && asn <= 4_294_967_294);
}
