/** Tiny IPv4 helpers for generating peering subnets and route prefixes. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The n-th address of a prefix: hostOf('10.1.0.0/30', 1) → 10.1.0.1. */
export function hostOf(prefix: string, n: number): string {
  const [ip = '0.0.0.0'] = prefix.split('/');
  return intToIp(ipToInt(ip) + n);
}
