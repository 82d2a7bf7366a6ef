/** English for profiles: editing, the API generation (issue 14) and STS tokens (issue 15 item 8). */
export const enProfiles = {
  'profile.editTitle': 'Edit profile',
  'profiles.edit': 'Edit',
  'profile.nameFixed': 'A profile keeps its name; add a new profile for another name.',
  'profile.accessKeyIdKept': 'Saved ({masked}); leave blank to keep it',
  'profile.apiVersion': 'API version',
  'profile.apiVersion.v1': '2017-07-05 (CCC 1.0)',
  'profile.apiVersion.v2': '2020-07-01 (CCC 2.0)',
  'profile.apiVersionHint': 'Test connection finds it for you. New instances, and 1.0 instances migrated since 2022, are CCC 2.0.',
  'profile.apiVersionDetected': 'The connection test found a {generation} instance: the API version is now {version}, saved with the profile.',
  'profile.securityToken': 'STS security token (optional)',
  'profile.securityTokenHint': 'Only for temporary credentials (an AccessKey ID that starts with STS.): kept in the system keychain with the secret, never shown again.',
  'profile.securityTokenKept': 'Saved in the keychain; leave blank to keep it',
  'profile.securityTokenRemove': 'Remove the saved token',
  'profile.invalid.securityToken': 'Paste the whole token, without spaces.',
  'profiles.sts': 'STS',
} as const
