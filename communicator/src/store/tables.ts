/** Table kinds (names get the deployment's storage prefix); every row key is tenant-scoped by core. */
export const Tables = {
  settings: 'ccsettings',
  topics: 'cctopics',
  messages: 'ccmessages',
  recipients: 'ccrecipients',
  counters: 'cccounters',
  feedback: 'ccfeedback',
  lists: 'cclists',
  people: 'ccpeople',
} as const;

/** Everything the app stores for a tenant, for offboarding. */
export const allTables = Object.values(Tables);
