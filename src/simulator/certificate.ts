import { generate } from 'selfsigned';

export interface CertificatePair {
  certPem: string;
  keyPem: string;
}

/**
 * A fresh self-signed certificate for 127.0.0.1 and localhost, made at start-up and never written to the repo.
 * Clients trust exactly this certificate (tlsOptions.ca); verification stays on. selfsigned 5 is async-only.
 */
export async function generateCertificate(): Promise<CertificatePair> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 30 * 24 * 3_600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
