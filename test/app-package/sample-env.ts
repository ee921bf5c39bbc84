/** Values of the shape provision writes, for checking the filled-in manifest offline. */
export const SAMPLE_ENV = {
  TEAMS_APP_ID: '3f0c3b6e-1d7a-4f6e-9a51-0c1f2b3d4e5f',
  BOT_ID: '7d2e9a40-5b1c-4c8e-8f3a-2b6d1e0f9c7a',
  BOT_DOMAIN: 'er-ops-dev.azurewebsites.net',
  APP_NAME_SUFFIX: '-dev',
};
