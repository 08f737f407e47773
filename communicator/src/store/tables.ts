/** Table kinds (names get the deployment's storage prefix); every row key is tenant-scoped by core. */
export const Tables = {
  settings: 'ccsettings',
  topics: 'cctopics',
  messages: 'ccmessages',
  recipients: 'ccrecipients',
  /** one claim record per recipient shard: whose send each row's claim number is, written just before the Bot Connector calls (deleted with the message) */
  sendClaims: 'ccsendclaims',
  counters: 'cccounters',
  feedback: 'ccfeedback',
  lists: 'cclists',
  people: 'ccpeople',
  /** who viewed each channel post, and when (one row per person and post) */
  views: 'ccviews',
  /** image gallery: folders and image metadata (the bytes are in Blobs.gallery) */
  gallery: 'ccgallery',
  /** pages of big audiences already read from Graph while a send's audience is resolved (deleted when it is) */
  resolve: 'ccresolve',
} as const;

/** Everything the app stores for a tenant, for offboarding. */
export const allTables = Object.values(Tables);

/** Blob kinds (containers get the deployment's storage prefix); every blob name starts with the tenant id. */
export const Blobs = {
  /** gallery images: every version of each, full size and thumbnail */
  gallery: 'ccgallery',
  /** pages of big audiences already read from Graph while a send's audience is resolved (deleted when it is) */
  resolve: 'ccresolve',
} as const;

/** Every blob kind the app writes for a tenant, for offboarding. */
export const allBlobKinds = Object.values(Blobs);
