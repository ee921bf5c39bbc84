import { list, obj, props, reject, str, type WriteRule } from './write-rule';

/**
 * MACsec on ExpressRoute Direct ports, as "Configure MACsec on ExpressRoute Direct ports" sets it up: each link
 * of the port carries a `macSecConfig` whose CKN and CAK are Azure Key Vault secrets (their identifiers, never
 * the keys), read through a user-assigned managed identity given to the port; the cipher is one of
 * ExpressRouteLinkMacSecCipher. Azure documents no error codes for these refusals; the codes are the simulator's.
 */

const PORTS = 'microsoft.network/expressrouteports';
export const MACSEC_CIPHERS = ['GcmAes128', 'GcmAes256', 'GcmAesXpn128', 'GcmAesXpn256'] as const;
const SCI_STATES = ['Enabled', 'Disabled'];
/** https://{vault}.vault.azure.net/secrets/{name}[/{version}] (any Azure cloud's vault domain). */
const KEY_VAULT_SECRET = /^https:\/\/[a-z0-9-]{3,24}\.vault\.[a-z0-9.-]+\/secrets\/[A-Za-z0-9-]{1,127}(\/[A-Za-z0-9]{32})?\/?$/i;

const macsecConfig: WriteRule = (a) => {
  if (a.type !== PORTS || a.method === 'DELETE' || !a.proposed) return undefined;
  let usesSecrets = false;
  for (const link of list(props(a.proposed).links)) {
    const config = obj(props(link).macSecConfig);
    const name = str(link.name) ?? '';
    const [ckn, cak] = [str(config.cknSecretIdentifier), str(config.cakSecretIdentifier)];
    if (!ckn !== !cak) {
      return reject(
        'ExpressRouteLinkMacSecConfigIncomplete',
        `MACsec on link '${name}' needs both cknSecretIdentifier and cakSecretIdentifier (or neither, to turn MACsec off).`,
      );
    }
    const bad = [ckn, cak].find((s) => s !== undefined && !KEY_VAULT_SECRET.test(s));
    if (bad !== undefined) {
      return reject(
        'InvalidKeyVaultSecretIdentifier',
        `'${bad}' on link '${name}' is not an Azure Key Vault secret identifier (https://<vault>.vault.azure.net/secrets/<name>).`,
      );
    }
    const cipher = str(config.cipher);
    if (cipher !== undefined && !(MACSEC_CIPHERS as readonly string[]).includes(cipher)) {
      return reject('InvalidMacSecCipher', `MACsec cipher '${cipher}' on link '${name}' is not one of ${MACSEC_CIPHERS.join(', ')}.`);
    }
    const sci = str(config.sciState);
    if (sci !== undefined && !SCI_STATES.includes(sci)) {
      return reject('InvalidMacSecSciState', `MACsec sciState '${sci}' on link '${name}' must be Enabled or Disabled.`);
    }
    usesSecrets ||= ckn !== undefined;
  }
  const identity = obj(a.proposed.identity);
  const userAssigned = Object.keys(obj(identity.userAssignedIdentities));
  if (usesSecrets && (!/userassigned/i.test(str(identity.type) ?? '') || userAssigned.length === 0)) {
    return reject(
      'ExpressRoutePortIdentityRequiredForMacSec',
      `ExpressRoute port '${a.name}' reads its MACsec keys from Key Vault through a user-assigned managed identity: ` +
        'give the port one (identity.type UserAssigned) with access to the secrets.',
    );
  }
  return undefined;
};

export const MACSEC_WRITE_RULES: readonly WriteRule[] = [macsecConfig];
