import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  Button,
  Caption1,
  Checkbox,
  Field,
  makeStyles,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Radio,
  RadioGroup,
  SearchBox,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, ArrowUploadRegular, PeopleTeamRegular } from '@fluentui/react-icons';
import { ApiError, ErrorMessage, useAppTranslation, useSession } from '@teamspro/core/tab';
import { useCommunicatorApi, type Audience, type AudienceCount, type GroupOption, type TeamOption, type UploadedList } from '../api/communicator-api.js';
import { useDebounced } from '../hooks/useDebounced.js';
import { ChipList } from './ChipList.js';
import { useLoad } from '../hooks/useLoad.js';
import { formatDateTime, formatNumber } from '../lib/format.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, border: 'none', margin: 0, padding: 0, minWidth: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
  hint: { color: tokens.colorNeutralForeground2, margin: 0 },
  teamRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  results: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  result: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  resultText: { minWidth: 0, overflowWrap: 'anywhere', flexGrow: 1 },
  upload: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  fileInput: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
  tableWrap: { overflowX: 'auto', maxHeight: '240px', overflowY: 'auto' },
  count: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  countValue: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
});

type Mode = 'everyone' | 'chosen';

function pick<K extends Audience['kind']>(audience: Audience[], kind: K): Extract<Audience, { kind: K }> | undefined {
  return audience.find((a) => a.kind === kind) as Extract<Audience, { kind: K }> | undefined;
}

/** Rebuilds the audience list from the chosen parts, leaving out empty ones. */
function compose(parts: { channels: Array<{ teamId: string; channelId: string }>; teamIds: string[]; groupIds: string[]; listIds: string[] }): Audience[] {
  const out: Audience[] = [];
  if (parts.channels.length) out.push({ kind: 'channels', channels: parts.channels });
  if (parts.teamIds.length) out.push({ kind: 'teamMembers', teamIds: parts.teamIds });
  if (parts.groupIds.length) out.push({ kind: 'groups', groupIds: parts.groupIds });
  if (parts.listIds.length) out.push({ kind: 'list', listIds: parts.listIds });
  return out;
}

export type AudiencePickerProps = {
  audience: Audience[];
  onChange: (audience: Audience[]) => void;
  /** saves the draft if needed and resolves the audience (POST …/audience/count) */
  onCount: () => Promise<AudienceCount>;
  count?: AudienceCount;
  showErrors: boolean;
};

/** Who receives the message: everyone with the app, or any mix of team channels, team members, groups and uploaded lists. */
export function AudiencePicker({ audience, onChange, onCount, count, showErrors }: AudiencePickerProps) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const styles = useStyles();
  const [mode, setMode] = useState<Mode | undefined>(() => (audience.some((a) => a.kind === 'allUsers') ? 'everyone' : audience.length ? 'chosen' : undefined));
  useEffect(() => {
    if (audience.some((a) => a.kind === 'allUsers')) setMode('everyone');
    else if (audience.length) setMode('chosen');
  }, [audience]);

  const parts = {
    channels: pick(audience, 'channels')?.channels ?? [],
    teamIds: pick(audience, 'teamMembers')?.teamIds ?? [],
    groupIds: pick(audience, 'groups')?.groupIds ?? [],
    listIds: pick(audience, 'list')?.listIds ?? [],
  };
  const update = (patch: Partial<typeof parts>) => onChange(compose({ ...parts, ...patch }));

  const [counting, setCounting] = useState(false);
  const [countError, setCountError] = useState<unknown>();
  async function count_() {
    setCounting(true);
    setCountError(undefined);
    try { await onCount(); } catch (err) { setCountError(err); } finally { setCounting(false); }
  }

  return (
    <div className={styles.root}>
      <Field label={t('audience.modeLabel')} required validationMessage={showErrors && !audience.length ? t('audience.required') : undefined}>
        <RadioGroup value={mode ?? ''} onChange={(_e, d) => {
          const next = d.value as Mode;
          setMode(next);
          onChange(next === 'everyone' ? [{ kind: 'allUsers' }] : []);
        }}>
          <Radio value="everyone" label={t('audience.everyone')} data-testid="audience-everyone" />
          <Radio value="chosen" label={t('audience.chosen')} data-testid="audience-chosen" />
        </RadioGroup>
      </Field>

      {mode === 'chosen' && (
        <>
          <TeamsPicker parts={parts} update={update} />
          <GroupsPicker groupIds={parts.groupIds} onChange={(groupIds) => update({ groupIds })} />
          <ListsPicker listIds={parts.listIds} onChange={(listIds) => update({ listIds })} />
        </>
      )}

      <div className={styles.count} aria-live="polite" data-testid="recipient-count">
        <Button appearance="secondary" icon={counting ? <Spinner size="tiny" /> : <PeopleTeamRegular />} disabled={counting || !audience.length} onClick={() => { void count_(); }}>
          {counting ? t('audience.counting') : t('audience.count')}
        </Button>
        {count && !counting && (
          <Text>
            <span className={styles.countValue} data-testid="recipient-count-value">{formatNumber(count.recipients, language)}</span>{' '}
            {t('audience.recipients', { count: count.recipients })}
            {count.duplicatesRemoved > 0 && ` · ${t('audience.duplicates', { count: count.duplicatesRemoved, n: formatNumber(count.duplicatesRemoved, language) })}`}
            {count.bySource.length > 1 && ` · ${count.bySource.map((s) => `${sourceLabel(s.source, t)}: ${formatNumber(s.count, language)}`).join(', ')}`}
          </Text>
        )}
      </div>
      {countError !== undefined && <ErrorMessage error={countError} />}
    </div>
  );
}

type Parts = { channels: Array<{ teamId: string; channelId: string }>; teamIds: string[]; groupIds: string[]; listIds: string[] };

/** The server names a source "kind:name" ("group:Leadership", "channel:My Team › General") or by kind alone ("allUsers"). */
function sourceLabel(source: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const colon = source.indexOf(':');
  if (colon < 0) return t(`audience.sources.${source}`, { defaultValue: source });
  const kind = source.slice(0, colon);
  return t(`audience.sourceNamed.${kind}`, { name: source.slice(colon + 1), defaultValue: source });
}

function TeamsPicker({ parts, update }: { parts: Parts; update: (patch: Partial<Parts>) => void }) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const teams = useLoad((signal) => cc.teams(signal), [cc]);
  const channelOf = (teamId: string) => parts.channels.find((c) => c.teamId === teamId);
  const setChannel = (team: TeamOption, channelId: string | undefined) => {
    const others = parts.channels.filter((c) => c.teamId !== team.id);
    update({ channels: channelId ? [...others, { teamId: team.id, channelId }] : others });
  };
  const toggleMembers = (teamId: string, on: boolean) => update({ teamIds: on ? [...new Set([...parts.teamIds, teamId])] : parts.teamIds.filter((id) => id !== teamId) });

  const body = teams.loading ? <Spinner size="tiny" label={t('common.loading')} />
    : teams.error !== undefined ? <ErrorMessage error={teams.error} onRetry={() => { void teams.reload(); }} />
    : !teams.data?.length ? <p className={styles.hint}>{t('audience.noTeams')}</p>
    : null;

  return (
    <>
      <fieldset className={styles.block}>
        <legend className={styles.legend}>{t('audience.channels')}</legend>
        <p className={styles.hint}>{t('audience.channelsHint')}</p>
        {body ?? teams.data!.map((team) => {
          const chosen = channelOf(team.id);
          return (
            <div key={team.id} className={styles.teamRow}>
              <Checkbox checked={!!chosen} label={team.name} onChange={(_e, d) => setChannel(team, d.checked ? team.channels[0]?.id : undefined)} />
              {chosen && (
                <Field label={t('audience.channelIn', { team: team.name })} orientation="horizontal">
                  <Select value={chosen.channelId} onChange={(_e, d) => setChannel(team, d.value)}>
                    {team.channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </Select>
                </Field>
              )}
            </div>
          );
        })}
      </fieldset>
      <fieldset className={styles.block}>
        <legend className={styles.legend}>{t('audience.teamMembers')}</legend>
        <p className={styles.hint}>{t('audience.teamMembersHint')}</p>
        {body ?? teams.data!.map((team) => (
          <Checkbox key={team.id} checked={parts.teamIds.includes(team.id)} label={t('audience.membersOf', { team: team.name })} onChange={(_e, d) => toggleMembers(team.id, !!d.checked)} />
        ))}
      </fieldset>
    </>
  );
}

function GroupsPicker({ groupIds, onChange }: { groupIds: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useAppTranslation();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const [search, setSearch] = useState('');
  const term = useDebounced(search.trim(), 300);
  const results = useLoad(term ? (signal) => cc.groups(term, signal) : undefined, [cc, term]);
  // names of groups chosen earlier (a saved draft only keeps ids)
  const known = useRef(new Map<string, GroupOption>());
  const initial = useLoad(groupIds.length ? (signal) => cc.groups('', signal) : undefined, [cc]);
  for (const g of [...(initial.data ?? []), ...(results.data ?? [])]) known.current.set(g.id, g);
  const resultsId = useId();
  const kindLabel = (g: GroupOption) => t(g.kind === 'security' ? 'audience.securityGroup' : 'audience.m365Group');

  return (
    <fieldset className={styles.block}>
      <legend className={styles.legend}>{t('audience.groups')}</legend>
      <p className={styles.hint}>{t('audience.groupsHint')}</p>
      {groupIds.length > 0 && (
        <ChipList
          label={t('audience.chosenGroups')}
          items={groupIds.map((id) => ({ value: id, text: known.current.get(id)?.displayName ?? id }))}
          removeLabel={(name) => t('audience.removeGroup', { name })}
          onRemove={(id) => onChange(groupIds.filter((g) => g !== id))}
        />
      )}
      <Field label={t('audience.searchGroups')}>
        <SearchBox value={search} onChange={(_e, d) => setSearch(d.value)} aria-controls={resultsId} />
      </Field>
      <div id={resultsId} aria-live="polite">
        {results.loading && <Spinner size="tiny" label={t('audience.searching')} />}
        {results.error !== undefined && <ErrorMessage error={results.error} />}
        {term && results.data && !results.loading && (results.data.length === 0
          ? <p className={styles.hint}>{t('audience.noGroups', { term })}</p>
          : (
            <ul className={styles.results} aria-label={t('audience.groupResults')}>
              {results.data.slice(0, 20).map((g) => (
                <li key={g.id} className={styles.result}>
                  <span className={styles.resultText}>{g.displayName} <Caption1>({kindLabel(g)}{g.mail ? ` · ${g.mail}` : ''})</Caption1></span>
                  <Button size="small" icon={<AddRegular />} disabled={groupIds.includes(g.id)} aria-label={t('audience.addGroup', { name: g.displayName })} onClick={() => onChange([...groupIds, g.id])}>
                    {groupIds.includes(g.id) ? t('audience.added') : t('audience.add')}
                  </Button>
                </li>
              ))}
            </ul>
          ))}
      </div>
    </fieldset>
  );
}

function ListsPicker({ listIds, onChange }: { listIds: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useAppTranslation();
  const { language } = useSession();
  const cc = useCommunicatorApi();
  const styles = useStyles();
  const lists = useLoad((signal) => cc.lists(signal), [cc]);
  const [uploading, setUploading] = useState<string>();
  const [uploaded, setUploaded] = useState<UploadedList>();
  const [uploadError, setUploadError] = useState<unknown>();
  const fileInput = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const all = useMemo(() => {
    const byId = new Map((lists.data ?? []).map((l) => [l.id, l]));
    if (uploaded?.id) byId.set(uploaded.id, uploaded);
    return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }, [lists.data, uploaded]);

  async function upload(file: File) {
    setUploading(file.name);
    setUploadError(undefined);
    setUploaded(undefined);
    try {
      const list = await cc.uploadList(file);
      setUploaded(list);
      if (list.count > 0) onChange([...new Set([...listIds, list.id])]);
      void lists.reload();
    } catch (err) {
      setUploadError(err);
      // a file with no usable row is refused, with the reasons per row
      const rejected = err instanceof ApiError ? (err.details as { rejected?: UploadedList['rejected'] } | undefined)?.rejected : undefined;
      if (Array.isArray(rejected) && rejected.length) setUploaded({ id: '', name: file.name, count: 0, rejected, createdAt: new Date().toISOString() });
    } finally {
      setUploading(undefined);
      if (fileInput.current) fileInput.current.value = '';
    }
  }

  return (
    <fieldset className={styles.block}>
      <legend className={styles.legend}>{t('audience.lists')}</legend>
      <p className={styles.hint}>{t('audience.listsHint')}</p>
      <div className={styles.upload}>
        <input
          id={inputId}
          ref={fileInput}
          className={styles.fileInput}
          type="file"
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-label={t('audience.uploadLabel')}
          tabIndex={-1}
          data-testid="list-file"
          onChange={(e) => { const file = e.target.files?.[0]; if (file) void upload(file); }}
        />
        <Button icon={<ArrowUploadRegular />} disabled={!!uploading} onClick={() => fileInput.current?.click()}>{t('audience.upload')}</Button>
      </div>
      {uploading && <Field validationState="none" validationMessage={t('audience.uploading', { name: uploading })}><ProgressBar /></Field>}
      {uploadError !== undefined && <ErrorMessage error={uploadError} />}
      {uploaded && (
        <MessageBar intent={uploaded.rejected.length ? 'warning' : 'success'} layout="multiline" data-testid="upload-result">
          <MessageBarBody>
            <MessageBarTitle>{t('audience.uploaded', { name: uploaded.name, count: uploaded.count, n: formatNumber(uploaded.count, language) })}</MessageBarTitle>
            {uploaded.rejected.length > 0 && t('audience.rejected', { count: uploaded.rejected.length })}
          </MessageBarBody>
        </MessageBar>
      )}
      {uploaded && uploaded.rejected.length > 0 && (
        <div className={styles.tableWrap}>
          <Table size="small" aria-label={t('audience.rejectedTable')}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('audience.row')}</TableHeaderCell>
                <TableHeaderCell>{t('audience.value')}</TableHeaderCell>
                <TableHeaderCell>{t('audience.reason')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {uploaded.rejected.map((r) => (
                <TableRow key={`${r.row}-${r.value}`}>
                  <TableCell>{r.row}</TableCell>
                  <TableCell>{r.value}</TableCell>
                  <TableCell>{r.reason}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {lists.error !== undefined && <ErrorMessage error={lists.error} onRetry={() => { void lists.reload(); }} />}
      {all.map((list) => (
        <Checkbox
          key={list.id}
          checked={listIds.includes(list.id)}
          label={t('audience.listLabel', { name: list.name, n: formatNumber(list.count, language), count: list.count, date: formatDateTime(list.createdAt, language) })}
          onChange={(_e, d) => onChange(d.checked ? [...new Set([...listIds, list.id])] : listIds.filter((id) => id !== list.id))}
        />
      ))}
    </fieldset>
  );
}
