import { useMemo } from 'react';
import { useApi, type ApiClient } from '@teamspro/core/tab';
import type {
  AudienceCount,
  CardPreview,
  GalleryFolder,
  GalleryImage,
  GalleryImageInput,
  GroupOption,
  ImageEdit,
  Message,
  MessageInput,
  MessageSummary,
  OffboardRequest,
  OffboardResult,
  Page,
  RecipientRow,
  Report,
  RolesView,
  SendRequest,
  SentUpdate,
  Settings,
  TeamOption,
  Topic,
  TopicInput,
  UploadedList,
} from '../../src/api/contract.js';
import { downloadBlob } from './download.js';

export type * from '../../src/api/contract.js';

/** The list filters of the messages screen and the statuses each one shows. */
export const messageFilters = {
  draft: ['draft'],
  scheduled: ['scheduled'],
  sending: ['sending'],
  sent: ['sent', 'canceled'],
  template: ['template'],
} as const satisfies Record<string, ReadonlyArray<'draft' | 'scheduled' | 'sending' | 'sent' | 'canceled' | 'template'>>;
export type MessageFilter = keyof typeof messageFilters;

/** Statuses during which delivery moves on its own: screens poll while one is shown. */
export const activeStatuses: ReadonlySet<Message['status']> = new Set(['queued', 'resolving', 'sending']);

const enc = encodeURIComponent;

/** Typed calls over the signed-in API client, one per route of the contract (src/api/contract.ts). */
export function communicatorApi(api: ApiClient) {
  return {
    roles: (signal?: AbortSignal) => api.get<RolesView>('/api/roles', { signal }),
    settings: (signal?: AbortSignal) => api.get<Settings>('/api/settings', { signal }),
    saveSettings: (settings: Settings) => api.put<Settings>('/api/settings', settings, { ifMatch: settings.etag }),

    topics: (signal?: AbortSignal) => api.get<Topic[]>('/api/topics', { signal }),
    createTopic: (input: TopicInput) => api.post<Topic>('/api/topics', input),
    updateTopic: (id: string, input: TopicInput, etag: string) => api.put<Topic>(`/api/topics/${enc(id)}`, { ...input, etag }, { ifMatch: etag }),
    deleteTopic: (id: string) => api.delete(`/api/topics/${enc(id)}`),

    /** One list for a filter: the statuses it covers, merged, newest first. */
    async messages(filter: MessageFilter, signal?: AbortSignal): Promise<MessageSummary[]> {
      const lists = await Promise.all(messageFilters[filter].map((status) => api.get<MessageSummary[]>(`/api/messages?status=${status}`, { signal })));
      return lists.flat().sort((a, b) => (b.sendAt ?? b.updatedAt).localeCompare(a.sendAt ?? a.updatedAt));
    },
    message: (id: string, signal?: AbortSignal) => api.get<Message>(`/api/messages/${enc(id)}`, { signal }),
    /** POST /api/drafts (POST /api/messages is the bot's endpoint) */
    createMessage: (input: MessageInput) => api.post<Message>('/api/drafts', input),
    updateMessage: (id: string, input: MessageInput, etag: string) => api.put<Message>(`/api/messages/${enc(id)}`, { ...input, etag }, { ifMatch: etag }),
    deleteMessage: (id: string) => api.delete(`/api/messages/${enc(id)}`),
    duplicate: (id: string) => api.post<Message>(`/api/messages/${enc(id)}/duplicate`),
    saveAsTemplate: (id: string) => api.post<Message>(`/api/messages/${enc(id)}/template`),
    preview: (id: string) => api.post<CardPreview>(`/api/messages/${enc(id)}/preview`),
    countAudience: (id: string) => api.post<AudienceCount>(`/api/messages/${enc(id)}/audience/count`),
    send: (id: string, request: SendRequest) => api.post<Message>(`/api/messages/${enc(id)}/send`, request),
    cancel: (id: string) => api.post<Message>(`/api/messages/${enc(id)}/cancel`),

    report: (id: string, signal?: AbortSignal) => api.get<Report>(`/api/messages/${enc(id)}/report`, { signal }),
    recipients(id: string, opts: { status?: string; cursor?: string }, signal?: AbortSignal) {
      const query = new URLSearchParams();
      if (opts.status) query.set('status', opts.status);
      if (opts.cursor) query.set('cursor', opts.cursor);
      return api.get<Page<RecipientRow>>(`/api/messages/${enc(id)}/recipients?${query}`, { signal });
    },
    resend: (id: string, to: 'failed' | 'unread') => api.post<Message>(`/api/messages/${enc(id)}/resend`, { to }),
    /** after sending: re-render every delivered card with new variants, or delete them all */
    updateSent: (id: string, update: SentUpdate) => api.post<Message>(`/api/messages/${enc(id)}/update`, update),
    recall: (id: string) => api.post<Message>(`/api/messages/${enc(id)}/recall`),
    /** tenant admins: erase all of the tenant's data (the body repeats the tenant id) */
    offboard: (request: OffboardRequest) => api.post<OffboardResult>('/api/admin/offboard', request),
    exportXlsx: (id: string) => downloadBlob(api, `/api/messages/${enc(id)}/export.xlsx`),

    teams: (signal?: AbortSignal) => api.get<TeamOption[]>('/api/audiences/teams', { signal }),
    groups: (search: string, signal?: AbortSignal) => api.get<GroupOption[]>(`/api/audiences/groups?search=${enc(search)}`, { signal }),
    lists: (signal?: AbortSignal) => api.get<UploadedList[]>('/api/audiences/lists', { signal }),
    uploadList(file: File) {
      const form = new FormData();
      form.append('file', file, file.name);
      form.append('name', file.name.replace(/\.(xlsx|csv)$/i, ''));
      return api.post<UploadedList>('/api/audiences/lists', form);
    },

    galleryFolders: (signal?: AbortSignal) => api.get<GalleryFolder[]>('/api/gallery/folders', { signal }),
    createFolder: (name: string) => api.post<GalleryFolder>('/api/gallery/folders', { name }),
    renameFolder: (id: string, name: string, etag: string) => api.put<GalleryFolder>(`/api/gallery/folders/${enc(id)}`, { name, etag }, { ifMatch: etag }),
    deleteFolder: (id: string) => api.delete(`/api/gallery/folders/${enc(id)}`),
    /** every image, or those of one folder */
    galleryImages: (folderId?: string, signal?: AbortSignal) => api.get<GalleryImage[]>(`/api/gallery/images${folderId ? `?folderId=${enc(folderId)}` : ''}`, { signal }),
    /** uploads into the gallery (at most 4 MB; the server refuses what is not an image) */
    uploadImage(file: File, fields: { folderId?: string; altText?: string } = {}) {
      const form = new FormData();
      form.append('file', file, file.name);
      if (fields.folderId) form.append('folderId', fields.folderId);
      if (fields.altText) form.append('altText', fields.altText);
      return api.post<GalleryImage>('/api/gallery/images', form);
    },
    updateImage: (id: string, input: GalleryImageInput, etag: string) => api.put<GalleryImage>(`/api/gallery/images/${enc(id)}`, { ...input, etag }, { ifMatch: etag }),
    editImage: (id: string, edit: ImageEdit) => api.post<GalleryImage>(`/api/gallery/images/${enc(id)}/edit`, edit),
    deleteImage: (id: string) => api.delete(`/api/gallery/images/${enc(id)}`),
  };
}

export type CommunicatorApi = ReturnType<typeof communicatorApi>;

/** The typed API for screens: `const cc = useCommunicatorApi(); await cc.topics()`. */
export function useCommunicatorApi(): CommunicatorApi {
  const api = useApi();
  return useMemo(() => communicatorApi(api), [api]);
}
