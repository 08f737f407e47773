/**
 * Company Communicator Pro — the tab API's shapes (under /api, bearer token required).
 * The server implements them in src/api/, the author tab calls them; both import these types.
 *
 * Roles: a tenant admin holds the TenantAdmin app role in the token; an author holds the Author role
 * or is in the tenant's author list (settings). Everyone else gets 403 on every route here except
 * GET /api/roles.
 *
 *   GET    /api/roles                               → RolesView
 *   GET    /api/settings            (admin)         → Settings
 *   PUT    /api/settings            (admin)         Settings → Settings
 *   GET    /api/topics                              → Topic[]
 *   POST   /api/topics                              TopicInput → Topic
 *   PUT    /api/topics/:id                          TopicInput & { etag } → Topic
 *   DELETE /api/topics/:id                          → 204 (409 while a message uses it)
 *   GET    /api/messages?status=draft|scheduled|sending|sent|canceled|template → MessageSummary[]
 *   POST   /api/drafts                              MessageInput → Message           (a draft; not POST /api/messages,
 *                                                    which is the bot's messaging endpoint and never reaches the tab API)
 *   GET    /api/messages/:id                        → Message
 *   PUT    /api/messages/:id                        MessageInput & { etag } → Message (drafts and templates only)
 *   DELETE /api/messages/:id                        → 204 (drafts and templates only)
 *   POST   /api/messages/:id/duplicate              → Message (a new draft)
 *   POST   /api/messages/:id/template               → Message (a new template copied from it)
 *   POST   /api/messages/:id/preview                → CardPreview (the card per language, validated, with size)
 *   POST   /api/messages/:id/audience/count         → AudienceCount (resolves without sending)
 *   POST   /api/messages/:id/send                   SendRequest → Message (status queued or scheduled)
 *   POST   /api/messages/:id/cancel                 → Message (scheduled or sending → canceled)
 *   GET    /api/messages/:id/report                 → Report
 *   GET    /api/messages/:id/recipients?status=&cursor= → Page<RecipientRow>
 *   POST   /api/messages/:id/resend                 { to: 'failed' | 'unread' } → Message (a new message, queued)
 *   GET    /api/messages/:id/export.xlsx            → the report as .xlsx
 *   GET    /api/audiences/teams                     → TeamOption[]   (teams the app is installed in, with channels)
 *   GET    /api/audiences/groups?search=            → GroupOption[]  (Graph, on behalf of the author)
 *   POST   /api/audiences/lists                     multipart or text/csv upload → UploadedList (bad rows reported)
 *   GET    /api/audiences/lists                     → UploadedList[] (saved distribution lists)
 *
 * Image gallery (authors):
 *   GET    /api/gallery/folders                     → GalleryFolder[]
 *   POST   /api/gallery/folders                     GalleryFolderInput → GalleryFolder (201)
 *   PUT    /api/gallery/folders/:id                 GalleryFolderInput & { etag } → GalleryFolder
 *   DELETE /api/gallery/folders/:id                 → 204 (409 while it holds images)
 *   GET    /api/gallery/images?folderId=            → GalleryImage[] (no folderId: every image)
 *   POST   /api/gallery/images                      multipart (file, name?, folderId?, altText?) or a raw image body
 *                                                    (?name=&folderId=) → GalleryImage (201); 400 not an image, 413 over 4 MB
 *   PUT    /api/gallery/images/:id                  GalleryImageInput & { etag } → GalleryImage (rename, move, alt text)
 *   POST   /api/gallery/images/:id/edit             ImageEdit → GalleryImage (crop and/or resize; replaces it, or a new copy)
 *   DELETE /api/gallery/images/:id                  → 204
 *
 * After sending (authors):
 *   POST   /api/messages/:id/update                 SentUpdate → Message (re-renders the card in every chat it reached)
 *   POST   /api/messages/:id/recall                 → Message (deletes the card from every chat it reached)
 *
 * Tenant admins:
 *   POST   /api/admin/offboard                      OffboardRequest → OffboardResult (erases all of the tenant's data)
 *
 * Outside /api: GET /r/:token — click tracking redirect (signed token: tenant, message, recipient, button).
 *               GET /img/:token — a gallery image for cards and previews (signed token: tenant, image, version;
 *               no sign-in, Teams fetches card images itself; a forged token gets 400).
 */

export type Role = 'TenantAdmin' | 'Author';
export type RolesView = { roles: Role[]; isAuthor: boolean; isAdmin: boolean };

export type Settings = {
  /** UPNs or object ids of authors, beyond those holding the Author app role */
  authors: string[];
  /** days sent messages and their reports are kept; 0 = forever */
  retentionDays: number;
  /**
   * install the app through Microsoft Graph for recipients who have no chat with the bot yet (off by default:
   * needs the admin-consented application permission TeamsAppInstallation.ReadWriteSelfForUser.All)
   */
  proactiveInstall: boolean;
  etag?: string;
};

export type Topic = { id: string; name: string; description: string; etag: string };
export type TopicInput = { name: string; description?: string };

export type FeedbackOptions = { reactions: boolean; acknowledge: boolean; rating: boolean; comment: boolean };

export type LinkButton = { title: string; url: string };

/** One language version of a message; the recipient gets the variant of their language, else the default. */
export type MessageVariant = {
  /** BCP 47, e.g. "en-US", "fr-FR"; the first variant is the default */
  locale: string;
  title: string;
  summary?: string;
  /** Adaptive Card markdown */
  body: string;
  imageUrl?: string;
  imageAltText?: string;
  links: LinkButton[];
};

export type Audience =
  | { kind: 'allUsers' }
  | { kind: 'channels'; channels: Array<{ teamId: string; channelId: string }> }
  | { kind: 'teamMembers'; teamIds: string[] }
  | { kind: 'groups'; groupIds: string[] }
  | { kind: 'list'; listIds: string[] };

export type MessageStatus = 'draft' | 'template' | 'scheduled' | 'queued' | 'resolving' | 'sending' | 'sent' | 'canceled' | 'failed';

export type MessageInput = {
  topicId: string;
  author: string;
  layout: 'standard' | 'hero' | 'compact';
  variants: MessageVariant[];
  feedback: FeedbackOptions;
  audience: Audience[];
};

export type DeliveryCounts = { recipients: number; queued: number; sent: number; failed: number; retried: number; read: number; clicks: number; feedback: number };

export type Message = MessageInput & {
  id: string;
  status: MessageStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** ISO instant the send starts (scheduled) or started */
  sendAt?: string;
  /** IANA zone the author scheduled in, for display */
  timeZone?: string;
  /** set on a message created by POST /resend: it goes to those recipients of the original only */
  resendOf?: { messageId: string; to: 'failed' | 'unread' };
  counts: DeliveryCounts;
  /** the last edit or recall of the sent cards */
  afterSend?: AfterSend;
  /** the card was recalled: it no longer shows in recipients' chats */
  recalled?: boolean;
  etag: string;
};

/** New content for a sent message: same recipients, same buttons count limits; feedback answers stay. */
export type SentUpdate = { variants: MessageVariant[]; etag: string };

/** What happened to the cards after sending: an edit re-rendered them, a recall deleted them. */
export type AfterSend = { kind: 'update' | 'recall'; state: 'running' | 'done'; done: number; failed: number; at: string; /** delivered cards it concerns */ total?: number };

export type MessageSummary = Pick<Message, 'id' | 'status' | 'topicId' | 'author' | 'createdAt' | 'updatedAt' | 'sendAt' | 'counts'> & { title: string };

/** Send now (no sendAt) or schedule: `sendAt` is a local date-time in `timeZone`, e.g. "2026-12-01T09:00" + "Europe/Paris". */
export type SendRequest = { sendAt?: string; timeZone?: string };

export type CardPreview = { variants: Array<{ locale: string; card: unknown; bytes: number; errors: string[] }> };

export type AudienceCount = { recipients: number; bySource: Array<{ source: string; count: number }>; duplicatesRemoved: number };

export type DeliveryStatus = 'queued' | 'sent' | 'failed';

export type RecipientRow = {
  recipientId: string;
  kind: 'user' | 'channel';
  name: string;
  upn?: string;
  locale: string;
  status: DeliveryStatus;
  failureReason?: string;
  retries: number;
  /** sent, but a crash hid whether Teams got it: recorded as sent rather than risk a duplicate */
  unconfirmed?: boolean;
  sentAt?: string;
  /** a person: when they first viewed the card; a channel: when its first member did */
  readAt?: string;
  /** a channel post: how many different people viewed it (Teams refreshes it for up to 60 team members; others count when they refresh it) */
  viewers?: number;
  /** per button, keyed like Report.clickRate */
  clicks: Record<string, number>;
  feedback?: { reaction?: string; acknowledged?: boolean; rating?: number; comment?: string; at: string };
};

export type Page<T> = { items: T[]; cursor?: string };

export type Report = {
  message: Message;
  counts: DeliveryCounts;
  readRate: number;
  /** per button, keyed by its title in the default (first) variant; a repeated title gets " (n)" added */
  clickRate: Record<string, number>;
  feedback: { reactions: Record<string, number>; acknowledged: number; ratings: Record<'1' | '2' | '3' | '4' | '5', number>; comments: Array<{ recipientId: string; name: string; comment: string; at: string }> };
  /** jobs of this message that failed for good (their recipients are marked failed too) */
  problems: DeliveryProblem[];
};

/** Something that went wrong outside any one recipient (a job that failed for good); shown on the report. */
export type DeliveryProblem = { at: string; what: string; reason: string };

export type TeamOption = { id: string; name: string; channels: Array<{ id: string; name: string }> };
export type GroupOption = { id: string; displayName: string; mail?: string; kind: 'microsoft365' | 'security' };
export type UploadedList = { id: string; name: string; count: number; rejected: Array<{ row: number; value: string; reason: string }>; createdAt: string };

export type GalleryFolder = { id: string; name: string; imageCount: number; etag: string };
export type GalleryFolderInput = { name: string };

export type GalleryImage = {
  id: string;
  folderId?: string;
  name: string;
  altText: string;
  contentType: 'image/png' | 'image/jpeg' | 'image/gif';
  width: number;
  height: number;
  bytes: number;
  /** absolute /img/ URL to put in a card (changes when the image is edited) */
  url: string;
  /** absolute /img/ URL of a small version for lists */
  thumbnailUrl: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  etag: string;
};
export type GalleryImageInput = { name?: string; folderId?: string | null; altText?: string };

/** Pixel coordinates in the stored image; resize keeps the aspect ratio. */
export type ImageEdit = {
  crop?: { left: number; top: number; width: number; height: number };
  resize?: { width: number };
  /** keep the original and add the result as a new image */
  asCopy?: boolean;
  etag: string;
};

export type OffboardRequest = { /** must repeat the caller's tenant id */ confirmTenantId: string };
export type OffboardResult = { tablesCleared: number; rowsDeleted: number; blobsDeleted: number };
