import { Field, makeStyles, ProgressBar, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: 0,
  },
  tile: {
    display: 'flex',
    flexDirection: 'column',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRadius: tokens.borderRadiusMedium,
  },
  term: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  value: { margin: 0, fontSize: tokens.fontSizeBase600, lineHeight: tokens.lineHeightBase600, fontWeight: tokens.fontWeightSemibold, color: tokens.colorNeutralForeground1 },
  detail: { display: 'block', fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightRegular, color: tokens.colorNeutralForeground2, lineHeight: tokens.lineHeightBase200 },
  bars: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, margin: 0, padding: 0, listStyleType: 'none' },
});

export type Stat = { id: string; label: string; value: string; detail?: string };

/** Key figures as a description list: a big number over its label. */
export function StatGrid({ stats }: { stats: Stat[] }) {
  const styles = useStyles();
  return (
    <dl className={styles.grid}>
      {stats.map((s) => (
        <div key={s.id} className={styles.tile} data-testid={`stat-${s.id}`}>
          <dt className={styles.term}>{s.label}</dt>
          <dd className={styles.value}>{s.value}{s.detail && <span className={styles.detail}>{s.detail}</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

export type Bar = { id: string; label: string; value: number; max: number; text: string };

/** A labelled bar per item (count or rate), e.g. ratings 1 to 5. */
export function BarList({ bars, 'data-testid': testId }: { bars: Bar[]; 'data-testid'?: string }) {
  const styles = useStyles();
  return (
    <ul className={styles.bars} data-testid={testId}>
      {bars.map((b) => (
        <li key={b.id}>
          <Field label={b.label} hint={b.text} orientation="vertical">
            <ProgressBar value={b.max > 0 ? b.value / b.max : 0} max={1} thickness="large" aria-valuetext={b.text} />
          </Field>
        </li>
      ))}
    </ul>
  );
}
